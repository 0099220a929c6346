"""A worker does before its first test what Django's own spawn worker does (issue #26).

Functional: the subtests of scenarios.subtest_params, whose parameter is a queryset that
raises when evaluated, and the backend marks of scenarios.backend_marks, each compared
with Django's sequential run on SQLite and PostgreSQL, a first and a warm run.
"""

from __future__ import annotations

from helpers import concurrent, fallback_reasons, sequential, started_workers

SUBTESTS = "scenarios.subtest_params"


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
