"""MySQL/MariaDB clones: isolated, marked, dropped, swept, and never someone else's database."""

from __future__ import annotations

import json
import os

import pytest
from conftest import mysql_admin, mysql_databases, require_backend, unmarked_database
from helpers import concurrent, mysql_database_name, mysql_params, run_manage, started_workers
from test_leftovers import LABELS, _kill_mid_run

MARKER_TABLE = "django_concurrent_test_clone"


@pytest.fixture(autouse=True)
def _mysql_server():
    require_backend("mysql")  # skipped without a server; fails under CI=true


def marked_databases() -> dict[str, str]:
    """Databases on the server that carry the runner's marker table, with their marker."""
    with mysql_admin() as cursor:
        cursor.execute(
            "SELECT TABLE_SCHEMA FROM information_schema.TABLES WHERE TABLE_NAME = %s",
            [MARKER_TABLE],
        )
        markers = {}
        for (name,) in cursor.fetchall():
            cursor.execute(f"SELECT marker FROM `{name}`.`{MARKER_TABLE}`")
            markers[name] = cursor.fetchone()[0]
        return markers


def tables_of(name: str) -> list[str]:
    """The tables of database ``name``."""
    with mysql_admin() as cursor:
        cursor.execute(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s", [name]
        )
        return [row[0] for row in cursor.fetchall()]


def project_databases() -> set[str]:
    """This project's test databases and clones (other projects may share the server).

    Templates are left out: the template cache keeps them between runs on purpose.
    """
    return {
        name
        for name in mysql_databases()
        if name.startswith(f"test_{mysql_database_name()}") and not name.endswith("_template")
    }


def test_workers_use_separate_clones_that_are_dropped_afterwards(tmp_path):
    before = project_databases()
    run = concurrent("scenarios.isolation", backend="mysql", env={"ISOLATION_DIR": str(tmp_path)})

    assert started_workers(run) == [2], run.describe()
    assert run.returncode == 0 and run.report.summary == "OK", run.describe()
    # Both workers passed the identity check (SELECT DATABASE()) before any test ran.
    assert "[CONCURRENT] Verifying database isolation" in run.stdout, run.describe()
    databases = {
        name: json.loads((tmp_path / f"{name}.json").read_text())["database"]
        for name in ("IsolationA", "IsolationB")
    }
    assert databases["IsolationA"] != databases["IsolationB"], databases
    base = f"test_{mysql_database_name()}_p"
    assert all(name.startswith(base) for name in databases.values()), databases
    assert {path.name for path in tmp_path.glob("*.ready")} == {"A.ready", "B.ready"}
    assert project_databases() == before, run.describe()


def test_next_run_drops_what_a_killed_run_left_and_nothing_else(tmp_path):
    env = {"ISOLATION_DIR": str(tmp_path)}
    before = set(marked_databases())
    _kill_mid_run("mysql", env)
    left = set(marked_databases()) - before
    assert left, "the killed run should have left its marked clones behind"
    # Looks like a clone by name but has no marker table: it must survive the sweep.
    lookalike = f"test_{mysql_database_name()}_p999999_w1"
    try:
        with unmarked_database(lookalike, "mysql"):
            run = run_manage("concurrenttest", "--workers", "2", *LABELS, backend="mysql", env=env)

            assert run.returncode == 0, run.describe()
            for name in left:
                assert f"Dropping {name!r}, left behind by a run that was killed" in run.stdout
            assert not left & mysql_databases(), run.describe()
            assert lookalike in mysql_databases()
    finally:
        with mysql_admin() as cursor:
            # The killed run's test databases (Django's, not clones) are left too.
            for name in project_databases() - before:
                if name in (f"test_{mysql_database_name()}", f"test_{mysql_database_name()}_other"):
                    cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


def test_foreign_database_with_a_clone_name_is_never_dropped():
    # With --keepdb clone names are stable (without it they carry the run's pid).
    foreign = f"test_{mysql_database_name()}_w1"
    try:
        with unmarked_database(foreign, "mysql"):
            run = run_manage(
                "concurrenttest", "--workers", "2", "--keepdb", "library", backend="mysql"
            )

            assert run.returncode == 2, run.describe()
            assert f"Refusing to drop database {foreign!r}" in run.stderr, run.describe()
            assert tables_of(foreign) == ["precious"]
    finally:
        with mysql_admin() as cursor:
            # --keepdb kept what the run made before it stopped: ours, marked, or Django's.
            for name in project_databases():
                if name in marked_databases() or not name.endswith(("_w1", "_w2")):
                    cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


def test_user_without_create_privilege_is_refused_with_the_grant_to_run():
    params = mysql_params()
    with mysql_admin() as cursor:
        cursor.execute("DROP USER IF EXISTS 'ct_nocreate'@'%'")
        cursor.execute("CREATE USER 'ct_nocreate'@'%' IDENTIFIED BY 'nocreate'")
        cursor.execute("GRANT SELECT ON *.* TO 'ct_nocreate'@'%'")
    try:
        url = (
            f"mysql://ct_nocreate:nocreate@{params['host']}:{params['port']}/"
            f"{mysql_database_name()}"
        )
        before = mysql_databases()
        run = run_manage("concurrenttest", "--workers", "2", "library", env={"DATABASE_URL": url})

        assert run.returncode == 2, run.describe()
        assert "PermissionException: Missing permission: CREATE, DROP" in run.stderr, run.describe()
        name = mysql_database_name().replace("_", "\\_")
        grant = f"GRANT ALL PRIVILEGES ON `test\\_{name}%`.* TO 'ct_nocreate'@'%';"
        assert grant in run.stderr, run.describe()
        assert mysql_databases() == before
    finally:
        with mysql_admin() as cursor:
            cursor.execute("DROP USER IF EXISTS 'ct_nocreate'@'%'")


def test_clone_of_a_user_with_database_pattern_grants(tmp_path):
    # The grant Django's documentation suggests, on a pattern rather than *.*: enough.
    params = mysql_params()
    name = mysql_database_name().replace("_", "\\_")
    with mysql_admin() as cursor:
        cursor.execute("DROP USER IF EXISTS 'ct_pattern'@'%'")
        cursor.execute("CREATE USER 'ct_pattern'@'%' IDENTIFIED BY 'pattern'")
        cursor.execute(f"GRANT ALL PRIVILEGES ON `test\\_{name}%`.* TO 'ct_pattern'@'%'")
    try:
        url = (
            f"mysql://ct_pattern:pattern@{params['host']}:{params['port']}/{mysql_database_name()}"
        )
        run = run_manage(
            "concurrenttest",
            "--workers",
            "2",
            "scenarios.isolation",
            env={"DATABASE_URL": url, "ISOLATION_DIR": str(tmp_path)},
        )

        assert started_workers(run) == [2], run.describe()
        assert run.returncode == 0, run.describe()
    finally:
        with mysql_admin() as cursor:
            cursor.execute("DROP USER IF EXISTS 'ct_pattern'@'%'")


def test_a_failed_load_drops_the_clones_it_made_and_says_why(tmp_path):
    # A dump program that fails: the clones are already created and marked by then.
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in ("mysqldump", "mariadb-dump"):
        script = fake / name
        script.write_text("#!/bin/sh\necho FAKE-DUMP-FAILURE >&2\nexit 3\n")
        script.chmod(0o755)
    before = set(marked_databases())
    env = {"PATH": f"{fake}:{os.environ.get('PATH', '')}"}

    run = run_manage("concurrenttest", "--workers", "2", "library", backend="mysql", env=env)

    assert run.returncode != 0, run.describe()
    assert "DatabaseCloneException" in run.stderr, run.describe()
    assert "FAKE-DUMP-FAILURE" in run.stderr, run.describe()
    assert set(marked_databases()) == before, run.describe()


def test_foreign_database_with_the_template_name_is_refused():
    foreign = f"test_{mysql_database_name()}_template"
    with unmarked_database(foreign, "mysql"):
        run = run_manage("concurrenttest", "--workers", "2", "library", "shop", backend="mysql")

        assert run.returncode == 2, run.describe()
        assert f"Refusing to replace database {foreign!r}" in run.stderr, run.describe()
        assert tables_of(foreign) == ["precious"]


def test_clones_of_a_template_do_not_carry_its_marker(tmp_path):
    before = set(marked_databases())
    # A run killed once its clones exist leaves them to look at.
    _kill_mid_run("mysql", {"ISOLATION_DIR": str(tmp_path)})
    left = set(marked_databases()) - before
    try:
        assert left, "the killed run should have left its marked clones behind"
        template = f"test_{mysql_database_name()}_template"
        with mysql_admin() as cursor:
            cursor.execute(
                "SELECT TABLE_SCHEMA FROM information_schema.TABLES WHERE TABLE_NAME = %s",
                ["django_concurrent_test_template"],
            )
            templates = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s",
                [min(left)],
            )
            tables_in_clone = cursor.fetchone()[0]
        assert template in templates
        assert not left & templates
        assert tables_in_clone > 5  # the migrated schema came across, not just the marker
    finally:
        with mysql_admin() as cursor:
            for name in left:  # marked by the killed run: ours
                cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
