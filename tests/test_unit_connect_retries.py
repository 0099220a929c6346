"""Unit tests of connection retries (the worker connects through them)."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from concurrent_test_app.worker.upkeep import with_connect_retries


def test_transient_failures_are_retried_with_doubling_delay(monkeypatch):
    sleeps, logged, calls = [], [], []
    monkeypatch.setattr("concurrent_test_app.worker.upkeep.time.sleep", sleeps.append)

    def flaky_connect():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("the database system is starting up")
        return "connected"

    assert with_connect_retries(flaky_connect, 3, 0.5, logged.append) == "connected"
    assert sleeps == [0.5, 1.0]
    assert logged[0] == "Retry 1 of 3 in 0.5s: the database system is starting up"


def test_last_failure_keeps_the_database_message(monkeypatch):
    monkeypatch.setattr("concurrent_test_app.worker.upkeep.time.sleep", lambda seconds: None)

    def refused():
        raise OperationalError("connection refused")

    with pytest.raises(OperationalError, match="connection refused"):
        with_connect_retries(refused, 2, 0.1)


def test_other_errors_are_not_retried():
    def broken():
        raise ValueError("not a connection problem")

    with pytest.raises(ValueError):
        with_connect_retries(broken, 5, 0.1)
