"""A server's connection limit gives the reason, and the run goes on sequentially (#27).

A role with a small ``CONNECTION LIMIT`` stops the clones or the workers: one line with
the server's words and the number of connections the run needs, the same verdict, and
nothing left behind (no clone, no ledger entry).
"""

from __future__ import annotations

from conftest import postgres_admin, postgres_databases, require_backend
from helpers import postgres_database_name, postgres_params, run_manage

FALLBACK = "[CONCURRENT] Falling back to sequential testing: "


def _limited_run(role: str, name: str, cache, workers: int):
    params = postgres_params()
    url = f"postgres://{role}:limited@{params['host']}:{params['port']}/{name}"
    return run_manage(
        "concurrenttest", "--workers", str(workers), "--timings-file", str(cache / "timings.json"),
        "library", env={"DATABASE_URL": url, "DJANGO_TEST_TEMPLATE_SNAPSHOTS": "off"},
    )  # fmt: skip


def test_a_connection_limit_is_named_and_the_run_goes_on_sequentially(tmp_path):
    require_backend("postgres")
    name = role = f"{postgres_database_name()}_limited"  # names of this test's own
    with postgres_admin() as cursor:
        cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        cursor.execute(f"CREATE ROLE \"{role}\" LOGIN CREATEDB PASSWORD 'limited'")
    try:
        # Two connections: enough for Django's set-up and the template, not for three
        # clones made at once.
        with postgres_admin() as cursor:
            cursor.execute(f'ALTER ROLE "{role}" CONNECTION LIMIT 2')
        cloning = _limited_run(role, name, tmp_path, workers=3)
        ours = [n for n in postgres_databases() if n.startswith(f"test_{name}_p")]
        # Three: the clones, not the four connections two workers on two aliases open.
        with postgres_admin() as cursor:
            cursor.execute(f'ALTER ROLE "{role}" CONNECTION LIMIT 3')
        starting = _limited_run(role, name, tmp_path, workers=2)
        left = [n for n in postgres_databases() if n.startswith(f"test_{name}_p")]
    finally:
        with postgres_admin() as cursor:
            for database in postgres_databases():
                if database.startswith(f"test_{name}"):
                    cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            cursor.execute(f'DROP ROLE IF EXISTS "{role}"')

    for run in (cloning, starting):
        assert run.returncode == 0 and run.report.summary == "OK", run.describe()
        assert "Traceback" not in run.output, run.describe()
        assert not list(tmp_path.glob("ledger/*.json")), run.describe()
    assert ours == [] and left == [], (ours, left)
    assert (
        f"{FALLBACK}the database server refused a connection while cloning: too many "
        f'connections for role "{role}" (the run needs 7 connections: 3 workers × 2 '
        "database aliases + 1 for this process)"
    ) in cloning.stdout, cloning.describe()
    fallback = [line for line in starting.stdout.splitlines() if line.startswith(FALLBACK)]
    assert len(fallback) == 1, starting.describe()
    assert "cannot connect to its database: " in fallback[0], starting.describe()
    assert f'too many connections for role "{role}"' in fallback[0]
    assert fallback[0].endswith("(the run needs 5 connections: 2 workers × 2 database "
                                "aliases + 1 for this process)")  # fmt: skip
    assert starting.report.ran == cloning.report.ran
