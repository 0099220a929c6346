"""Two runs at the same time against the same server and project do not collide."""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import postgres_admin, postgres_clones, require_backend
from helpers import (
    TESTPROJECT_DIR,
    Completed,
    kill_process_group,
    manage_command,
    manage_env,
    postgres_database_name,
    run_manage,
    started_workers,
)

LABELS = ("library", "shop")


def test_two_simultaneous_runs_both_pass(backend):
    before = postgres_clones() if backend == "postgres" else set()
    # Same test database names, same templates: clones must be per run, and a template
    # being built by one run must be waited for by the other.
    args = ("concurrenttest", "--workers", "2", "-v", "2", *LABELS)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda _: run_manage(*args, backend=backend), range(2)))

    for run in runs:
        assert run.returncode == 0, run.describe()
        assert started_workers(run) == [2], run.describe()
        assert run.report.summary.startswith("OK"), run.describe()
    assert runs[0].report.ids == runs[1].report.ids
    if backend == "postgres":
        assert postgres_clones() == before


def _kept_names() -> set[str]:
    base = f"test_{postgres_database_name()}"
    return {f"{name}{suffix}" for name in (base, f"{base}_other") for suffix in ("", "_w1", "_w2")}


def _drop(names: set[str]) -> None:
    with postgres_admin() as cursor:
        for name in names:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _start(args: tuple[str, ...], out: Path, env: dict) -> subprocess.Popen:
    with open(out.with_suffix(".out"), "w") as stdout, open(out.with_suffix(".err"), "w") as err:
        return subprocess.Popen(
            manage_command(*args, "--noinput"),
            cwd=TESTPROJECT_DIR,
            env=manage_env("postgres", env),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=err,
            text=True,
            start_new_session=True,
        )


def _finish(process: subprocess.Popen, out: Path, args) -> Completed:
    try:
        process.wait(timeout=300)
    except subprocess.TimeoutExpired:
        kill_process_group(process.pid)
        process.wait()
    stdout, stderr = out.with_suffix(".out").read_text(), out.with_suffix(".err").read_text()
    return Completed(tuple(args), process.returncode, stdout, stderr, process.pid)


def _wait_for(condition, runs, deadline_seconds: float = 120) -> None:
    deadline = time.monotonic() + deadline_seconds
    while not condition():
        if time.monotonic() > deadline or any(run.poll() is not None for run in runs):
            return
        time.sleep(0.1)


def test_a_second_keepdb_run_waits_for_the_first(tmp_path):
    """Kept clones have fixed names (``_w<k>``): two runs at once would share them."""
    require_backend("postgres")
    names = _kept_names()
    _drop(names)
    gate = tmp_path / "gate"
    gate.mkdir()
    env = {"GATE_DIR": str(gate)}
    args = ("concurrenttest", "--workers", "2", "-v", "2", "--keepdb")
    first_args, second_args = (*args, "scenarios.gate", "library"), (*args, "library")
    first = _start(first_args, tmp_path / "first", env)
    second = None
    try:
        # The first run is mid-test, holding its databases, until the gate opens.
        _wait_for((gate / "started").exists, [first])
        second = _start(second_args, tmp_path / "second", env)
        waiting = "Another run is using the kept test database"
        _wait_for(lambda: waiting in (tmp_path / "second.out").read_text(), [first, second])
    finally:
        (gate / "open").touch()
        runs = [_finish(first, tmp_path / "first", first_args)]
        if second is not None:
            runs.append(_finish(second, tmp_path / "second", second_args))
        _drop(names)

    assert len(runs) == 2, runs[0].describe()
    first_run, second_run = runs
    expected = f"[CONCURRENT] {waiting} 'test_{postgres_database_name()}' (--keepdb)"
    assert expected in second_run.stdout, second_run.describe()
    for run in runs:
        assert run.returncode == 0, run.describe()
        assert run.report.summary.startswith("OK"), run.describe()
    assert second_run.report.ids == first_run.report.ids - {
        "scenarios.gate.GateTests.test_waits_for_the_gate"
    }
