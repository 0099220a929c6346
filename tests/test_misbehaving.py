"""Tests that segfault, exit, leak a thread or flood the output: the run ends and says so."""

from __future__ import annotations

import time

from helpers import process_group_alive, run_manage, validated_junit

MODULE = "scenarios.misbehaving"
EXPECTED = {
    f"{MODULE}.SegfaultTests.test_segfault": "ERROR",
    f"{MODULE}.SegfaultTests.test_after_segfault": "ok",
    f"{MODULE}.LastWordsTests.test_prints_then_exits": "ERROR",
    f"{MODULE}.LastWordsTests.test_after_exit": "ok",
    f"{MODULE}.ThreadLeakTests.test_leaks_a_thread": "ok",
    f"{MODULE}.FloodTests.test_prints_megabytes": "ok",
}


def test_misbehaving_tests_are_reported_exactly(tmp_path):
    report = tmp_path / "junit.xml"
    run = run_manage(
        "concurrenttest", "--workers", "2", "-v", "2", "--junitxml", str(report), MODULE,
        env={"MISBEHAVE": "1"}, timeout=240,
    )  # fmt: skip

    assert run.returncode == 1, run.describe()
    assert dict(run.report.outcomes) == EXPECTED, run.describe()
    assert run.report.ran == len(EXPECTED), run.describe()
    segfault = run.report.block_text[("ERROR", f"{MODULE}.SegfaultTests.test_segfault")]
    assert "WorkerCrashException: Worker" in segfault and "(signal 11)" in segfault
    last_words = run.report.block_text[("ERROR", f"{MODULE}.LastWordsTests.test_prints_then_exits")]
    assert "(exit code 3)" in last_words and "LAST-WORDS-BEFORE-EXIT" in last_words
    assert run.stdout.count("x" * 99) == 50_000  # the flood arrives whole, on stdout
    root = validated_junit(report)
    crashed = root.findall(".//testcase/error[@type='WorkerCrashed']")
    assert len(crashed) == 2
    deadline = time.monotonic() + 15
    while process_group_alive(run.pid) and time.monotonic() < deadline:
        time.sleep(0.1)  # workers may still be finishing their exit
    assert not process_group_alive(run.pid), "a worker outlived the run"
