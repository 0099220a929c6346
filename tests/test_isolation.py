"""Each worker has a database of its own: two classes writing the same row both pass."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import TESTPROJECT_DIR, concurrent, postgres_database_name, started_workers


def configured_database_names(backend: str) -> set[str]:
    """The non-test NAMEs of testproject's aliases (see testproject/database_url.py)."""
    if backend == "postgres":
        name = postgres_database_name()
        return {name, name + "_other"}
    return {str(TESTPROJECT_DIR / "db.sqlite3"), str(TESTPROJECT_DIR / "other.sqlite3")}


def test_workers_use_separate_databases(backend, tmp_path):
    run = concurrent("scenarios.isolation", backend=backend, env={"ISOLATION_DIR": str(tmp_path)})

    assert started_workers(run) == [2], run.describe()
    assert run.returncode == 0, run.describe()
    assert run.report.summary == "OK", run.describe()
    records = {
        name: json.loads((tmp_path / f"{name}.json").read_text())
        for name in ("IsolationA", "IsolationB")
    }
    databases = {name: str(record["database"]) for name, record in records.items()}
    pids = {name: record["pid"] for name, record in records.items()}
    assert databases["IsolationA"] != databases["IsolationB"], records
    assert pids["IsolationA"] != pids["IsolationB"], records
    configured = configured_database_names(backend)
    assert not configured & set(databases.values()), records
    assert not configured & {str(Path(name).resolve()) for name in databases.values()}, records
    # Both classes reached the rendezvous: they really ran at the same time.
    assert {path.name for path in tmp_path.glob("*.ready")} == {"A.ready", "B.ready"}
