"""A forged, foreign or damaged intent ledger never deletes a file or drops a database.

The cache folder travels in CI caches and can be edited: each ledger below names a decoy
(a file outside the cache folder, a database holding a row) that no run of ours made.
The run leaves every decoy alone with one line each, passes, and the next run is quiet.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys

from conftest import postgres_databases, unmarked_database
from helpers import postgres_database_name, postgres_params, run_manage

from concurrent_test_app.ledger import FORMAT, host_identity

LABELS = ("library",)
ALONE = "[CONCURRENT] Warning: leaving "
IGNORED = "[CONCURRENT] Warning: ignoring the database ledger "


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


def _forge(folder, name: str, host: str, pid: int, entries: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = {"format": FORMAT, "host": host, "pid": pid, "started": None, "databases": entries}
    (folder / name).write_text(json.dumps(data))


def _decoys(backend, tmp_path, pid) -> tuple[str, str]:
    """(server key, the name of a decoy that our naming rules could have made)."""
    if backend == "sqlite":
        return "sqlite", str(tmp_path / "decoy.sqlite3")
    params = postgres_params()
    return (
        f"postgresql://{params['host']}:{params['port']}",
        f"test_{postgres_database_name()}_p{pid}_w1",
    )


def _with_row(name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(**postgres_params(dbname=name))
    with connection, connection.cursor() as cursor:
        cursor.execute("CREATE TABLE precious (id int); INSERT INTO precious VALUES (1)")
    connection.close()


def test_no_forged_ledger_drops_a_decoy(backend, tmp_path):
    pid = _dead_pid()
    server, decoy = _decoys(backend, tmp_path, pid)
    outside = str(tmp_path / "outside.sqlite3")  # a file no rule of ours names
    for path in (tmp_path / "decoy.sqlite3", tmp_path / "outside.sqlite3"):
        path.write_bytes(b"SQLite format 3\x00precious")
    folder = tmp_path / "cache" / "ledger"
    me, here = socket.gethostname(), host_identity()

    def entry(name, host=here):
        return {"server": server, "name": name, "kind": "clone", "host": host}

    _forge(folder, f"{me}-{pid}-1.json", me, pid, [entry(outside), entry(decoy)])
    _forge(folder, f"{me}-{pid}-2.json", me, pid, [entry(decoy, "ci-runner/0123")])
    _forge(folder, f"{me}-{pid}-3.json", me, pid, [{**entry(decoy), "host": None}])
    _forge(folder, f"other-{pid}-4.json", "other-machine", pid, [entry(decoy)])
    (folder / "damaged.json").write_text("{not json")
    timings = str(tmp_path / "cache" / "timings.json")
    args = ("concurrenttest", "--workers", "2", "--timings-file", timings, *LABELS)

    def run():
        return run_manage(*args, backend=backend)

    if backend == "postgres":
        with unmarked_database(decoy):
            _with_row(decoy)
            first, second = run(), run()
            assert postgres_databases().get(decoy, "gone") is None  # there, still unmarked
            _assert_row(decoy)
    else:
        first, second = run(), run()

    assert first.returncode == 0 and second.returncode == 0, first.describe() + second.describe()
    alone = [line for line in first.stderr.splitlines() if line.startswith(ALONE)]
    ignored = [line for line in first.stderr.splitlines() if line.startswith(IGNORED)]
    assert len(alone) == 4, first.describe()  # outside the rules, unmarked, 2 foreign entries
    if backend == "postgres":
        assert f"leaving {outside!r} alone" in first.stderr, first.describe()
        assert "it does not carry the marker 'django-concurrent-test clone'" in first.stderr
    else:
        assert sum(decoy in line and "no clone in a run folder" in line for line in alone) == 1
    assert "it was written on another machine (ci-runner/0123)" in first.stderr
    assert "the entry does not say which machine wrote it" in first.stderr
    assert len(ignored) == 2, first.describe()  # the other host's file, the damaged one
    assert "written on another machine (other-machine)" in first.stderr
    assert "Dropping" not in first.stdout, first.describe()
    assert ALONE not in second.stderr and IGNORED not in second.stderr, second.describe()
    for path in (tmp_path / "decoy.sqlite3", tmp_path / "outside.sqlite3"):
        assert path.read_bytes() == b"SQLite format 3\x00precious"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "damaged.json.unreadable",
        f"other-{pid}-4.json.foreign",
    ]


def _assert_row(name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(**postgres_params(dbname=name))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM precious")
        assert cursor.fetchall() == [(1,)]
    connection.close()
