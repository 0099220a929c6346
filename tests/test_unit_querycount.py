"""Unit tests of read/write classification of SQL statements and of the counter."""

from __future__ import annotations

import pytest

from concurrent_test_app.querycount import (
    CONTROL,
    READ,
    WRITE,
    QueryCounter,
    QueryTally,
    classify,
)


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
    assert classify(sql) == READ


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "a" VALUES (1)',
        'UPDATE "a" SET x = 1',
        'DELETE FROM "a"',
        'CREATE TABLE "a" (id int)',
        'ALTER TABLE "a" ADD COLUMN b int',
        'TRUNCATE "a"',
        "WITH gone AS (DELETE FROM a RETURNING id) SELECT count(*) FROM gone",
    ],
)
def test_writes(sql):
    assert classify(sql) == WRITE


@pytest.mark.parametrize(
    "sql",
    [
        'SAVEPOINT "s1_x1"',
        'RELEASE SAVEPOINT "s1_x1"',
        'ROLLBACK TO SAVEPOINT "s1_x1"',
        "BEGIN",
        "COMMIT",
        "SET CONSTRAINTS ALL IMMEDIATE",
    ],
)
def test_transaction_control_is_neither(sql):
    assert classify(sql) == CONTROL


def test_counter_tallies_and_passes_the_call_through():
    tally = QueryTally()
    counter = QueryCounter(tally)
    calls = []

    def execute(sql, params, many, context):
        calls.append(sql)
        return "result"

    for sql in ("SELECT 1", "INSERT INTO a VALUES (1)", "SAVEPOINT s", "SELECT 2"):
        assert counter(execute, sql, None, False, {}) == "result"
    assert calls == ["SELECT 1", "INSERT INTO a VALUES (1)", "SAVEPOINT s", "SELECT 2"]
    assert (tally.reads, tally.writes) == (2, 1)


def test_tally_reset_returns_and_clears():
    tally = QueryTally(reads=3, writes=2)
    assert tally.reset() == (3, 2)
    assert (tally.reads, tally.writes) == (0, 0)
