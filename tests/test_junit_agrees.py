"""The JUnit file holds every outcome the console counts, errors after a test's end included."""

from __future__ import annotations

import pytest
from helpers import junit_cases, run_manage, summary_counts, validated_junit

LABEL = "scenarios.teardown_errors"
# Reruns on: a late error must neither rerun a test that passed nor count it twice.
MODES = {
    "concurrent": ["--workers", "2", "--rerun-failures", "1"],
    "sequential": ["--workers", "1"],
}
TEARDOWN = "scenarios.teardown_errors.TearDownErrorTests"
FLUSH = "scenarios.teardown_errors.FlushFailsTests"
LOST = "scenarios.teardown_errors.ConnectionLostInTestTests"
CLASS = "scenarios.teardown_errors.TearDownClassErrorTests"
HEALTHY = "scenarios.teardown_errors.HealthyAfterwardsTests"
FIXTURE_NAMES = {"setUpClass", "tearDownClass", "setUpModule", "tearDownModule"}

EXPECTED_CASES = {
    (TEARDOWN, "test_passes_then_teardown_raises"): ["error"],
    (TEARDOWN, "test_fails_then_teardown_raises"): ["failure", "error"],
    (TEARDOWN, "test_errors_then_teardown_raises"): ["error", "error"],
    (FLUSH, "test_passes_then_flush_fails"): ["error"],
    (LOST, "test_loses_connection_then_flush_fails"): ["error", "error"],
    (CLASS, "test_passes"): [],
    (CLASS, "tearDownClass"): ["error"],
    (HEALTHY, "test_database_still_works"): [],
}


@pytest.mark.parametrize("mode", MODES)
def test_junit_counts_equal_the_console_with_errors_after_the_test(tmp_path, backend, mode):
    path = tmp_path / "report.xml"
    run = run_manage(
        "concurrenttest", *MODES[mode], "-v", "2", "--junitxml", str(path), LABEL, backend=backend
    )
    assert run.returncode == 1, run.describe()
    root = validated_junit(path)
    report = run.report
    counts = summary_counts(run)

    # What Django prints: the flush fails after "ok", so that test shows both outcomes.
    assert (report.ran, counts["failures"], counts["errors"]) == (7, 1, 8), run.describe()
    flush_id = f"{FLUSH}.test_passes_then_flush_fails"
    assert sorted(report.outcome_of(flush_id)) == ["ERROR", "ok"], run.describe()

    # The JUnit file agrees: the totals, the elements, and the cases behind them.
    assert int(root.get("failures")) == counts["failures"], run.describe()
    assert int(root.get("errors")) == counts["errors"], run.describe()
    assert len(root.findall(".//testcase/failure")) == counts["failures"]
    assert len(root.findall(".//testcase/error")) == counts["errors"]
    for suite in root.iter("testsuite"):
        assert int(suite.get("errors")) == len(suite.findall("testcase/error")), suite.get("name")
    cases = junit_cases(root)
    assert cases == EXPECTED_CASES, run.describe()
    assert sum(1 for _, name in cases if name not in FIXTURE_NAMES) == report.ran

    flush = root.find(f".//testcase[@classname='{FLUSH}'][@name='test_passes_then_flush_fails']")
    error = flush.find("error")
    assert error.text.startswith("Reported after the test had passed"), error.text
    assert "_post_teardown" in error.text and "flush" in error.text.lower()
