"""Every worker runs a segment of Django's order, first run and warm (issues #15, #25)."""

from __future__ import annotations

from helpers import concurrent, sequential
from test_options import assert_same_verdicts

FLAG = "scenarios.order_in_share"
NEIGHBOUR = "scenarios.order_neighbour"


def test_a_class_that_must_run_first_keeps_its_verdict_on_first_and_warm_runs(backend, tmp_path):
    # With timings, longest-first alone would put the longer BLaterUserTests before
    # AFirstUserTests in one worker; shares run in Django's order instead.
    args = ("--timings-file", str(tmp_path / "timings.json"), FLAG)
    expected = sequential(FLAG, backend=backend)
    assert expected.returncode == 0, expected.describe()
    for _ in range(3):  # the first run, then warm runs planned from timings
        assert_same_verdicts(concurrent(*args, backend=backend), expected)


def test_a_test_keeps_its_sequential_predecessor_on_first_and_warm_runs(backend, tmp_path):
    # BUsesTests needs APreparesTests, right before it, to have run in its process.
    args = ("--timings-file", str(tmp_path / "timings.json"), NEIGHBOUR)
    expected = sequential(NEIGHBOUR, backend=backend)
    assert expected.returncode == 0, expected.describe()
    for _ in range(2):  # the first run (by test count), then a warm one (by seconds)
        run = concurrent(*args, backend=backend)
        assert_same_verdicts(run, expected)
        for number in (1, 2):  # each worker's planned segment: A B | C D
            assert f"[CONCURRENT] Chunk {number}: 2 tests, estimated time:" in run.stdout, (
                run.describe()
            )
