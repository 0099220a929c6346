"""Tests that start processes of their own pass in workers, and leave nothing behind."""

from __future__ import annotations

import os

from helpers import assert_no_processes_left, concurrent, started_workers

LABEL = "scenarios.processes"


def test_multiprocessing_in_tests_passes_and_no_process_outlives_the_run(tmp_path):
    note = tmp_path / "leaked-pid"
    run = concurrent(LABEL, backend="sqlite", env={"LEAKED_PROCESS_FILE": str(note)})

    assert started_workers(run) == [2], run.describe()
    assert run.returncode == 0, run.describe()
    assert run.report.outcomes == [
        (f"{LABEL}.LeakedProcessTests.test_leaves_a_process_running", "ok"),
        (f"{LABEL}.PoolTests.test_pool_map", "ok"),
        (f"{LABEL}.SpawnedProcessTests.test_spawned_process_runs", "ok"),
    ], run.describe()
    leaked = int(note.read_text())
    assert f"tests left processes running (leaked-sleeper (pid {leaked})); stopping them" in (
        run.stderr
    ), run.describe()
    assert_no_processes_left(run)  # the workers, the pools' processes and the leaked one
    assert not os.path.exists(f"/proc/{leaked}"), "the leaked process outlived its worker"
