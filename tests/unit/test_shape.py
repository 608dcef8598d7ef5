"""The shape of the code, read from its imports (every import, a function's local ones included):
no cycle between modules, no service reaching into another's package (the gateway may read the
inner services' published contracts, their `schemas`), domain modules free of I/O, and no
source module past 300 lines."""
from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("proposals", "voting", "forwarding", "notifications", "gateway")
PACKAGES = ("services", *SERVICES)
# The kit's composition roots: they start and seed the services, so they may name them.
COMPOSITION = {"services.cli", "services.seed", "services.worker"}
# Standard-library modules that do I/O: not for domain modules.
IO_STDLIB = {"socket", "smtplib", "http", "urllib", "subprocess", "sqlite3", "ftplib", "ssl", "asyncio",
             "shutil", "tempfile", "io", "os", "pathlib", "logging", "threading", "multiprocessing", "time"}
MAX_LINES = 300


@cache
def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


@cache
def imports(name: str) -> frozenset[str]:
    """Every module `name` imports: platform modules by their own name, others by their top name."""
    tree = ast.parse(modules()[name].read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module != "__future__":
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in modules() else node.module)
    return frozenset(target if target in modules() else target.split(".")[0] for target in found)


def internal(name: str) -> set[str]:
    return {target for target in imports(name) if target in modules() and target != name}


def service_of(name: str) -> str:
    return name.split(".")[0]


def test_no_cycle_between_modules():
    cycles, state = [], {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(internal(name)):
            if state.get(target) == "open":
                cycles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                visit(target, trail + [target])
        state[name] = "done"

    for name in sorted(modules()):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_no_service_imports_another_services_package():
    crossings = []
    for name in modules():
        home = service_of(name)
        for target in internal(name):
            there = service_of(target)
            if there in (home, "services"):
                continue
            if home == "services" and name in COMPOSITION:
                continue
            if home == "gateway" and target == f"{there}.schemas":
                continue  # the inner services' published contract: the gateway validates and documents with it
            crossings.append(f"{name} -> {target}")
    assert not crossings, "imports across services:\n" + "\n".join(sorted(crossings))


@cache
def pure(name: str) -> bool:
    """Only the standard library's pure modules, `services.errors`, and pure modules of its own service."""
    for target in imports(name):
        if target in modules():
            if target != "services.errors" and (service_of(target) != service_of(name) or not pure(target)):
                return False
        elif target in IO_STDLIB or target not in sys.stdlib_module_names:
            return False
    return True


def test_domain_modules_do_no_io():
    impure = [name for name in modules() if name.endswith(".domain") and not pure(name)]
    assert not impure, f"domain modules importing I/O or other services: {impure}"


def test_no_source_module_passes_300_lines():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_the_rules_can_fail():
    """The checks above would see what they look for."""
    assert "services.errors" in internal("gateway.domain")
    assert "mongoengine" in imports("gateway.store") and not pure("gateway.store")
    assert pure("gateway.domain")


def test_updates_that_return_their_document_go_through_the_claims_module():
    """`find_one_and_update` / `modify` cost the local database server a read of the whole
    collection per call (services.claims says why); the kit's update_returning does not."""
    banned = {"find_one_and_update", "find_one_and_replace", "modify"}
    found = []
    for name, path in modules().items():
        if name == "services.claims":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in banned:
                found.append(f"{name}:{node.lineno} {node.func.attr}")
    assert not found, found
