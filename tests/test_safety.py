"""The runner refuses to be dangerous: production, real names, permissions, bad values."""

from __future__ import annotations

import os

import pytest
from conftest import postgres_admin, postgres_databases, require_backend, unmarked_database
from helpers import (
    fallback_reasons,
    postgres_database_name,
    postgres_params,
    run_manage,
    started_workers,
)

LABEL = "scenarios.slow"
SECURITY_LINE = "[CONCURRENT] Security check failed: Concurrent testing not allowed in production"


def test_production_marker_runs_sequentially(backend):
    run = run_manage(
        "concurrenttest", "--workers", "2", LABEL, backend=backend, env={"DJANGO_ENV": "Production"}
    )

    assert run.returncode == 0, run.describe()
    assert SECURITY_LINE in run.stdout, run.describe()
    assert any("DJANGO_ENV='Production'" in reason for reason in fallback_reasons(run))
    assert started_workers(run) == [], run.describe()
    assert run.report.ran == 12, run.describe()


def test_allow_production_overrides_the_marker(backend):
    run = run_manage(
        "concurrenttest",
        "--workers",
        "2",
        LABEL,
        backend=backend,
        env={"DJANGO_ENV": "production", "DJANGO_TEST_ALLOW_PRODUCTION": "yes"},
    )

    assert run.returncode == 0, run.describe()
    assert SECURITY_LINE not in run.stdout, run.describe()
    assert started_workers(run) == [2], run.describe()


@pytest.mark.parametrize(("ci", "production"), [("", True), ("true", False)])
def test_production_signature_of_settings(ci, production):
    run = run_manage(
        "concurrenttest",
        "--workers",
        "2",
        LABEL,
        "--settings",
        "testproject.variants.production",
        env={"CI": ci},
    )

    assert run.returncode == 0, run.describe()
    assert (SECURITY_LINE in run.stdout) is production, run.describe()
    assert started_workers(run) == ([] if production else [2]), run.describe()


def test_test_database_named_like_a_real_one_is_refused(backend):
    before = _real_database_state(backend)
    run = run_manage(
        "concurrenttest", "--settings", "testproject.variants.name_clash", backend=backend
    )

    assert run.returncode == 2, run.describe()
    assert "SecurityException: Refusing to run: the test database of alias 'other'" in run.stderr
    assert "Creating test database" not in run.output, run.describe()
    assert _real_database_state(backend) == before


def test_unknown_settings_key_stops_the_run():
    run = run_manage("concurrenttest", LABEL, "--settings", "testproject.variants.bad_key")

    assert run.returncode == 2, run.describe()
    assert "unknown key 'WORKRES'" in run.stderr, run.describe()
    assert "[CONCURRENT] Starting" not in run.stdout, run.describe()


@pytest.mark.parametrize(
    ("variable", "value", "accepted"),
    [
        ("DJANGO_TEST_WORKERS", "-3", "a positive integer or 'auto'"),
        ("DJANGO_TEST_TIMEOUT", "0", "a number of seconds greater than 0"),
        ("DJANGO_TEST_RETRY_DELAY", "fast", "a number of seconds of 0 or more"),
        ("DJANGO_TEST_BENCHMARK", "maybe", "true/false, 1/0, yes/no or on/off"),
    ],
)
def test_invalid_environment_values_exit_2_with_one_line(variable, value, accepted):
    run = run_manage("concurrenttest", LABEL, env={variable: value})

    assert run.returncode == 2, run.describe()
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert lines == [f"ConfigurationException: {variable}={value!r}: expected {accepted}"]


def test_show_config_names_each_source():
    run = run_manage(
        "concurrenttest",
        "--show-config",
        "--timeout",
        "20",
        env={"DJANGO_TEST_WORKERS": "3", "DJANGO_TEST_TIMEOUT": "99"},
    )

    assert run.returncode == 0, run.describe()
    rows = {line.split()[0]: line for line in run.stdout.splitlines() if line.strip()}
    assert rows["workers"].split()[1:] == ["3", "(DJANGO_TEST_WORKERS)"]
    assert rows["timeout"].split()[1:] == ["20.0", "(--timeout)"]
    assert rows["worker_setup"].endswith("(settings.CONCURRENT_TEST['WORKER_SETUP'])")
    assert rows["benchmark"].split()[1:] == ["False", "(default)"]


def test_role_without_createdb_is_refused_before_anything_is_created():
    require_backend("postgres")  # fails in CI when the server is unreachable
    import psycopg2

    admin = psycopg2.connect(**postgres_params(dbname="postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS ct_nocreate")
        cursor.execute("CREATE ROLE ct_nocreate LOGIN NOCREATEDB PASSWORD 'nocreate'")
    try:
        params = postgres_params(dbname="postgres")
        url = (
            f"postgres://ct_nocreate:nocreate@{params['host']}:{params.get('port', 5432)}/"
            f"{postgres_database_name()}"
        )
        before = set(postgres_databases())
        # library's tests use the database (scenarios.slow would need none).
        run = run_manage("concurrenttest", "--workers", "2", "library", env={"DATABASE_URL": url})

        assert run.returncode == 2, run.describe()
        assert "PermissionException: Missing permission: CREATE" in run.stderr, run.describe()
        assert 'ALTER ROLE "ct_nocreate" CREATEDB;' in run.stderr, run.describe()
        assert set(postgres_databases()) == before
    finally:
        with admin.cursor() as cursor:
            cursor.execute("DROP ROLE IF EXISTS ct_nocreate")
        admin.close()


def _real_database_state(backend):
    if backend == "postgres":
        return sorted(postgres_databases())
    path = os.path.join(os.path.dirname(__file__), "..", "testproject", "db.sqlite3")
    return os.path.exists(path) and os.path.getmtime(path)


def test_foreign_database_with_a_clone_name_is_never_touched():
    require_backend("postgres")
    foreign = f"test_{postgres_database_name()}_w1"
    try:
        with unmarked_database(foreign):
            # With --keepdb clone names are stable (without it they carry the run's pid).
            run = run_manage(
                "concurrenttest", "--workers", "2", "--keepdb", "library", backend="postgres"
            )

            assert run.returncode == 2, run.describe()
            assert f"Refusing to drop database {foreign!r}" in run.stderr, run.describe()
            assert foreign in postgres_databases()
            assert postgres_databases()[foreign] is None  # still unmarked, still there
    finally:
        # --keepdb kept the clones the run made before it stopped: ours, marked.
        with postgres_admin() as cursor:
            for name, comment in postgres_databases().items():
                ours = name.startswith(f"test_{postgres_database_name()}")
                if ours and (comment or "").startswith("django-concurrent-test clone"):
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_check_makes_no_database_query():
    # Nothing listens on port 9: any query in ready() or the checks would fail.
    run = run_manage("check", env={"DATABASE_URL": "postgres://nobody:x@127.0.0.1:9/none"})

    assert run.returncode == 0, run.describe()
    assert "System check identified no issues" in run.stdout, run.describe()
