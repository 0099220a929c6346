"""Damaged cache plumbing never crashes a run and never costs it (issue #27).

Lock files replaced by directories, a ledger folder that is a file, a read-only cache
folder, a full disk while the template is built: one ``[CONCURRENT]`` line naming the
file and what is wrong, the same verdict and exit status, and the next run is healthy.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from contextlib import contextmanager

import pytest
from helpers import TESTPROJECT_DIR, run_manage

LABELS = ("library",)
WARNING = "[CONCURRENT] Warning: "
CACHED = "[CONCURRENT] Using cached database template"


def _run(backend, cache, project=TESTPROJECT_DIR):
    timings = () if cache is None else ("--timings-file", str(cache / "timings.json"))
    run = run_manage(
        "concurrenttest", "--workers", "2", *timings, *LABELS, backend=backend, project=project
    )
    assert run.returncode == 0 and run.report.summary == "OK", run.describe()
    return run


def _warnings(run) -> list[str]:
    return [line for line in run.output.splitlines() if line.startswith(WARNING)]


def _template_lock(cache, alias: str):
    """Where the SQLite template lock of ``alias`` is (``templates.TemplateCache._locked``)."""
    name = str(cache / "templates" / f"{alias}.sqlite3")
    return cache / f".template-{int(hashlib.sha1(name.encode()).hexdigest()[:15], 16)}.lock"


def test_lock_files_that_are_directories_are_set_aside(backend, tmp_path):
    cache = tmp_path / "cache"
    locks = [cache / "ledger" / ".sweep.lock"]
    if backend == "sqlite":  # a server's template lock is the server's own
        locks += [_template_lock(cache, alias) for alias in ("default", "other")]
    for lock in locks:
        (lock / "inside").mkdir(parents=True)

    damaged, healthy = _run(backend, cache), _run(backend, cache)

    said = _warnings(damaged)
    assert len(said) == len(locks), damaged.describe()
    for lock in locks:
        expected = f"lock file {lock} is unusable (it is a directory); set aside as "
        assert sum(expected in line for line in said) == 1, damaged.describe()
    assert _warnings(healthy) == [], healthy.describe()
    assert healthy.stdout.count(CACHED) == 2, healthy.describe()
    assert healthy.report.ran == damaged.report.ran


@contextmanager
def _tmpfs(where, options: str):
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                             capture_output=True, text=True, check=False)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_read_only_or_full_cache_folder_costs_nothing(tmp_path):
    """SQLite: the template is a file in the cache folder; Django's set-up takes over."""
    project = tmp_path / "project"
    shutil.copytree(TESTPROJECT_DIR, project, ignore=shutil.ignore_patterns(".concurrent_test"))
    with _tmpfs(project / ".concurrent_test", "ro,size=64k"):
        read_only = _run("sqlite", None, project)
    with _tmpfs(tmp_path / "full", "size=48k") as full:
        disk_full = _run("sqlite", full)
    (tmp_path / "cache").mkdir()
    healthy = _run("sqlite", tmp_path / "cache")

    said = [line for line in _warnings(read_only) if "template cache" in line]
    assert len(said) == 1, read_only.describe()
    assert ".concurrent_test/.template-" in said[0] and "Read-only file system" in said[0]
    said = _warnings(disk_full)
    assert len(said) == 1 and "database or disk is full" in said[0], disk_full.describe()
    assert f"{full}/templates/default.sqlite3" in said[0]
    assert "Traceback" not in read_only.output + disk_full.output
    for run in (read_only, disk_full):
        assert "setting up the test databases as Django does" in run.output
        assert "Creating test database for alias 'default'" in run.output  # migrated
        assert run.report.ran == healthy.report.ran
