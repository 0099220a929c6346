"""Every worker runs a subsequence of Django's order, first run and warm (issue #15)."""

from __future__ import annotations

from helpers import concurrent, sequential
from test_options import assert_same_verdicts

FLAG = "scenarios.order_in_share"


def test_a_class_that_must_run_first_keeps_its_verdict_on_first_and_warm_runs(backend, tmp_path):
    # With timings, longest-first alone would put the longer BLaterUserTests before
    # AFirstUserTests in one worker; shares run in Django's order instead.
    args = ("--timings-file", str(tmp_path / "timings.json"), FLAG)
    expected = sequential(FLAG, backend=backend)
    assert expected.returncode == 0, expected.describe()
    for _ in range(3):  # the first run, then warm runs planned from timings
        assert_same_verdicts(concurrent(*args, backend=backend), expected)
