"""Counts the queries each test runs, split into reads and writes, per database alias.

Installed in every worker (and in the parent for a sequential run) as a Django
``execute_wrapper`` on each connection; it imports nothing from the parent side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_READ = re.compile(r"^\s*(\(\s*)*(SELECT|WITH|EXPLAIN|SHOW|PRAGMA|VALUES)\b", re.IGNORECASE)
_WITH_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def is_write(sql: str) -> bool:
    """True for statements that change data or schema (INSERT/UPDATE/DELETE/DDL...)."""
    if _READ.match(sql):
        # A CTE may wrap a data-modifying statement: WITH x AS (...) DELETE ...
        return sql.lstrip()[:4].upper() == "WITH" and bool(_WITH_WRITE.search(sql))
    return True


@dataclass
class QueryTally:
    """Reads and writes seen since the last reset."""

    reads: int = 0
    writes: int = 0

    def reset(self) -> tuple[int, int]:
        """Return ``(reads, writes)`` and start counting from zero."""
        counts = (self.reads, self.writes)
        self.reads = self.writes = 0
        return counts


class QueryCounter:
    """An ``execute_wrapper`` that tallies every statement before running it."""

    def __init__(self, tally: QueryTally) -> None:
        self.tally = tally

    def __call__(self, execute, sql, params, many, context):
        if is_write(sql if isinstance(sql, str) else str(sql)):
            self.tally.writes += 1
        else:
            self.tally.reads += 1
        return execute(sql, params, many, context)


def install_counter(tally: QueryTally, aliases=None) -> None:
    """Attach one counter to every connection (or those of ``aliases``)."""
    from django.db import connections

    for alias in aliases if aliases is not None else connections:
        wrappers = connections[alias].execute_wrappers
        if not any(isinstance(wrapper, QueryCounter) for wrapper in wrappers):
            wrappers.append(QueryCounter(tally))
