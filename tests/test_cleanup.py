"""No run leaves a cloned database behind: not a passing one, a failing one or an interrupted one."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import postgres_clones
from helpers import (
    TESTPROJECT_DIR,
    databases_set_up,
    kill_process_group,
    manage_command,
    manage_env,
    parse_test_output,
    process_group_alive,
    run_manage,
    started_workers,
)

# concurrent_test_app.databases.TEMP_PREFIX: where SQLite clones live during a run.
SQLITE_CLONE_DIR_PREFIX = "django-concurrent-test-"
# scenarios.slow alone needs no database (SimpleTestCase), so nothing would be
# cloned; scenarios.isolation does, and scenarios.slow keeps the run going
# long enough to be watched and interrupted.
PASSING_WITH_DATABASES = ("scenarios.isolation", "scenarios.slow")
FAILING_WITH_DATABASES = ("scenarios.outcomes", "scenarios.fixtures")


class Leftovers:
    """What a run may leave behind, snapshotted before it and compared after it.

    Every run gets a private TMPDIR, so anything still in it afterwards is a
    leftover.  SQLite files next to the project or in the working directory,
    and PostgreSQL clones of this project's test databases, are compared with
    what existed before the run.
    """

    def __init__(self, backend: str, tmp_path: Path) -> None:
        self.backend = backend
        self.tmpdir = tmp_path / "run-tmp"
        self.tmpdir.mkdir()
        self.before = self._state()

    @property
    def env(self) -> dict:
        return {"TMPDIR": str(self.tmpdir)}

    def _state(self) -> dict:
        state = {
            "sqlite files": {
                str(path)
                for folder in {TESTPROJECT_DIR, Path.cwd()}
                for path in folder.rglob("*.sqlite3*")
                # The template cache beside manage.py is kept on purpose (the next
                # run skips migrations); test_templates.py covers it.
                if ".concurrent_test" not in path.parts
            },
        }
        if self.backend == "postgres":
            state["postgres clones"] = postgres_clones()
        return state

    def found(self) -> dict:
        after = self._state()
        left = {kind: sorted(after[kind] - self.before[kind]) for kind in after}
        left["temporary files"] = sorted(
            str(path.relative_to(self.tmpdir)) for path in self.tmpdir.rglob("*")
        )
        return {kind: names for kind, names in left.items() if names}


@pytest.fixture
def leftovers(backend, tmp_path) -> Leftovers:
    return Leftovers(backend, tmp_path)


@pytest.mark.parametrize(
    "labels, expected_exit",
    [(PASSING_WITH_DATABASES, 0), (FAILING_WITH_DATABASES, 1)],
    ids=["passing", "failing"],
)
def test_finished_run_drops_its_clones(backend, leftovers, labels, expected_exit):
    run = run_manage(
        "concurrenttest", "--workers", "2", *labels, backend=backend, env=leftovers.env
    )

    assert started_workers(run) == [2], run.describe()
    assert databases_set_up(run) and databases_set_up(run)[0] >= 2, run.describe()
    assert run.returncode == expected_exit, run.describe()
    assert leftovers.found() == {}, run.describe()


def test_sqlite_clones_are_made_in_a_private_temporary_directory(tmp_path):
    """The clones are really where the cleanup check looks for them."""
    tmpdir = tmp_path / "run-tmp"
    tmpdir.mkdir()
    seen: set[str] = set()
    process = start_manage(
        ["concurrenttest", "--workers", "2", "-v", "2", *PASSING_WITH_DATABASES],
        backend="sqlite",
        env={"TMPDIR": str(tmpdir)},
    )
    lines = LineReader(process)
    try:
        while process.poll() is None:
            seen.update(path.name for path in tmpdir.glob(SQLITE_CLONE_DIR_PREFIX + "*"))
            time.sleep(0.05)
        lines.join()
    finally:
        kill_process_group(process.pid)
        process.wait()
    assert process.returncode == 0, lines.describe(process.returncode)
    assert seen, "no clone directory appeared in TMPDIR during the run\n" + lines.describe(0)
    assert list(tmpdir.iterdir()) == [], lines.describe(0)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_run_drops_its_clones(backend, leftovers, signum):
    process = start_manage(
        ["concurrenttest", "--workers", "2", "-v", "2", *PASSING_WITH_DATABASES],
        backend=backend,
        env=leftovers.env,
    )
    lines = LineReader(process)
    returncode = None
    try:
        lines.wait_for("stdout", "[CONCURRENT] Successfully setup", timeout=180)
        # A test has finished in a worker: clones are in use, not just created.
        lines.wait_for("stderr", " ... ", timeout=180)
        assert process.poll() is None, "the run finished before it could be interrupted"
        assert clones_exist(backend, leftovers), lines.describe(None)
        os.kill(process.pid, signum)
        returncode = process.wait(timeout=180)
        lines.join()
        # Unlike Django's own runner (OK, exit 0), an interrupted run must not look
        # like a success: it says what was not run and exits with 128 + the signal.
        assert returncode == 128 + signum, lines.describe(returncode)
        stderr = "".join(lines.lines["stderr"])
        interrupted = re.search(
            r"^INTERRUPTED: (\d+) of (\d+) tests not run$", stderr, re.MULTILINE
        )
        assert interrupted, lines.describe(returncode)
        report = parse_test_output(stderr)
        not_run, total = int(interrupted.group(1)), int(interrupted.group(2))
        assert report.ran + not_run == total, lines.describe(returncode)
        assert wait_until_gone(process.pid, timeout=60), (
            "worker processes outlived the interrupted run\n" + lines.describe(returncode)
        )
    finally:
        kill_process_group(process.pid)
        process.wait()
    assert leftovers.found() == {}, lines.describe(returncode)


def clones_exist(backend: str, leftovers: Leftovers) -> bool:
    """True while the run's clones are there: the interruption tests something."""
    if backend == "postgres":
        return bool(postgres_clones() - leftovers.before["postgres clones"])
    return any(leftovers.tmpdir.glob(SQLITE_CLONE_DIR_PREFIX + "*/*"))


def start_manage(args: list[str], backend: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        manage_command(*args, "--noinput"),
        cwd=TESTPROJECT_DIR,
        env=manage_env(backend, env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_until_gone(pgid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while process_group_alive(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


class LineReader:
    """Reads a process's stdout and stderr on threads so neither pipe fills up."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self.events: queue.Queue[tuple[str, str]] = queue.Queue()
        self.threads = [
            threading.Thread(target=self._read, args=(name, stream), daemon=True)
            for name, stream in (("stdout", process.stdout), ("stderr", process.stderr))
        ]
        for thread in self.threads:
            thread.start()

    def _read(self, name: str, stream) -> None:
        for line in stream:
            self.lines[name].append(line)
            self.events.put((name, line))

    def wait_for(self, stream: str, text: str, timeout: float) -> None:
        if any(text in line for line in self.lines[stream]):
            return
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                name, line = self.events.get(timeout=max(remaining, 0.01))
            except queue.Empty:
                if remaining <= 0:
                    raise AssertionError(
                        f"{text!r} never appeared on {stream}\n" + self.describe(None)
                    ) from None
                continue
            if name == stream and text in line:
                return

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=60)

    def describe(self, returncode: int | None) -> str:
        return (
            f"exit code: {returncode}\n--- stdout ---\n{''.join(self.lines['stdout'])}"
            f"\n--- stderr ---\n{''.join(self.lines['stderr'])}"
        )
