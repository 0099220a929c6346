"""Template snapshots: a new database server restores the template instead of migrating."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ALL_BACKENDS, backend_fixture, mysql_admin, postgres_admin, require_backend
from helpers import (
    TESTPROJECT_DIR,
    manage_command,
    manage_env,
    mysql_database_name,
    postgres_database_name,
    run_manage,
)

backend = backend_fixture(ALL_BACKENDS)

LABELS = ("library", "shop")
ALIASES = ("default", "other")
SAVED = re.compile(r"^\[CONCURRENT\] Saved template snapshot (\S+) \(\d+\.\ds\)$", re.MULTILINE)
RESTORED = re.compile(
    r"^\[CONCURRENT\] Restored database template from snapshot (\S+) \(\d+\.\ds\)$", re.MULTILINE
)
MIGRATED = "Creating test database for alias"
TEMPLATE_MARKER = "django-concurrent-test template "


def _run(backend, cache_dir, *extra, env=None, project=TESTPROJECT_DIR):
    return run_manage(
        "concurrenttest", "--workers", "2", "-v", "2",
        "--timings-file", str(cache_dir / "timings.json"), *extra, *LABELS,
        backend=backend, env=env, project=project,
    )  # fmt: skip


def _server_templates(backend) -> dict[str, str]:
    """This project's templates on the server (or in the cache folder), with their markers."""
    if backend == "postgres":
        prefix = f"test_{postgres_database_name()}"
        with postgres_admin() as cursor:
            cursor.execute(
                "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname LIKE %s",
                [prefix + "%_template"],
            )
            return {name: comment or "" for name, comment in cursor.fetchall()}
    prefix = f"test_{mysql_database_name()}"
    with mysql_admin() as cursor:
        cursor.execute(
            "SELECT TABLE_SCHEMA FROM information_schema.TABLES "
            "WHERE TABLE_NAME = 'django_concurrent_test_template' AND TABLE_SCHEMA LIKE %s",
            [prefix + "%_template"],
        )
        markers = {}
        for (name,) in cursor.fetchall():
            cursor.execute(f"SELECT marker FROM `{name}`.django_concurrent_test_template")
            markers[name] = cursor.fetchone()[0]
        return markers


def _drop_templates(backend, cache_dir: Path) -> None:
    """What a new CI job's database server lacks: the migrated templates."""
    if backend == "sqlite":
        shutil.rmtree(cache_dir / "templates", ignore_errors=True)
        return
    if backend == "postgres":
        with postgres_admin() as cursor:
            for name in _server_templates(backend):
                cursor.execute(f'DROP DATABASE "{name}"')
        return
    with mysql_admin() as cursor:
        for name in _server_templates(backend):
            cursor.execute(f"DROP DATABASE `{name}`")


def _snapshots(cache_dir: Path) -> dict[str, dict]:
    """The description of each snapshot in the cache folder, by alias."""
    found = {}
    for path in sorted((cache_dir / "snapshots").glob("*.json")):
        data = json.loads(path.read_text())
        assert data["alias"] not in found, f"two snapshots of {data['alias']}"
        found[data["alias"]] = {**data, "file": path.with_suffix("")}
    return found


def _snapshot_file(cache_dir: Path, alias: str) -> Path:
    description = _snapshots(cache_dir)[alias]
    candidates = description["file"].parent.glob(description["file"].name + ".*")
    return next(path for path in candidates if path.suffix != ".json")


def _markers(backend, cache_dir: Path) -> set[str]:
    """The fingerprint digest each template is marked with."""
    if backend == "sqlite":
        return {p.read_text().strip() for p in (cache_dir / "templates").glob("*.fingerprint")}
    return {marker.removeprefix(TEMPLATE_MARKER) for marker in _server_templates(backend).values()}


def test_a_new_server_restores_the_templates_from_their_snapshots(backend, tmp_path):
    _drop_templates(backend, tmp_path)
    first = _run(backend, tmp_path)
    assert first.returncode == 0, first.describe()
    assert len(SAVED.findall(first.stdout)) == 2, first.describe()
    written = _snapshots(tmp_path)
    assert set(written) == set(ALIASES)
    assert {d["digest"] for d in written.values()} == _markers(backend, tmp_path)

    _drop_templates(backend, tmp_path)
    second = _run(backend, tmp_path)

    assert second.returncode == 0, second.describe()
    restored = RESTORED.findall(second.stdout)
    assert sorted(restored) == sorted(str(_snapshot_file(tmp_path, a)) for a in ALIASES), (
        second.describe()
    )
    assert MIGRATED not in second.output and "Applying " not in second.output, second.describe()
    assert not SAVED.search(second.stdout), second.describe()  # nothing new to save
    assert second.report.outcomes == first.report.outcomes, second.describe()
    # The restored templates carry our marker and the project's fingerprint.
    assert _markers(backend, tmp_path) == {d["digest"] for d in written.values()}


def test_a_changed_migration_file_makes_the_snapshot_stale(tmp_path):
    backend = "sqlite"  # the fingerprint is the same code for every backend
    project = tmp_path / "project"
    shutil.copytree(TESTPROJECT_DIR, project, ignore=shutil.ignore_patterns(".concurrent_test"))
    cache = tmp_path / "cache"
    cache.mkdir()
    _drop_templates(backend, cache)
    assert _run(backend, cache, project=project).returncode == 0
    before = _snapshots(cache)
    migration = min((project / "library" / "migrations").glob("0*.py"))
    migration.write_text(migration.read_text() + "\n# changed\n")
    _drop_templates(backend, cache)

    changed = _run(backend, cache, project=project)

    assert changed.returncode == 0, changed.describe()
    stale = re.findall(
        r"^\[CONCURRENT\] Template snapshot (\S+) is stale \(migrations changed\), migrating$",
        changed.stdout,
        re.MULTILINE,
    )
    assert len(stale) == 2, changed.describe()
    assert changed.output.count(MIGRATED) == 2 and not RESTORED.search(changed.stdout)
    after = _snapshots(cache)
    assert set(after) == set(ALIASES)
    assert all(after[a]["digest"] != before[a]["digest"] for a in ALIASES)
    assert len(list((cache / "snapshots").iterdir())) == 4  # one dump + description per alias
    _drop_templates(backend, cache)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_damaged_snapshot_warns_and_the_run_migrates(backend, tmp_path):
    require_backend(backend)
    _drop_templates(backend, tmp_path)
    assert _run(backend, tmp_path).returncode == 0
    truncated = _snapshot_file(tmp_path, "default")
    size = truncated.stat().st_size
    truncated.write_bytes(truncated.read_bytes()[:2000])
    other = _snapshot_file(tmp_path, "other").with_suffix(".json")
    description = json.loads(other.read_text())
    description["server_version"] = "PostgreSQL 9" if backend == "postgres" else "SQLite 2"
    other.write_text(json.dumps(description))
    _drop_templates(backend, tmp_path)

    run = _run(backend, tmp_path)

    assert run.returncode == 0, run.describe()
    warnings = [line for line in run.stderr.splitlines() if "not restored" in line]
    other_file = _snapshot_file(tmp_path, "other")
    server = _server_version(backend)
    assert warnings == [
        (
            f"[CONCURRENT] Warning: template snapshot {truncated} not restored: it is 2000 "
            f"bytes, {size} were written (truncated?); migrating"
        ),
        (
            f"[CONCURRENT] Warning: template snapshot {other_file} not restored: it was made "
            f"on {description['server_version']}, the server is {server}; migrating"
        ),
    ], run.describe()
    assert run.output.count(MIGRATED) == 2, run.describe()
    assert set(run.report.counts()) == {"ok"}, run.describe()
    # Both were replaced by snapshots of the new templates.
    assert len(SAVED.findall(run.stdout)) == 2, run.describe()
    assert _snapshot_file(tmp_path, "default").stat().st_size > 2000


def _server_version(backend) -> str:
    if backend == "sqlite":
        return "SQLite 3"
    with postgres_admin() as cursor:
        cursor.execute("SHOW server_version_num")
        return f"PostgreSQL {int(cursor.fetchone()[0]) // 10000}"


def test_missing_client_programs_warn_and_the_run_passes(tmp_path):
    require_backend("postgres")
    _drop_templates("postgres", tmp_path)
    assert _run("postgres", tmp_path).returncode == 0
    _drop_templates("postgres", tmp_path)
    empty = tmp_path / "no-tools"
    empty.mkdir()

    run = _run("postgres", tmp_path, env={"DJANGO_TEST_SNAPSHOT_TOOLS": str(empty)})

    assert run.returncode == 0, run.describe()
    version = _server_version("postgres").split()[1]
    not_restored = [line for line in run.stderr.splitlines() if "not restored" in line]
    assert len(not_restored) == 2, run.describe()
    assert all(
        line.endswith(f"not restored: no pg_restore {version} or newer in {empty}; migrating")
        for line in not_restored
    ), run.describe()
    not_written = [line for line in run.stderr.splitlines() if "no template snapshot" in line]
    assert not_written == [
        f"[CONCURRENT] Warning: no template snapshot written for alias {alias!r}: "
        f"no pg_dump {version} or newer in {empty}"
        for alias in ALIASES
    ], run.describe()
    assert run.output.count(MIGRATED) == 2, run.describe()
    assert set(run.report.counts()) == {"ok"}, run.describe()


def test_two_runs_restoring_at_once_do_not_collide(tmp_path):
    require_backend("postgres")
    _drop_templates("postgres", tmp_path)
    assert _run("postgres", tmp_path).returncode == 0
    _drop_templates("postgres", tmp_path)
    command = manage_command(
        "concurrenttest", "--workers", "2", "--noinput",
        "--timings-file", str(tmp_path / "timings.json"), *LABELS,
    )  # fmt: skip
    env = manage_env("postgres")
    processes = [_start(command, env) for _ in range(2)]
    outputs = [process.communicate(timeout=300) for process in processes]

    for process, (stdout, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stdout + stderr
    stdout = "".join(out for out, _ in outputs)
    # Each template restored once; the run that waited for it found it cached.
    assert len(RESTORED.findall(stdout)) == 2, outputs
    assert stdout.count("Using cached database template") == 2, outputs
    assert MIGRATED not in "".join(out + err for out, err in outputs)
    templates = _server_templates("postgres")
    assert len(templates) == 2 and all("_unfinished_" not in name for name in templates)
    assert all(marker.startswith(TEMPLATE_MARKER) for marker in templates.values())


def _start(command: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=TESTPROJECT_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_a_snapshot_that_cannot_be_written_is_one_warning_line(tmp_path):
    (tmp_path / "snapshots").write_text("a file where the folder would be")

    run = _run("sqlite", tmp_path)

    assert run.returncode == 0, run.describe()
    warnings = [line for line in run.stderr.splitlines() if "no template snapshot" in line]
    assert [line.split(": ", 2)[1] for line in warnings] == [
        f"no template snapshot written for alias {alias!r}" for alias in ALIASES
    ], run.describe()
    assert "Traceback" not in run.output and set(run.report.counts()) == {"ok"}, run.describe()
