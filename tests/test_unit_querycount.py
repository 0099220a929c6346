"""Unit tests of read/write classification of SQL statements."""

from __future__ import annotations

import pytest

from concurrent_test_app.querycount import QueryTally, is_write


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "a"."id" FROM "a"',
        "  select 1",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "(SELECT 1) UNION (SELECT 2)",
        "EXPLAIN SELECT 1",
        "PRAGMA foreign_keys",
    ],
)
def test_reads(sql):
    assert not is_write(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "a" VALUES (1)',
        'UPDATE "a" SET x = 1',
        'DELETE FROM "a"',
        'CREATE TABLE "a" (id int)',
        "SAVEPOINT s1",
        "WITH gone AS (DELETE FROM a RETURNING id) SELECT count(*) FROM gone",
    ],
)
def test_writes(sql):
    assert is_write(sql)


def test_tally_reset_returns_and_clears():
    tally = QueryTally(reads=3, writes=2)
    assert tally.reset() == (3, 2)
    assert (tally.reads, tally.writes) == (0, 0)
