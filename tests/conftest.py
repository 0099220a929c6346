"""Fixtures shared by the functional tests: backends, baselines, database probes."""

from __future__ import annotations

import functools
import os
import re
from contextlib import contextmanager

import pytest
from helpers import (
    BASELINE_RUNNER,
    Completed,
    in_ci,
    mysql_params,
    postgres_database_name,
    postgres_params,
    run_manage,
)

KNOWN_BACKENDS = ("sqlite", "postgres", "mysql")

# The demo's warehouse app (several seconds of database work for the README's first run)
# is left out: this suite runs the demo hundreds of times. Tests of that first run set it on.
os.environ.setdefault("DEMO_WAREHOUSE", "off")


def selected_backends(candidates=KNOWN_BACKENDS) -> list[str]:
    """``candidates``, cut to those CONCURRENT_TEST_BACKENDS lists when set (.ci/matrix sets it)."""
    raw = os.environ.get("CONCURRENT_TEST_BACKENDS", "").strip()
    if not raw:
        return list(candidates)
    chosen = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(KNOWN_BACKENDS))
    if unknown or not chosen:
        raise pytest.UsageError(
            f"CONCURRENT_TEST_BACKENDS={raw!r}: expected a comma-separated list of "
            f"{', '.join(KNOWN_BACKENDS)}"
        )
    return [name for name in candidates if name in chosen]


# Most functional tests inspect PostgreSQL or SQLite clones directly; the parity
# tests (verdicts, options, kinds) compare outputs only and run on MySQL/MariaDB too.
BACKENDS = selected_backends(("sqlite", "postgres"))
ALL_BACKENDS = selected_backends()
CLONE_COMMENT = "django-concurrent-test clone"
_CLONE_NAME_RE = re.compile(r"_w\d+$")


@functools.cache
def _postgres_problem() -> str | None:
    """Why the postgres server cannot be used, or None when it can."""
    try:
        import psycopg2
    except ImportError as error:
        return f"psycopg2 is not installed ({error}); pip install -e '.[test,postgres]'"
    params = postgres_params(dbname="postgres")
    try:
        psycopg2.connect(**params).close()
    except psycopg2.Error as error:
        shown = {key: value for key, value in params.items() if key != "password"}
        return f"PostgreSQL is not reachable with {shown}: {str(error).strip()}"
    return None


@functools.cache
def _mysql_problem() -> str | None:
    """Why the MySQL/MariaDB server cannot be used, or None when it can."""
    try:
        import MySQLdb
    except ImportError as error:
        return f"mysqlclient is not installed ({error}); pip install -e '.[test,mysql]'"
    params = mysql_params()
    try:
        MySQLdb.connect(**params).close()
    except MySQLdb.Error as error:
        shown = {key: value for key, value in params.items() if key != "password"}
        return f"MySQL/MariaDB is not reachable with {shown}: {error}"
    return None


SERVERS = {
    "postgres": (_postgres_problem, "PostgreSQL", "CONCURRENT_TEST_PG_URL"),
    "mysql": (_mysql_problem, "MySQL/MariaDB", "CONCURRENT_TEST_MYSQL_URL"),
}


def require_backend(backend: str) -> None:
    """Skip (fail on CI) a server-backed test when no server is there to run it."""
    if backend not in SERVERS:
        return
    find_problem, server, variable = SERVERS[backend]
    problem = find_problem()
    if problem is None:
        return
    if in_ci():
        pytest.fail(f"{problem}\nCI must run every test on {server}: .ci/run starts a server.")
    pytest.skip(f"{problem} (set {variable} to run the {backend} tests)")


def backend_fixture(backends: list[str]):
    """A ``backend`` fixture over ``backends``; a test module may assign one to override."""

    @pytest.fixture(params=backends)
    def backend(request) -> str:
        """The database backend a run uses: ``sqlite``, ``postgres`` or ``mysql``."""
        require_backend(request.param)
        return request.param

    return backend


backend = backend_fixture(BACKENDS)


@pytest.fixture(scope="session")
def baseline():
    """``baseline(*labels, backend=...)``: Django's own runner at -v 2, run once per session.

    Runs are cached because several tests compare against the same baseline;
    the baseline is never the thing under test.
    """
    cache: dict[tuple, Completed] = {}

    def run(*labels: str, backend: str = "sqlite", env: dict | None = None) -> Completed:
        key = (labels, backend, tuple(sorted((env or {}).items())))
        if key not in cache:
            cache[key] = run_manage(
                "test",
                "--testrunner",
                BASELINE_RUNNER,
                "-v",
                "2",
                "--noinput",
                *labels,
                backend=backend,
                env=env,
            )
        return cache[key]

    return run


def postgres_databases() -> dict[str, str | None]:
    """Every database on the server with its comment."""
    import psycopg2

    connection = psycopg2.connect(**postgres_params(dbname="postgres"))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database")
            return dict(cursor.fetchall())
    finally:
        connection.close()


def postgres_clones() -> set[str]:
    """Clones of this project's test databases that exist on the server now.

    A clone is ``<test db name>_w<k>``; one carrying the runner's comment
    counts too, whatever its name.  Only this project's names are looked at,
    so runs of other projects against a shared server do not interfere.
    """
    prefix = f"test_{postgres_database_name()}"
    return {
        name
        for name, comment in postgres_databases().items()
        if name.startswith(prefix)
        and (_CLONE_NAME_RE.search(name) or (comment or "").startswith(CLONE_COMMENT))
    }


@contextmanager
def postgres_admin(database: str = "postgres"):
    """A cursor on an autocommit connection to ``database`` (the server's ``postgres``)."""
    import psycopg2

    connection = psycopg2.connect(**postgres_params(dbname=database))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


@contextmanager
def mysql_admin():
    """A cursor on an autocommit connection to the MySQL/MariaDB server (no database)."""
    import MySQLdb

    connection = MySQLdb.connect(**mysql_params())
    connection.autocommit(True)
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def mysql_databases() -> set[str]:
    """Every database on the MySQL/MariaDB server."""
    with mysql_admin() as cursor:
        cursor.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")
        return {row[0] for row in cursor.fetchall()}


@contextmanager
def unmarked_database(name: str, backend: str = "postgres"):
    """A database the runner did not make (no marker), created now and dropped after.

    On MySQL/MariaDB it holds one table, ``precious``, so a test can see it was left
    alone (a PostgreSQL test reads the database's comment, where clones are marked).
    """
    admin, quoted = (
        (mysql_admin, f"`{name}`") if backend == "mysql" else (postgres_admin, f'"{name}"')
    )
    with admin() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
        if backend == "mysql":
            cursor.execute(f"CREATE TABLE {quoted}.precious (id INT)")
    try:
        yield name
    finally:
        with admin() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
