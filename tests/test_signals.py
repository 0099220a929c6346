"""Signals in every phase: a run stops, cleans up, says what was not run, exits 128 + N.

Each run is held in one phase by ``scenarios.setup_gate`` (a migration, an import or a
test that waits for a file), so the signal lands there every time, without sleeps.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import postgres_admin, postgres_databases
from helpers import (
    junit_cases,
    kill_process_group,
    parse_test_output,
    postgres_database_name,
    validated_junit,
)
from test_cleanup import Leftovers, LineReader, start_manage

LABEL = "scenarios.signals"
GATE_SETTINGS = "testproject.variants.setup_gate"
QUICK = ("scenarios.signals.QuickTests.test_one", "scenarios.signals.QuickTests.test_two")
TRACEBACK_SIGNS = ("Traceback", "KeyboardInterrupt", "BrokenPipe", "ConnectionReset", "EOFError")
TEMPLATE_MARKER = "django-concurrent-test template"


@dataclass
class GatedRun:
    """A manage.py run held at the gate of one phase, its output read as it comes."""

    process: object
    lines: LineReader
    gate: Path
    junit: Path

    @property
    def benchmark(self) -> dict:
        return json.loads((self.junit.parent / "benchmark.json").read_text())

    def wait_at_gate(self, name: str = "reached", timeout: float = 180) -> None:
        """Wait until the gate writes ``name``: ``reached``, or ``stopping`` (see setup_gate)."""
        deadline = time.monotonic() + timeout
        while not (self.gate / name).exists():
            assert self.process.poll() is None, f"the run ended before {name}\n" + self.describe()
            assert time.monotonic() < deadline, f"{name} never appeared\n" + self.describe()
            time.sleep(0.05)

    def signal_group(self, signum: int) -> None:
        os.killpg(self.process.pid, signum)

    def finish(self, timeout: float = 180) -> int:
        returncode = self.process.wait(timeout=timeout)
        self.lines.join()
        return returncode

    @property
    def stdout(self) -> str:
        return "".join(self.lines.lines["stdout"])

    @property
    def stderr(self) -> str:
        return "".join(self.lines.lines["stderr"])

    def describe(self) -> str:
        return self.lines.describe(self.process.poll())


@pytest.fixture
def gated(tmp_path, backend):
    """``gated(phase, *args, settings=None)``: start a held run; always ended afterwards."""
    leftovers = Leftovers(backend, tmp_path)
    runs = []

    def start(phase: str, *args: str, settings: str | None = None) -> GatedRun:
        gate = tmp_path / "gate"
        gate.mkdir()
        junit = tmp_path / "junit.xml"
        env = {**leftovers.env, "SETUP_GATE": str(gate), "SETUP_GATE_PHASE": phase}
        if settings:
            env["DJANGO_SETTINGS_MODULE"] = settings
        command = [
            "concurrenttest", "-v", "2", "--junitxml", str(junit),
            "--benchmark-json", str(tmp_path / "benchmark.json"),
            # Its own timing store and SQLite template: every run migrates afresh.
            "--timings-file", str(tmp_path / "timings.json"), *args, LABEL,
        ]  # fmt: skip
        process = start_manage(command, backend=backend, env=env)
        run = GatedRun(process, LineReader(process), gate, junit)
        runs.append(run)
        return run

    start.leftovers = leftovers
    yield start
    for run in runs:
        (run.gate / "release").touch()  # a worker the test left at the gate goes on
        kill_process_group(run.process.pid)
        run.process.wait()
    if backend == "postgres":
        # Clones of a killed run are left for the next run's sweep; dropped here so
        # that no later test sees them (only those that appeared during this test).
        with postgres_admin() as cursor:
            for name in leftovers.found().get("postgres clones", []):
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def live_processes(pgid: int) -> list[str]:
    """Processes of group ``pgid`` that are running (zombies no init reaped do not count)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rpartition(")")[2].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(text.split(" ", 1)[0])
    return found


def assert_gone(run: GatedRun, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while live_processes(run.process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not live_processes(run.process.pid), "processes outlived the run\n" + run.describe()


def unfinished_templates() -> list[str]:
    """PostgreSQL templates without our marker: they would block every later run."""
    return sorted(
        name
        for name, comment in postgres_databases().items()
        if name.endswith("_template") and not (comment or "").startswith(TEMPLATE_MARKER)
    )


def drop_gate_template() -> None:
    """Drop the template of the gate variant's own test database (``test_<name>_gate``)."""
    with postgres_admin() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "test_{postgres_database_name()}_gate_template"')


def interrupted_line(stderr: str) -> str:
    found = re.findall(r"^INTERRUPTED: .*$", stderr, re.MULTILINE)
    assert len(found) == 1, stderr
    return found[0]


@pytest.mark.parametrize(
    "phase, signum, settings, cache, expected",
    [
        ("migrate", signal.SIGINT, GATE_SETTINGS, "--template-cache", "4 of 4 tests not run"),
        ("migrate", signal.SIGTERM, GATE_SETTINGS, "--no-template-cache", "4 of 4 tests not run"),
        (
            "discovery",
            signal.SIGTERM,
            None,
            "--template-cache",
            "during test discovery; no test was run",
        ),
    ],
    ids=["SIGINT-template-build", "SIGTERM-migrations", "SIGTERM-discovery"],
)
def test_signal_while_setting_up_stops_at_once_and_removes_what_it_made(
    gated, backend, phase, signum, settings, cache, expected
):
    if backend == "postgres" and settings == GATE_SETTINGS:
        drop_gate_template()  # a cached template would skip the migration that waits
    run = gated(phase, "--workers", "2", cache, settings=settings)
    run.wait_at_gate()
    run.signal_group(signum)  # as a terminal's Ctrl-C or a CI cancellation does
    # Released at once: a run that let the signal go would now go on to run the tests.
    (run.gate / "release").touch()
    returncode = run.finish()

    assert returncode == 128 + signum, run.describe()
    assert interrupted_line(run.stderr) == f"INTERRUPTED: {expected}", run.describe()
    assert parse_test_output(run.stderr).outcomes == [], run.describe()
    assert not any(sign in run.stderr for sign in TRACEBACK_SIGNS), run.describe()
    assert junit_cases(validated_junit(run.junit)) == {}, run.describe()  # written, empty
    assert run.benchmark["tests_total"] == 0, run.describe()
    assert_gone(run)
    assert gated.leftovers.found() == {}, run.describe()
    # The interrupted template or test database (SQLite: a file beside the timing store).
    assert list(run.junit.parent.glob("templates/*.sqlite3")) == [], run.describe()
    if backend == "postgres":
        assert unfinished_templates() == [], run.describe()
        assert [name for name in postgres_databases() if name.endswith("_gate")] == []
        assert [name for name in postgres_databases() if "_gate_" in name] == []


def test_sigterm_to_the_process_group_is_not_charged_to_a_test(gated, backend):
    run = gated("test", "--workers", "2")
    run.wait_at_gate()  # worker 1 is in GatedTests.test_a_waits
    run.lines.wait_for("stderr", f"test_two ({QUICK[1]}) ... ok", timeout=180)
    run.signal_group(signal.SIGTERM)  # reaches the workers too, as `timeout` or CI send it
    returncode = run.finish()

    assert returncode == 143, run.describe()
    report = parse_test_output(run.stderr)
    assert dict(report.outcomes) == dict.fromkeys(QUICK, "ok"), run.describe()
    assert "died" not in run.stdout and "WorkerCrash" not in run.stderr, run.describe()
    # Both lines count the gated test and the one after it in its class.
    assert "[CONCURRENT] Stopped early: 2 tests were not run" in run.stdout, run.describe()
    assert interrupted_line(run.stderr) == "INTERRUPTED: 2 of 4 tests not run", run.describe()
    assert not any(sign in run.stderr for sign in TRACEBACK_SIGNS), run.describe()
    cases = junit_cases(validated_junit(run.junit))
    assert cases == {("scenarios.signals.QuickTests", n): [] for n in ("test_one", "test_two")}
    assert run.benchmark["tests_total"] == 2, run.describe()
    assert_gone(run)
    assert gated.leftovers.found() == {}, run.describe()


def test_second_sigint_stops_a_sequential_test_at_once(gated, backend):
    run = gated("test", "--workers", "1")  # sequential: the test runs in this process
    run.wait_at_gate()
    run.signal_group(signal.SIGINT)
    run.wait_at_gate("stopping")  # the runner took the first one: stop after this test
    run.signal_group(signal.SIGINT)  # the test waits on: the second stops it
    returncode = run.finish()

    assert returncode == 130, run.describe()
    # The stopped test had no outcome: it counts as not run, and is not in JUnit.
    assert interrupted_line(run.stderr) == "INTERRUPTED: 4 of 4 tests not run", run.describe()
    assert not any(sign in run.stderr for sign in TRACEBACK_SIGNS), run.describe()
    assert not (run.gate / "release").exists()  # it was the signal that ended the test
    assert junit_cases(validated_junit(run.junit)) == {}, run.describe()
    assert_gone(run)
    assert gated.leftovers.found() == {}, run.describe()


def test_workers_of_a_killed_parent_exit_quietly(gated, backend):
    run = gated("test", "--workers", "2")
    run.wait_at_gate()
    run.lines.wait_for("stderr", f"test_two ({QUICK[1]}) ... ok", timeout=180)
    os.kill(run.process.pid, signal.SIGKILL)  # the parent only: no cleanup can run
    run.finish()

    # Worker 1 is still in a test held at the gate; it must not wait for its end.
    assert_gone(run, timeout=30)
    assert not any(sign in run.stderr for sign in TRACEBACK_SIGNS), run.describe()
