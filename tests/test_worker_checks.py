"""Workers run Django's system checks before their first test, as a sequential run does (issue #25).

``scenarios.urlconf_setting``: the root URLconf includes an app whose routes depend on a
setting read at import time; the first class in Django's order overrides that setting and
makes its process's first request. Sequentially, the checks built the URLconf before it,
with the default routes; a worker that skipped them builds it under the override, and
every later test in that worker that reverses the default routes fails.
``scenarios.worker_check``: a check that fails only in a spawned process stops the
worker's start with its message, and the run goes sequential.
ORDER_REPETITIONS sets how many times the first scenario runs (10 for the issue's figures).
"""

from __future__ import annotations

import os

from helpers import concurrent, fallback_reasons
from test_options import assert_same_verdicts

REPETITIONS = int(os.environ.get("ORDER_REPETITIONS", "1"))
URLCONF = ("--settings", "testproject.variants.urlconf_setting", "scenarios.urlconf_setting.cases")
WORKER_CHECK = ("--settings", "testproject.variants.worker_check", "scenarios.worker_check.cases")


def test_the_urlconf_is_built_as_the_checks_build_it(backend, baseline, tmp_path):
    expected = baseline(*URLCONF, backend=backend)
    assert expected.returncode == 0, expected.describe()
    timings = tmp_path / "timings.json"
    for repetition in range(REPETITIONS):
        timings.unlink(missing_ok=True)
        for _warm in (False, True):  # a first run, then one planned from its timings
            run = concurrent("--timings-file", str(timings), *URLCONF, backend=backend)
            context = f"repetition {repetition}\n{run.describe()}"
            assert "NoReverseMatch" not in run.output, context
            assert "Order-dependent" not in run.stdout, context
            assert_same_verdicts(run, expected)


def test_a_check_that_fails_only_in_a_worker_stops_its_start(baseline, tmp_path):
    expected = baseline(*WORKER_CHECK)
    run = concurrent(
        "--timings-file", str(tmp_path / "timings.json"), *WORKER_CHECK, backend="sqlite"
    )
    reasons = fallback_reasons(run)
    assert len(reasons) == 1, run.describe()
    assert "system checks failed in this worker" in reasons[0], run.describe()
    assert "scenario.E001" in run.output and "only a worker fails this check" in run.output
    assert_same_verdicts(run, expected, workers=None)
