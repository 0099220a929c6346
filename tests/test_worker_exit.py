"""A worker's exit still runs what tests left for it (it skips only the final GC searches)."""

from __future__ import annotations

from helpers import concurrent

LABEL = "scenarios.exit_hooks"


def test_atexit_hooks_and_finalizers_of_tests_run_in_their_workers(tmp_path):
    notes = tmp_path / "notes.txt"
    run = concurrent(LABEL, backend="sqlite", env={"EXIT_HOOKS_FILE": str(notes)})
    assert run.returncode == 0, run.describe()
    assert "concurrent test run with 2 workers" in run.stdout, run.describe()
    lines = notes.read_text().split()
    kinds, pids = lines[::2], lines[1::2]
    # One line each, written by worker processes, not by the runner's own process.
    assert sorted(kinds) == ["atexit", "finalized"], lines
    assert run.pid and str(run.pid) not in pids, (run.pid, lines)
