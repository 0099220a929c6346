"""A run killed with SIGKILL leaves clones; the next run removes them, and only them."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from conftest import postgres_clones, postgres_databases, require_backend, unmarked_database
from helpers import (
    TESTPROJECT_DIR,
    kill_process_group,
    manage_command,
    manage_env,
    postgres_database_name,
    run_manage,
)

LABELS = ("scenarios.isolation", "scenarios.slow")


def _kill_mid_run(backend: str, env: dict) -> None:
    process = subprocess.Popen(
        manage_command("concurrenttest", "--workers", "2", "--noinput", *LABELS),
        cwd=TESTPROJECT_DIR, env=manage_env(backend, env), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        for line in process.stdout:
            if "[CONCURRENT] Successfully setup" in line:
                break
        time.sleep(0.5)
        os.kill(process.pid, signal.SIGKILL)  # no finally block of ours runs
        process.wait(timeout=30)
    finally:
        kill_process_group(process.pid)


def test_next_run_drops_what_a_killed_run_left_on_postgres(tmp_path):
    require_backend("postgres")
    env = {"ISOLATION_DIR": str(tmp_path)}
    before = postgres_clones()
    _kill_mid_run("postgres", env)
    left = postgres_clones() - before
    assert left, "the killed run should have left its clones behind"
    # A database that only looks like a clone (no marker) must survive the sweep.
    lookalike = f"test_{postgres_database_name()}_p999999_w1"
    with unmarked_database(lookalike):
        run = run_manage("concurrenttest", "--workers", "2", *LABELS, backend="postgres", env=env)

        assert run.returncode == 0, run.describe()
        for name in left:
            assert f"Dropping {name!r}, left behind by a run that was killed" in run.stdout
        assert not (left & set(postgres_databases())), run.describe()
        assert lookalike in postgres_databases()


def test_next_run_removes_what_a_killed_run_left_in_the_temp_dir(tmp_path):
    run_tmp = tmp_path / "tmp"
    run_tmp.mkdir()
    env = {"ISOLATION_DIR": str(tmp_path), "TMPDIR": str(run_tmp)}
    _kill_mid_run("sqlite", env)
    left = list(run_tmp.glob("django-concurrent-test-*"))
    assert any(path.name.startswith("django-concurrent-test-") for path in left)
    foreign = run_tmp / "django-concurrent-test-not-ours"
    foreign.mkdir()  # no owner file: never ours to remove

    run = run_manage("concurrenttest", "--workers", "2", *LABELS, env=env)

    assert run.returncode == 0, run.describe()
    assert "left behind by a run that was killed" in run.stdout, run.describe()
    assert sorted(run_tmp.iterdir()) == [foreign]
