"""The shape of an OpenAPI document that must not shrink: operations, their parameters, bodies,
answers, and every schema's properties (shared by the snapshot script and its test)."""
from __future__ import annotations

METHODS = ("get", "post", "put", "patch", "delete")


def shape(document: dict) -> dict:
    """{"operations": {"METHOD path": {...}}, "schemas": {name: {property: type}}}"""
    operations = {}
    for path, item in document["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            params = sorted(f"{p['in']}:{p['name']}" for p in shared + op.get("parameters", []))
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
            answers = {code: (answer.get("content", {}).get("application/json", {}).get("schema") or
                              answer.get("$ref")) for code, answer in op["responses"].items() if code.startswith("2")}
            operations[f"{method.upper()} {path}"] = {"parameters": params, "body": body, "answers": answers}
    schemas = {name: {prop: spec.get("type") or spec.get("$ref") or "any"
                      for prop, spec in (schema.get("properties") or {}).items()}
               for name, schema in document.get("components", {}).get("schemas", {}).items()}
    return {"operations": operations, "schemas": schemas}


def missing(before: dict, after: dict) -> list[str]:
    """What `before` had that `after` lost (added operations, parameters and properties are fine)."""
    lost = []
    for key, op in before["operations"].items():
        now = after["operations"].get(key)
        if now is None:
            lost.append(f"operation {key}")
            continue
        lost += [f"{key}: parameter {p}" for p in op["parameters"] if p not in now["parameters"]]
        if op["body"] != now["body"]:
            lost.append(f"{key}: body {op['body']} is now {now['body']}")
        lost += [f"{key}: answer {code} {schema} is now {now['answers'].get(code)}"
                 for code, schema in op["answers"].items() if now["answers"].get(code) != schema]
    for name, props in before["schemas"].items():
        now = after["schemas"].get(name)
        if now is None:
            lost.append(f"schema {name}")
            continue
        lost += [f"schema {name}: property {p}" for p, kind in props.items() if now.get(p) != kind]
    return lost
