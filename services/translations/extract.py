"""A Babel extractor for message ids kept as plain data (see babel.cfg).

notifications/domain.py keeps its mail texts as literals in module-level dicts
(MESSAGES: event -> (subject, body); OUTCOME_LABELS: code -> label) and translates
them at run time with services.i18n.gettext, so no gettext call marks them.
This extractor yields every string literal among the *values* of the dicts named in
the `names` option (comma-separated), so `pybabel extract -F babel.cfg` finds them.
"""
from __future__ import annotations

import ast


def _strings(node: ast.AST):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.lineno, node.value
    elif isinstance(node, (ast.Tuple, ast.List)):
        for item in node.elts:
            yield from _strings(item)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _strings(value)


def extract_dict_values(fileobj, keywords, comment_tags, options):
    """Babel extraction method: (lineno, funcname, message, comments) for each value literal."""
    names = {name.strip() for name in options.get("names", "MESSAGES,OUTCOME_LABELS").split(",")}
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for statement in tree.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else (
            [statement.target] if isinstance(statement, ast.AnnAssign) and statement.value else [])
        if any(isinstance(t, ast.Name) and t.id in names for t in targets):
            for lineno, message in _strings(statement.value):
                yield lineno, None, message, [f"notifications: {targets[0].id}"]
