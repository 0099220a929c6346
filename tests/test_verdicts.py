"""The concurrent runner reports exactly what Django's own runner reports.

Every comparison is between two real runs of the same labels — Django's
DiscoverRunner and ``concurrenttest --workers 2`` — never against verdicts
written down by hand.
"""

from __future__ import annotations

import pytest
from conftest import ALL_BACKENDS, backend_fixture
from helpers import (
    fallback_reasons,
    paired_verdicts,
    run_manage,
    started_workers,
    verdict_difference,
)

# Parity is compared on every database of the matrix, MySQL/MariaDB included.
backend = backend_fixture(ALL_BACKENDS)

SCENARIOS = [
    "scenarios.outcomes",
    "scenarios.fixtures",
    "scenarios.module_fixture",
    "scenarios.unpicklable",
    "scenarios.output",
]
# scenarios.output and scenarios.unpicklable hold one class each, and a single
# class is run in-process on purpose (see test_fallback.py).  Each scenario is
# therefore paired with a companion of two passing classes, so that every run
# here really goes through the workers.
COMPANION = "scenarios.crash"  # passes unless CRASH_SCENARIO=1
LABEL_SETS = [tuple(SCENARIOS)] + [(label, COMPANION) for label in SCENARIOS]


def assert_meaningful_baseline(expected) -> None:
    """A baseline that found nothing would make any comparison pass."""
    assert "unittest.loader._FailedTest" not in expected.stderr, expected.describe()
    assert expected.report.outcomes, expected.describe()
    assert expected.report.summary is not None, expected.describe()


@pytest.mark.parametrize(
    "labels", LABEL_SETS, ids=lambda labels: "all" if len(labels) > 2 else labels[0]
)
def test_scenario_verdicts_match_django_runner(labels, backend, baseline):
    expected = baseline(*labels, backend=backend)
    assert_meaningful_baseline(expected)

    run = run_manage("concurrenttest", "--workers", "2", "-v", "2", *labels, backend=backend)

    assert started_workers(run) == [2], run.describe()
    assert fallback_reasons(run) == [], run.describe()
    mine, theirs = paired_verdicts(run.report, expected.report)
    assert mine == theirs, verdict_difference(run.report, expected.report) + "\n\n" + run.describe()
    assert run.returncode == expected.returncode, run.describe()


def test_all_scenarios_together_fail_with_exit_code_one(backend, baseline):
    expected = baseline(*SCENARIOS, backend=backend)
    assert expected.returncode == 1, expected.describe()

    run = run_manage("concurrenttest", "--workers", "2", "-v", "2", *SCENARIOS, backend=backend)

    assert run.returncode == 1, run.describe()
    assert run.report.summary == expected.report.summary, run.describe()


def test_default_suite_is_green_concurrently(backend, baseline):
    expected = baseline(backend=backend)
    assert expected.returncode == 0, expected.describe()
    assert expected.report.ran, expected.describe()

    run = run_manage("concurrenttest", "--workers", "2", "-v", "2", backend=backend)

    assert started_workers(run) == [2], run.describe()
    assert fallback_reasons(run) == [], run.describe()
    assert run.returncode == 0, run.describe()
    assert run.report.summary is not None and run.report.summary.startswith("OK"), run.describe()
    assert run.report.ran == expected.report.ran, run.describe()
    # Not the verdicts: testproject's worker-hook tests skip themselves on a
    # runner that does not call the hook, so only the set of tests must agree.
    assert run.report.ids == expected.report.ids, run.describe()
