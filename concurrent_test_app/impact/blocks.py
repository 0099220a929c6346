"""A Python file cut into blocks: each function (method, nested function) and the rest.

A block's hash is its code's AST without positions, so moving code or editing a comment
changes nothing, and any edit of what runs changes it. The rest of the file, MODULE,
is what runs at import: statements, class bodies, decorators, default values and every
function's signature (a function's body is left out of it, being a block of its own).
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
    _visit(tree, "", hashes, line_blocks)
    hashes[MODULE] = _hash(_without_bodies(tree))
    return Blocks(hashes, line_blocks)


def _visit(node: ast.AST, prefix: str, hashes: dict, line_blocks: dict) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, _FUNCTIONS):
            name = _unique(f"{prefix}{child.name}", hashes)
            hashes[name] = _hash(child)
            # The body's lines; the def line and decorators run at import (MODULE).
            for statement in child.body:
                for line in range(statement.lineno, (statement.end_lineno or 0) + 1):
                    line_blocks[line] = name
            _visit(child, f"{name}.", hashes, line_blocks)
        elif isinstance(child, ast.ClassDef):
            _visit(child, f"{prefix}{child.name}.", hashes, line_blocks)
        else:
            _visit(child, prefix, hashes, line_blocks)


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
