"""An interrupted set-up never blocks the next run, and leaves nothing it cannot sweep.

The template build is paused mid-migration by ``scenarios.buildhook`` (a migration that
waits for a file), so the kill lands there every time, not by luck of timing.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import (
    ALL_BACKENDS,
    backend_fixture,
    mysql_admin,
    mysql_databases,
    postgres_admin,
    postgres_databases,
    require_backend,
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
    cache.mkdir()
    hook = tmp_path / "hook"
    hook.mkdir()
    env = {"ISOLATION_DIR": str(tmp_path), "BUILD_HOOK_DIR": str(hook)}
    if backend != "sqlite":
        # An earlier test may have left this template cached: the run must build it.
        _drop_by_hand(backend, [_template_name(backend)])
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


def _creating(cursor, waiting: bool) -> int:
    """Server sessions running CREATE DATABASE (only those waiting for a lock if ``waiting``)."""
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'CREATE DATABASE%%' "
        "AND state = 'active' AND (NOT %s OR wait_event_type = 'Lock')",
        [waiting],
    )
    return cursor.fetchone()[0]


@contextmanager
def _clones_waiting_on_the_template(args: tuple[str, ...], env: dict):
    """A run whose clones' ``CREATE DATABASE … TEMPLATE`` waits on a lock on the template.

    An open transaction that comments on the template holds the lock. Yields the run's
    process once two clones wait, and the cursor whose ROLLBACK lets them go on; the
    run's process group is killed on the way out.
    """
    template = f"test_{postgres_database_name()}_template"
    with postgres_admin() as admin:
        admin.execute("BEGIN")
        admin.execute(f'COMMENT ON DATABASE "{template}" IS %s', [postgres_databases()[template]])
        process = subprocess.Popen(
            manage_command(*args, "--noinput", *LABELS),
            cwd=TESTPROJECT_DIR, env=manage_env("postgres", env), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        try:
            with postgres_admin() as watcher:
                deadline = time.monotonic() + 180
                while _creating(watcher, waiting=True) < 2:
                    assert process.poll() is None, process.communicate()
                    assert time.monotonic() < deadline, "no CREATE DATABASE waited"
                    time.sleep(0.05)
            yield process, admin
        finally:
            kill_process_group(process.pid)
            process.wait()
            admin.execute("ROLLBACK")  # a no-op once the test has rolled back


def _with_a_cached_template(args: tuple[str, ...], env: dict) -> None:
    first = run_manage(*args, *LABELS, backend="postgres", env=env)
    assert first.returncode == 0, first.describe()  # the template exists now


def test_clones_a_run_killed_while_creating_them_are_swept_and_lookalikes_kept(tmp_path):
    """SIGKILL while the server runs CREATE DATABASE: the clones finish with no comment.

    The run is killed while its clones wait on a lock held on the template, then the
    lock goes and the server completes them for a client that is gone (as in the issue,
    where a kill fell between CREATE DATABASE and COMMENT ON DATABASE).
    """
    require_backend("postgres")
    env = {"ISOLATION_DIR": str(tmp_path)}
    args = ("concurrenttest", "--workers", "2")
    _with_a_cached_template(args, env)
    before = set(postgres_databases())
    with _clones_waiting_on_the_template(args, env) as (process, _admin):
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    with postgres_admin() as watcher:
        deadline = time.monotonic() + 60
        while _creating(watcher, waiting=False):
            assert time.monotonic() < deadline, "the server never finished the clones"
            time.sleep(0.05)
    left = {n for n in set(postgres_databases()) - before if re.search(r"_p\d+_w\d+$", n)}
    try:
        assert len(left) == 2, left
        assert all(postgres_databases()[name] is None for name in left)  # never commented
        lookalike = f"test_{postgres_database_name()}_p999999_w1"
        with unmarked_database(lookalike):
            run = run_manage(*args, *LABELS, backend="postgres", env=env)

            assert run.returncode == 0, run.describe()
            for name in left:
                assert f"Dropping {name!r}, left behind by a run that was killed" in run.stdout
            assert not left & set(postgres_databases()), run.describe()
            assert postgres_databases().get(lookalike, "missing") is None  # untouched
    finally:
        _drop_by_hand("postgres", left)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_cloning_stops_the_run_and_drops_its_clones(signum, tmp_path):
    """Ctrl-C or SIGTERM to the process group while the clones are being created.

    The clones wait on a lock held on the template (as above), so the signal lands in
    the cloning phase every time; the lock is released right after it. Cloning finishes,
    then the run stops: no test runs, its clones are dropped, it says INTERRUPTED.
    """
    require_backend("postgres")
    env = {"ISOLATION_DIR": str(tmp_path)}
    cache = tmp_path / "cache"
    cache.mkdir()
    args = ("concurrenttest", "--workers", "2", "--timings-file", str(cache / "timings.json"))
    _with_a_cached_template(args, env)
    before = set(postgres_databases())
    with _clones_waiting_on_the_template(args, env) as (process, admin):
        os.killpg(process.pid, signum)  # as a terminal's Ctrl-C or a CI cancellation
        admin.execute("ROLLBACK")
        stdout, stderr = process.communicate(timeout=120)
    described = f"exit {process.returncode}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
    left = set(postgres_databases()) - before
    try:
        assert process.returncode == 128 + signum, described
        interrupted = re.search(r"^INTERRUPTED: (\d+) of \1 tests not run$", stderr, re.MULTILINE)
        assert interrupted, described
        assert "Traceback" not in stdout + stderr, described
        ran = re.search(r"^test_\w+ \(.*\) \.\.\. ", stderr, re.MULTILINE)
        assert not ran, described
        assert not left, described  # the clones it made are dropped
        assert not list(cache.glob("ledger/*.json")), described  # nothing left to sweep
    finally:
        _drop_by_hand("postgres", left)
