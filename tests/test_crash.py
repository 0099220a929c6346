"""A worker that dies mid-test costs that test, not the run."""

from __future__ import annotations

from helpers import concurrent, started_workers

LABEL = "scenarios.crash"
CRASHING_TEST = "scenarios.crash.CrashTests.test_crash"


def test_crashed_worker_is_reported_as_an_error(backend, baseline):
    expected = baseline(LABEL, backend=backend)  # CRASH_SCENARIO unset: all pass
    assert expected.returncode == 0, expected.describe()
    assert CRASHING_TEST in expected.report.ids, expected.describe()

    run = concurrent(LABEL, backend=backend, env={"CRASH_SCENARIO": "1"})

    assert started_workers(run) == [2], run.describe()
    assert run.returncode == 1, run.describe()
    assert run.report.outcome_of(CRASHING_TEST) == ["ERROR"], run.describe()
    text = run.report.block_text.get(("ERROR", CRASHING_TEST), "")
    assert "worker" in text.lower(), run.describe()
    assert "13" in text, run.describe()
    survivors = expected.report.ids - {CRASHING_TEST}
    assert survivors, expected.describe()
    for test_id in survivors:
        assert run.report.outcome_of(test_id) == ["ok"], run.describe()
    assert run.report.ran == expected.report.ran, run.describe()
