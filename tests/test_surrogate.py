"""Exceptions that cannot be pickled still reach the report, faithfully."""

from __future__ import annotations

from helpers import (
    assert_no_processes_left,
    fallback_reasons,
    run_manage,
    started_workers,
    validated_junit,
)

# A second module with several classes, so that the run is really concurrent
# and the unpicklable exceptions have to cross from a worker to the parent.
LABELS = ("scenarios.unpicklable", "scenarios.crash")


def test_unpicklable_exceptions_are_reported(backend, baseline, tmp_path):
    expected = baseline(*LABELS, backend=backend)
    assert expected.report.outcomes, expected.describe()

    report = tmp_path / "junit.xml"
    run = run_manage(
        "concurrenttest", "--workers", "2", "-v", "2", "--junitxml", str(report), *LABELS,
        backend=backend,
    )  # fmt: skip
    errors = validated_junit(report).findall(".//testcase/error")
    assert {error.get("type") for error in errors} >= {"UnpicklableError", "UnunpicklableError"}
    assert_no_processes_left(run)

    assert started_workers(run) == [2], run.describe()
    assert fallback_reasons(run) == [], run.describe()
    assert run.returncode == 1, run.describe()
    assert run.report.ran == expected.report.ran, run.describe()
    assert expected.report.ids <= run.report.ids, run.describe()
    for test_name, type_name, marker in [
        ("test_unpicklable_exception", "UnpicklableError", "UNPICKLABLE-MARKER"),
        ("test_ununpicklable_exception", "UnunpicklableError", "UNUNPICKLABLE-MARKER"),
    ]:
        test_id = f"scenarios.unpicklable.UnpicklableTests.{test_name}"
        assert run.report.outcome_of(test_id) == ["ERROR"], run.describe()
        text = run.report.block_text.get(("ERROR", test_id), "")
        assert type_name in text, run.describe()
        assert marker in text, run.describe()
        assert "Traceback" in text, run.describe()
        assert "scenarios/unpicklable.py" in text, run.describe()
