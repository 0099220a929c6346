"""Hangs and crashes end in a report, never in a hung run or a lost test."""

from __future__ import annotations

from conftest import postgres_clones
from helpers import assert_no_processes_left, concurrent, run_manage, validated_junit

HANG = "scenarios.hang"


def test_hanging_test_times_out_with_its_stack_and_the_run_goes_on(backend, tmp_path):
    before = postgres_clones() if backend == "postgres" else set()
    report = tmp_path / "junit.xml"
    run = run_manage(
        "concurrenttest", "--workers", "2", "--timeout", "3", "-v", "2", HANG,
        "--junitxml", str(report), backend=backend, env={"HANG_SCENARIO": "1"}, timeout=240,
    )  # fmt: skip
    root = validated_junit(report)
    assert len(root.findall(".//testcase/error[@type='WorkerTimeout']")) == 1
    assert_no_processes_left(run)
    if backend == "postgres":
        assert postgres_clones() == before

    assert run.returncode == 1, run.describe()
    assert any(
        line.startswith("[CONCURRENT] Worker ") and line.endswith(" timed out after 3s")
        for line in run.stdout.splitlines()
    ), run.describe()
    outcomes = dict(run.report.outcomes)
    hang_id = "scenarios.hang.HangingTests.test_hangs"
    assert outcomes[hang_id] == "ERROR", run.describe()
    for test_id in (
        "scenarios.hang.HangingTests.test_after_the_hang",
        "scenarios.hang.FinishingTests.test_one",
        "scenarios.hang.FinishingTests.test_two",
    ):
        assert outcomes[test_id] == "ok", run.describe()
    block = run.report.block_text[("ERROR", hang_id)]
    assert "WorkerTimeoutException: Worker" in block, run.describe()
    assert 'hang.py", line' in block and "in test_hangs" in block, run.describe()
    assert run.report.ran == 4, run.describe()


def test_timeout_does_not_touch_tests_that_finish_in_time(backend):
    run = run_manage("concurrenttest", "--workers", "2", "--timeout", "30", HANG, backend=backend)

    assert run.returncode == 0, run.describe()
    assert "timed out" not in run.stdout, run.describe()


def test_run_timeout_stops_the_whole_run():
    # scenarios.slow needs 12 × 0.3 s of sleeping: at least 1.8 s on 2 workers.
    run = run_manage(
        "concurrenttest", "--workers", "2", "--run-timeout", "1", "-v", "2", "scenarios.slow"
    )

    assert run.returncode == 124, run.describe()
    assert "[CONCURRENT] The run timed out after 1s; stopping it" in run.stdout, run.describe()
    not_run = 12 - run.report.ran
    assert not_run > 0, run.describe()
    assert f"INTERRUPTED: {not_run} of 12 tests not run" in run.stderr, run.describe()


def test_replacement_worker_gets_fresh_databases(backend):
    run = concurrent("scenarios.crash_dirty", backend=backend, env={"CRASH_SCENARIO": "1"})

    assert run.returncode == 1, run.describe()
    outcomes = dict(run.report.outcomes)
    crashed = "scenarios.crash_dirty.DirtyCrashTests.test_a_commits_then_crashes"
    after = "scenarios.crash_dirty.DirtyCrashTests.test_b_starts_from_a_clean_database"
    assert outcomes[crashed] == "ERROR", run.describe()
    assert outcomes[after] == "ok", run.describe()  # the committed row did not leak


def test_restart_limit_reports_every_test_that_did_not_run():
    run = run_manage(
        "concurrenttest",
        "--workers",
        "2",
        "-v",
        "2",
        "scenarios.crash_always",
        env={"CRASH_ALWAYS": "1"},
        timeout=240,
    )

    assert run.returncode == 1, run.describe()
    stopping = [line for line in run.stdout.splitlines() if "Stopping:" in line]
    assert len(stopping) == 1, run.describe()  # said once, though the other worker dies too
    assert "[CONCURRENT] Stopping: workers crashed 5 times, more than the limit of 4" in stopping[0]
    after = run.stdout.split(stopping[0], 1)[1]
    assert "restarting it" not in after, run.describe()  # no restart follows it
    outcomes = dict(run.report.outcomes)
    expected = {f"scenarios.crash_always.{cls}.test_{i}" for cls in ("CrashingTests",
                "MoreCrashingTests") for i in range(1, 5)}  # fmt: skip
    assert set(outcomes) == expected, run.describe()  # none lost
    assert set(outcomes.values()) == {"ERROR"}, run.describe()
    assert run.report.ran == 8, run.describe()
