"""An interrupted set-up never blocks the next run, and leaves nothing it cannot sweep.

The template build is paused mid-migration by ``scenarios.buildhook`` (a migration that
waits for a file), so the kill lands there every time, not by luck of timing.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import (
    ALL_BACKENDS,
    backend_fixture,
    mysql_admin,
    mysql_databases,
    postgres_admin,
    postgres_databases,
    unmarked_database,
)
from helpers import (
    TESTPROJECT_DIR,
    kill_process_group,
    manage_command,
    manage_env,
    mysql_database_name,
    postgres_database_name,
    run_manage,
)
from test_leftovers import _kill_mid_run

backend = backend_fixture(ALL_BACKENDS)

LABELS = ("scenarios.isolation",)
BUILD_HOOK_SETTINGS = "testproject.variants.build_hook"
UNFINISHED = "_unfinished_"


def _args(cache: Path, *extra: str) -> tuple[str, ...]:
    return (
        "concurrenttest", "--workers", "2", "--settings", BUILD_HOOK_SETTINGS,
        "--timings-file", str(cache / "timings.json"), *extra, *LABELS,
    )  # fmt: skip


def _wait_for(path: Path, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"the run ended ({process.returncode}) before {path}\n{output}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.05)


def _template_name(backend: str) -> str:
    if backend == "postgres":
        return f"test_{postgres_database_name()}_template"
    return f"test_{mysql_database_name()}_template"


def _server_databases(backend: str) -> set[str]:
    if backend == "postgres":
        return set(postgres_databases())
    if backend == "mysql":
        return mysql_databases()
    return set()


def _drop_by_hand(backend: str, names) -> None:
    """What a user had to do before: drop what the killed run left (test cleanup only)."""
    if backend == "sqlite":
        return
    admin, quote = (postgres_admin, '"') if backend == "postgres" else (mysql_admin, "`")
    with admin() as cursor:
        for name in names:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote}{name}{quote}")


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_run_killed_while_migrating_the_template_does_not_block_the_next(backend, signum, tmp_path):
    cache = tmp_path / "cache"
    hook = tmp_path / "hook"
    hook.mkdir()
    env = {"ISOLATION_DIR": str(tmp_path), "BUILD_HOOK_DIR": str(hook)}
    before = _server_databases(backend)
    process = subprocess.Popen(
        manage_command(*_args(cache), "--noinput"),
        cwd=TESTPROJECT_DIR, env=manage_env(backend, env), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        _wait_for(hook / "migrating", process)
        os.kill(process.pid, signum)
        process.wait(timeout=60)
    finally:
        kill_process_group(process.pid)  # the workers it had started
        process.wait()
    left = _server_databases(backend) - before
    try:
        env.pop("BUILD_HOOK_DIR")
        run = run_manage(*_args(cache), backend=backend, env=env)

        assert run.returncode == 0, run.describe()
        assert run.report.summary == "OK", run.describe()
        after = _server_databases(backend)
        assert not {name for name in after if UNFINISHED in name}, run.describe()
        assert not list(cache.glob(f"templates/*{UNFINISHED}*")), run.describe()
        assert not list(cache.glob("ledger/*.json")), run.describe()
        if signum == signal.SIGKILL and backend == "postgres":
            # The killed run's build, under a name that proves it ours and unfinished.
            (unfinished,) = left
            assert UNFINISHED in unfinished, left
            assert f"Dropping {unfinished!r}, left behind by a run that was killed" in run.stdout
        if signum == signal.SIGKILL and backend == "mysql":
            # Built under its final name, which the killed run's ledger proves ours.
            template = _template_name(backend)
            assert f"Dropping {template!r}, left behind by a run that was killed" in run.stdout
    finally:
        if backend != "sqlite":
            _drop_by_hand(backend, {name for name in _server_databases(backend) - before})
            # Without its marker the template blocked every later run (exit 2).
            template = _template_name(backend)
            if backend == "postgres" and postgres_databases().get(template, "") is None:
                _drop_by_hand(backend, [template])


def test_clones_left_unmarked_by_a_killed_run_are_swept_and_lookalikes_kept(tmp_path):
    """SIGKILL between CREATE DATABASE and COMMENT ON DATABASE: the ledger proves them ours."""
    backend = "postgres"
    from conftest import require_backend

    require_backend(backend)
    env = {"ISOLATION_DIR": str(tmp_path)}
    before = set(postgres_databases())
    _kill_mid_run(backend, env)
    left = {n for n in set(postgres_databases()) - before if re.search(r"_p\d+_w\d+$", n)}
    assert left, "the killed run should have left its clones behind"
    with postgres_admin() as cursor:
        for name in left:  # as if the kill had come before the comment
            cursor.execute(f'COMMENT ON DATABASE "{name}" IS NULL')
    ledgers = list((TESTPROJECT_DIR / ".concurrent_test" / "ledger").glob("*.json"))
    recorded = {
        entry["name"] for path in ledgers for entry in json.loads(path.read_text())["databases"]
    }
    assert left <= recorded, (left, recorded)
    lookalike = f"test_{postgres_database_name()}_p999999_w1"
    try:
        with unmarked_database(lookalike):
            run = run_manage("concurrenttest", "--workers", "2", *LABELS, backend=backend, env=env)

            assert run.returncode == 0, run.describe()
            for name in left:
                assert f"Dropping {name!r}, left behind by a run that was killed" in run.stdout
            assert not left & set(postgres_databases()), run.describe()
            assert postgres_databases().get(lookalike, "missing") is None  # untouched
    finally:
        _drop_by_hand(backend, left)
