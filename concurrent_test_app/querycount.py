"""Counts the queries each test runs, split into reads and writes, per database alias.

Installed in every worker (and in the parent for a sequential run) as a Django
``execute_wrapper`` on each connection; it imports nothing from the parent side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_READ = re.compile(r"^\s*(\(\s*)*(SELECT|WITH|EXPLAIN|SHOW|PRAGMA|VALUES)\b", re.IGNORECASE)
_WITH_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
# Transaction and session control: neither reads nor writes data. Django's TestCase
# wraps every test in savepoints; counting them would inflate the writes.
_CONTROL = re.compile(
    r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|START\s+TRANSACTION|COMMIT|END|SET|RESET)\b",
    re.IGNORECASE,
)

READ, WRITE, CONTROL = "read", "write", "control"


def classify(sql: str) -> str:
    """``read`` (SELECT, WITH...SELECT), ``write`` (INSERT/UPDATE/DELETE/DDL) or ``control``."""
    if _READ.match(sql):
        # A CTE may wrap a data-modifying statement: WITH x AS (...) DELETE ...
        if sql.lstrip()[:4].upper() == "WITH" and _WITH_WRITE.search(sql):
            return WRITE
        return READ
    if _CONTROL.match(sql):
        return CONTROL
    return WRITE


@dataclass
class QueryTally:
    """Reads and writes seen since the last reset (transaction control is neither)."""

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
        kind = classify(sql if isinstance(sql, str) else str(sql))
        if kind == READ:
            self.tally.reads += 1
        elif kind == WRITE:
            self.tally.writes += 1
        return execute(sql, params, many, context)


def install_counter(tally: QueryTally, aliases=None) -> None:
    """Attach one counter to every connection (or those of ``aliases``)."""
    from django.db import connections

    for alias in aliases if aliases is not None else connections:
        wrappers = connections[alias].execute_wrappers
        if not any(isinstance(wrapper, QueryCounter) for wrapper in wrappers):
            wrappers.append(QueryCounter(tally))
