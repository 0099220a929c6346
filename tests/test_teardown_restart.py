"""A database server restart while the run drops its clones: the verdict is the tests'.

The drop is retried (DJANGO_TEST_MAX_RETRIES); what still cannot be dropped is left to
the next run's sweep with one warning line, never a traceback. The test stops and starts
the real server with pg_ctl: ``.ci/run`` exports CONCURRENT_TEST_PG_CTL (the command, with
``runuser -u postgres --`` when run as root) and CONCURRENT_TEST_PG_CTL_DATA (its data
directory); under CI=true a missing variable fails the test.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import postgres_clones, postgres_databases, require_backend
from helpers import in_ci, kill_process_group, parse_test_output, postgres_params
from test_cleanup import LineReader, start_manage

LABEL = "scenarios.teardown_restart"
NOT_DROPPED = "[CONCURRENT] Warning: could not drop 2 test database(s)"


@pytest.fixture
def server():
    """Stops and starts the PostgreSQL server the tests use; always started again after."""
    require_backend("postgres")
    command, data = (
        os.environ.get("CONCURRENT_TEST_PG_CTL"),
        os.environ.get("CONCURRENT_TEST_PG_CTL_DATA"),
    )
    if not (command and data):
        message = "CONCURRENT_TEST_PG_CTL and CONCURRENT_TEST_PG_CTL_DATA are needed to restart"
        if in_ci():
            pytest.fail(f"{message}; .ci/run exports them")
        pytest.skip(message)
    control = PgCtl(shlex.split(command), data)
    try:
        yield control
    finally:
        control.start()


class PgCtl:
    """pg_ctl for one data directory; ``start`` reuses the options the server ran with."""

    def __init__(self, command: list[str], data: str) -> None:
        self.command, self.data = command, data
        # postmaster.opts: the server binary, then every option it was started with.
        words = shlex.split(Path(data, "postmaster.opts").read_text())[1:]
        at = words.index("-D") if "-D" in words else None
        self.options = words[:at] + words[at + 2 :] if at is not None else words
        self.running = True

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")
        self.running = False

    def start(self) -> None:
        if not self.running:
            log = str(Path(self.data).parent / "restart.log")
            self._pg_ctl("-w", "-t", "60", "-l", log, "-o", shlex.join(self.options), "start")
            self.running = True

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.command, "-D", self.data, *args], check=True, capture_output=True, timeout=90
        )


def _wait_for_file(path: Path, process, lines: LineReader, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, lines.describe(process.returncode)
        assert time.monotonic() < deadline, f"{path} never appeared\n" + lines.describe(None)
        time.sleep(0.05)


def _run_through_a_stop(server: PgCtl, folder: Path, cache: Path, env: dict, restart_on=None):
    """One run whose server is stopped after its tests; started again on ``restart_on``."""
    folder.mkdir()
    process = start_manage(
        ["concurrenttest", "--workers", "2", "-v", "2", "--timings-file",
         str(cache / "timings.json"), LABEL],
        backend="postgres", env={"RESTART_DIR": str(folder), **env},
    )  # fmt: skip
    lines = LineReader(process)
    try:
        _wait_for_file(folder / "done", process, lines)
        server.stop()
        (folder / "stopped").write_text("")
        if restart_on is not None:
            lines.wait_for("stdout", restart_on, timeout=120)
            server.start()
        returncode = process.wait(timeout=180)
        lines.join()
    finally:
        kill_process_group(process.pid)
        process.wait()
        server.start()
    return returncode, lines


def _ledger(cache: Path) -> list[dict]:
    return [
        entry
        for path in sorted((cache / "ledger").glob("*.json"))
        for entry in json.loads(path.read_text())["databases"]
    ]


def test_server_restart_while_dropping_clones(server, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    before = postgres_clones()

    # No retries: the clones stay, one warning line says so, the exit status is the tests'.
    status, lines = _run_through_a_stop(
        server, tmp_path / "first", cache, {"DJANGO_TEST_MAX_RETRIES": "0"}
    )
    output = "".join(lines.lines["stdout"] + lines.lines["stderr"])
    assert status == 0, lines.describe(status)
    assert parse_test_output("".join(lines.lines["stderr"])).summary == "OK", lines.describe(status)
    warning = [line for line in lines.lines["stderr"] if "could not drop" in line]
    assert len(warning) == 1 and warning[0].startswith(NOT_DROPPED), lines.describe(status)
    assert "Traceback" not in output, lines.describe(status)
    left = postgres_clones() - before
    assert len(left) == 2, lines.describe(status)
    assert {(e["name"], e["kind"]) for e in _ledger(cache)} == {(n, "undropped") for n in left}

    # The next run sweeps them; its own drop meets a restart and retries until it is back.
    status, lines = _run_through_a_stop(
        server, tmp_path / "second", cache,
        {"DJANGO_TEST_MAX_RETRIES": "8", "DJANGO_TEST_RETRY_DELAY": "0.5"},
        restart_on="[CONCURRENT] Retry 1 of 8",
    )  # fmt: skip
    output = "".join(lines.lines["stdout"] + lines.lines["stderr"])
    assert status == 0, lines.describe(status)
    for name in left:
        assert f"Dropping {name!r}, left behind by a run that could not drop it" in output
    assert "could not drop 2" not in output and "Traceback" not in output, lines.describe(status)
    assert not postgres_clones() - before and not left & postgres_clones(), lines.describe(status)
    assert _ledger(cache) == [], lines.describe(status)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_teardown_lets_the_drops_finish(signum, tmp_path):
    """Ctrl-C or SIGTERM, twice, to the process group while the run drops its clones.

    A session of ours holds worker 1's clone open, so its drop fails ("being accessed by
    other users") and is retried: the signals land while the clones are dropped, every
    time. The session ends right after them; the retry drops the clone. The drops were
    done while the run still counted as in its tests, where a second signal raises
    KeyboardInterrupt: the clone was left for the next run's sweep. Cleanup is not cut
    short now: nothing is left behind, and the run still says INTERRUPTED with 130/143.
    """
    import psycopg2

    require_backend("postgres")
    cache = tmp_path / "cache"
    cache.mkdir()
    process = start_manage(
        ["concurrenttest", "--workers", "2", "-v", "2", "--timings-file",
         str(cache / "timings.json"), "scenarios.isolation"],
        backend="postgres", env={"ISOLATION_DIR": str(tmp_path)},
    )  # fmt: skip
    lines = LineReader(process)
    holder = None
    try:
        clone = _clone_of(process, worker=1, lines=lines)
        holder = psycopg2.connect(**postgres_params(dbname=clone))
        lines.wait_for("stdout", "Retry 1 of", timeout=180)
        # Twice, as an impatient user does: the drops must still finish.
        os.killpg(process.pid, signum)  # as a terminal's Ctrl-C or a CI cancellation
        time.sleep(0.2)
        os.killpg(process.pid, signum)
        holder.close()
        returncode = process.wait(timeout=180)
        lines.join()
    finally:
        if holder is not None:
            holder.close()
        kill_process_group(process.pid)
        process.wait()
    described = lines.describe(returncode)
    stderr = "".join(lines.lines["stderr"])
    assert returncode == 128 + signum, described
    assert parse_test_output(stderr).summary == "OK", described  # every test ran and passed
    assert re.search(r"^INTERRUPTED: ", stderr, re.MULTILINE), described
    assert "Traceback" not in described and NOT_DROPPED not in described, described
    assert not postgres_clones(), described  # the retried drop finished
    assert not list(cache.glob("ledger/*.json")), described


def _clone_of(process, worker: int, lines: LineReader, timeout: float = 180) -> str:
    """The name of ``worker``'s clone of the run ``process``, once it exists."""
    pattern = re.compile(rf"_p{process.pid}_w{worker}$")
    deadline = time.monotonic() + timeout
    while True:
        found = [name for name in postgres_databases() if pattern.search(name)]
        if found:
            return found[0]
        assert process.poll() is None, lines.describe(process.returncode)
        assert time.monotonic() < deadline, "no clone appeared\n" + lines.describe(None)
        time.sleep(0.02)
