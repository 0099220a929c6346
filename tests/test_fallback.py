"""When a concurrent run is pointless the runner says why and runs in-process."""

from __future__ import annotations

import json
import re

import pytest
from helpers import (
    fallback_reasons,
    paired_verdicts,
    run_manage,
    started_workers,
    verdict_difference,
)

LABELS = ("scenarios.outcomes", "scenarios.fixtures")


def test_one_worker_falls_back_with_the_same_verdicts(backend):
    concurrent = run_manage("concurrenttest", "--workers", "2", "-v", "2", *LABELS, backend=backend)
    assert started_workers(concurrent) == [2], concurrent.describe()
    assert concurrent.report.outcomes, concurrent.describe()

    sequential = run_manage("concurrenttest", "--workers", "1", "-v", "2", *LABELS, backend=backend)

    assert len(fallback_reasons(sequential)) == 1, sequential.describe()
    mine, theirs = paired_verdicts(sequential.report, concurrent.report)
    assert mine == theirs, (
        verdict_difference(sequential.report, concurrent.report) + "\n\n" + sequential.describe()
    )
    assert sequential.returncode == concurrent.returncode, sequential.describe()


@pytest.mark.parametrize(
    "label",
    ["scenarios.outcomes.OutcomeTests", "scenarios.unpicklable.UnpicklableTests"],
    ids=["outcomes", "unpicklable"],
)
def test_a_single_class_falls_back_with_djangos_verdicts(backend, baseline, label):
    expected = baseline(label, backend=backend)
    assert expected.report.outcomes, expected.describe()
    assert "unittest.loader._FailedTest" not in expected.stderr, expected.describe()

    run = run_manage("concurrenttest", "--workers", "2", "-v", "2", label, backend=backend)

    assert len(fallback_reasons(run)) == 1, run.describe()
    mine, theirs = paired_verdicts(run.report, expected.report)
    assert mine == theirs, verdict_difference(run.report, expected.report) + "\n\n" + run.describe()
    assert run.returncode == expected.returncode, run.describe()


# SimpleTestCase only, a few milliseconds of tests: less than starting any worker.
TINY = ("shop.tests.test_sku", "shop.tests.test_pricing")
SMALL_SUITE_RE = re.compile(
    r"the tests take \d+\.\d\ds by the timing store, less than starting the workers "
    r"\(\d+\.\d\ds last time\); --workers N runs them concurrently"
)


def test_auto_runs_a_suite_smaller_than_the_workers_start_up_in_process(tmp_path):
    store = tmp_path / "timings.json"
    args = ("concurrenttest", "--timings-file", str(store), *TINY)  # --workers auto

    first = run_manage(*args)  # nothing known yet: concurrent, and start-up measured
    assert first.returncode == 0 and started_workers(first), first.describe()
    measured = json.loads(store.read_text())
    assert measured["startup"][0] > 0

    second = run_manage(*args)
    assert second.returncode == 0, second.describe()
    (reason,) = fallback_reasons(second)
    assert SMALL_SUITE_RE.fullmatch(reason), second.describe()
    assert started_workers(second) == [], second.describe()
    assert json.loads(store.read_text())["tests"].keys() == measured["tests"].keys()

    explicit = run_manage(*args[:-2], "--workers", "2", *TINY)  # a count is obeyed
    assert started_workers(explicit) == [2] and not fallback_reasons(explicit), explicit.describe()
