"""A worker does before its first test what Django's own spawn worker does (issue #26).

Functional: the subtests of scenarios.subtest_params, whose parameter is a queryset that
raises when evaluated, and the backend marks of scenarios.backend_marks, each compared
with Django's sequential run on SQLite and PostgreSQL, a first and a warm run.
"""

from __future__ import annotations

from helpers import concurrent, fallback_reasons, sequential, started_workers
from test_options import assert_same_verdicts

SUBTESTS = "scenarios.subtest_params"
MARKS = ("--settings", "testproject.variants.backend_marks", "scenarios.backend_marks")
# As Django's runtests.py sets it: only then does Django apply a backend's marks.
DJANGOS_SUITE = {"RUNNING_DJANGOS_TEST_SUITE": "true"}
REFUSING_WORKERS = {"DJANGO_TEST_WORKER_SETUP": "scenarios.backend_marks.refuse_in_workers"}


def test_backend_skips_and_expected_failures_reach_the_workers(backend, tmp_path):
    expected = sequential(*MARKS, backend=backend, env=DJANGOS_SUITE)
    assert "skipped=1, expected failures=1" in expected.stderr, expected.describe()
    args = ("--timings-file", str(tmp_path / "timings.json"), *MARKS)
    for _warm in (False, True):  # a first run, then one planned from its timings
        assert_same_verdicts(concurrent(*args, backend=backend, env=DJANGOS_SUITE), expected)
    # Workers that cannot start: the run goes on in-process, on the cached template,
    # which create_test_db did not make in this process (so did not mark either).
    run = concurrent(*args, backend=backend, env={**DJANGOS_SUITE, **REFUSING_WORKERS})
    assert "a worker could not start" in " ".join(fallback_reasons(run)), run.describe()
    assert "Using cached database template" in run.stdout, run.describe()
    assert_same_verdicts(run, expected, workers=None)


def test_subtest_parameters_are_evaluated_only_when_the_subtest_fails(backend, tmp_path):
    expected = sequential(SUBTESTS, backend=backend)
    failing = f"{SUBTESTS}.QuerySetParameterTests.test_failing_subtest"
    # Django's own run fails it too, while printing the subtest (its repr raises there).
    assert _verdicts(expected)[failing] == ["FAIL"], expected.describe()
    args = ("--timings-file", str(tmp_path / "timings.json"), SUBTESTS)
    for _warm in (False, True):  # a first run, then one planned from its timings
        run = concurrent(*args, backend=backend)
        assert started_workers(run) == [2] and not fallback_reasons(run), run.describe()
        assert _verdicts(run) == _verdicts(expected), run.describe() + expected.describe()
        assert run.report.summary == expected.report.summary, run.describe()
        assert run.report.ran == expected.report.ran == 3, run.describe()
        assert run.returncode == expected.returncode == 1, run.describe()
        # The failure itself is kept; the parameter is named by its type.
        assert "QUERYSET-SUBTEST-FAIL-MARKER" in run.stderr, run.describe()
        assert "(qs=<django.db.models.query.QuerySet: unpicklable" in run.stderr, run.describe()


def _verdicts(run) -> dict[str, list[str]]:
    """Each test's outcomes, a subtest's counted as its test's (descriptions differ)."""
    verdicts: dict[str, list[str]] = {}
    for test_id, outcome in run.report.outcomes:
        verdicts.setdefault(test_id.split(" ")[0], []).append(outcome)
    return verdicts
