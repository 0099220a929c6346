"""A Python file cut into blocks: each function (method, nested function) and the rest.

A block's hash is its code's AST without positions, so moving code or editing a comment
changes nothing, and any edit of what runs changes it. The rest of the file, MODULE,
is what runs at import: statements, class bodies, decorators, default values and every
function's signature (a function's body is left out of it, being a block of its own).

A block is *stateful* when what it computes may outlive the test that ran it: it is
memoized (a decorator named like a cache), or it writes module or class state (a
``global``, an item or attribute of a module-level name, ``cls.x = …``). A later test
that reads that state executes none of the lines that made it.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass

MODULE = "<module>"
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Blocks:
    """A file's block hashes, and which block each of its lines belongs to."""

    hashes: dict[str, str]
    line_blocks: dict[int, str]
    stateful: frozenset[str] = frozenset()

    def block_of(self, line: int) -> str:
        """The innermost function holding ``line``, or MODULE."""
        return self.line_blocks.get(line, MODULE)


def parse_blocks(source: str | bytes) -> Blocks | None:
    """The blocks of ``source``; None when it does not parse (any edit then counts)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    hashes: dict[str, str] = {}
    line_blocks: dict[int, str] = {}
    stateful: set[str] = set()
    module_names = _module_names(tree)
    _visit(
        tree,
        "",
        hashes,
        line_blocks,
        lambda name, node: _keeps_state(node, module_names) and stateful.add(name),
    )
    hashes[MODULE] = _hash(_without_bodies(tree))
    return Blocks(hashes, line_blocks, frozenset(stateful))


def _visit(node: ast.AST, prefix: str, hashes: dict, line_blocks: dict, found) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, _FUNCTIONS):
            name = _unique(f"{prefix}{child.name}", hashes)
            hashes[name] = _hash(child)
            found(name, child)
            # The body's lines; the def line and decorators run at import (MODULE).
            for statement in child.body:
                for line in range(statement.lineno, (statement.end_lineno or 0) + 1):
                    line_blocks[line] = name
            _visit(child, f"{name}.", hashes, line_blocks, found)
        elif isinstance(child, ast.ClassDef):
            _visit(child, f"{prefix}{child.name}.", hashes, line_blocks, found)
        else:
            _visit(child, prefix, hashes, line_blocks, found)


# Methods that change a container in place: called on a module-level name, they write
# state every later test of the process sees.
_MUTATORS = frozenset(
    {"append", "extend", "insert", "add", "update", "setdefault", "pop", "popitem", "clear"}
    | {"remove", "discard", "appendleft", "extendleft", "register", "connect"}
)


# unittest's and Django's class fixtures: what they set on ``cls`` is seen by the tests of
# their class, which the record already ties to them (the ``module:`` subject).
_CLASS_FIXTURES = frozenset({"setUpClass", "tearDownClass", "setUpTestData"})


def _module_names(tree: ast.Module) -> frozenset[str]:
    """Names bound at module level (assignments, imports, classes, functions)."""
    names = set()
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in statement.names}
        elif isinstance(statement, (ast.ClassDef, *_FUNCTIONS)):
            names.add(statement.name)
        else:
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
    return frozenset(names)


def _keeps_state(function, module_names: frozenset[str]) -> bool:
    """Whether a function's own body may leave state behind for later tests."""
    if any(_is_cache(decorator) for decorator in function.decorator_list):
        return True
    if function.name in _CLASS_FIXTURES:  # class state its own module's tests share
        return False
    local = {arg.arg for arg in ast.walk(function.args) if isinstance(arg, ast.arg)}
    body = [node for statement in function.body for node in _own_nodes(statement)]
    local |= {n.id for n in body if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    outer = module_names - local
    for node in body:
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            return True
        target = _written_name(node)
        if target is not None and (target in outer or target == "cls"):
            return True
    return False


def _own_nodes(statement: ast.AST):
    """The nodes of a statement, without descending into nested functions or classes."""
    yield statement
    for child in ast.iter_child_nodes(statement):
        if not isinstance(child, (*_FUNCTIONS, ast.ClassDef, ast.Lambda)):
            yield from _own_nodes(child)


def _written_name(node: ast.AST) -> str | None:
    """``x`` when ``node`` writes into ``x`` (``x[k] = …``, ``x.a = …``, ``x.update(…)``)."""
    if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(
        node.ctx, (ast.Store, ast.Del)
    ):
        base = node.value
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _MUTATORS
    ):
        base = node.func.value
    else:
        return None
    while isinstance(base, (ast.Attribute, ast.Subscript)):
        base = base.value
    return base.id if isinstance(base, ast.Name) else None


def _is_cache(decorator: ast.expr) -> bool:
    """``functools.cache``, ``lru_cache(…)``, ``cached_property``, a ``memoize``: by name."""
    node = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return "cache" in name.lower() or "memo" in name.lower()


def _unique(name: str, taken: dict) -> str:
    """Two definitions of one name (a property's getter and setter) are two blocks."""
    if name not in taken:
        return name
    number = 2
    while f"{name}#{number}" in taken:
        number += 1
    return f"{name}#{number}"


class _BodyRemover(ast.NodeTransformer):
    def visit_FunctionDef(self, node):
        return self._emptied(node)

    def visit_AsyncFunctionDef(self, node):
        return self._emptied(node)

    def _emptied(self, node):
        node.body = [ast.Pass()]
        return node


def _without_bodies(tree: ast.Module) -> ast.Module:
    # A copy: parse again rather than deep-copying a large tree.
    return _BodyRemover().visit(ast.parse(ast.unparse(tree)))


def _hash(node: ast.AST) -> str:
    return hashlib.sha1(ast.dump(node).encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def file_digest(data: bytes) -> str:
    """A file's content hash, as the record keeps it."""
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()
