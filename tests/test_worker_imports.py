"""The worker package imports nothing parent-side: its import graph, read from the source."""

from __future__ import annotations

import ast
from pathlib import Path

import concurrent_test_app

PACKAGE = "concurrent_test_app"
ROOT = Path(concurrent_test_app.__file__).parent
WORKER = f"{PACKAGE}.worker"
# What a worker may load from the rest of the package: the event protocol both sides
# speak, the query counter, and the package's own __init__ (it runs on any import).
NEUTRAL = {PACKAGE, f"{PACKAGE}.events", f"{PACKAGE}.querycount"}


def _source(module: str) -> Path | None:
    """The file of a module of the package, or None for a name that is not one."""
    base = ROOT.joinpath(*module.split(".")[1:])
    for path in (base / "__init__.py", base.with_suffix(".py")):
        if path.is_file():
            return path
    return None


def _ancestors(module: str) -> set[str]:
    """``module`` and the packages above it: importing it runs each of them."""
    parts = module.split(".")
    return {".".join(parts[:end]) for end in range(1, len(parts) + 1)}


def _imported_names(module: str, path: Path) -> set[str]:
    """Every dotted name ``module`` imports, at the top or inside a function."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names.add(base)
            # ``from . import name`` imports a module when ``name`` is one.
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _imports(module: str) -> set[str]:
    """The modules of the package that importing ``module`` runs directly."""
    found: set[str] = set()
    for name in _imported_names(module, _source(module)):
        if name.split(".")[0] == PACKAGE and _source(name) is not None:
            found |= _ancestors(name)
    return found - {module}


def _reached(start: str) -> dict[str, str]:
    """Every package module importing ``start`` runs, each with one module importing it."""
    importer = {name: "(import)" for name in _ancestors(start)}
    todo = list(importer)
    while todo:
        module = todo.pop()
        for name in _imports(module):
            if name not in importer:
                importer[name] = module
                todo.append(name)
    return importer


def test_the_worker_reaches_only_its_package_and_neutral_modules():
    reached = _reached(WORKER)
    outside = {
        name: by
        for name, by in reached.items()
        if name not in NEUTRAL and name != WORKER and not name.startswith(f"{WORKER}.")
    }
    assert outside == {}, f"parent-side modules (name: imported by) reached from {WORKER}"
    # The walk really followed the imports: the worker's modules and both neutral ones.
    assert {f"{WORKER}.entry", f"{WORKER}.upkeep", f"{WORKER}.binding"} <= set(reached)
    assert {f"{PACKAGE}.events", f"{PACKAGE}.querycount"} <= set(reached)


def test_no_module_of_the_package_shadows_django_db_connections():
    assert sorted(ROOT.rglob("connections.py")) == []
