"""--failed-first and --last-failed on real runs: the outcomes stored by one run steer the next.

One flow per backend over ``scenarios.last_failed`` (red until SCENARIO_FIXED=1, one
class gone with SCENARIO_DROP=1): a red run, its failures split over two shards, the
failures dispatched first, then only the failures (one deleted) of a ``-k`` selection in
a sequential fallback, then a clean last run that runs everything.
"""

from __future__ import annotations

import json
from collections import defaultdict

from helpers import fallback_reasons, run_manage, started_workers

LABEL = "scenarios.last_failed"
RED = {
    f"{LABEL}.ErrorTests.test_errors",
    f"{LABEL}.RedTests.test_fails",
    f"{LABEL}.RedTests.test_passes",  # not red itself: its class (the unit) is
    f"{LABEL}.GoneTests.test_gone",
}
ALL = RED | {
    f"{LABEL}.AuthorTests.test_create",
    f"{LABEL}.AuthorTests.test_empty",
    f"{LABEL}.GreenTests.test_green",
}


def _run(backend, timings, *args, workers=2, env=None):
    base = ("concurrenttest", "--workers", str(workers), "-v", "2", "--timings-file", str(timings))
    return run_manage(*base, *args, LABEL, backend=backend, env=env)


def _first_test_of_each_process(log) -> dict[str, str]:
    first: dict[str, str] = defaultdict(str)
    for line in log.read_text().splitlines():
        pid, test_id = line.split()
        first[pid] = first[pid] or test_id
    return dict(first)


def test_failed_first_and_last_failed(tmp_path, backend):
    timings = tmp_path / "timings.json"
    red_run = _run(backend, timings)
    assert red_run.returncode == 1 and red_run.report.ids == ALL, red_run.describe()

    shards = [_run(backend, timings, "--last-failed", "--shard", f"{i}/2") for i in (1, 2)]
    first, second = (run.report.ids for run in shards)
    assert first | second == RED and not first & second, [run.describe() for run in shards]
    assert "[CONCURRENT] --last-failed: 4 of 7 tests (3 deselected)\n" in shards[0].stdout

    # Without durations units are dealt in order: the red ones go out first.
    store = json.loads(timings.read_text())
    timings.write_text(json.dumps({**store, "units": {}, "tests": {}}))
    log = tmp_path / "order.log"
    ordered = _run(backend, timings, "--failed-first", env={"SCENARIO_LOG": str(log)})
    assert "[CONCURRENT] --failed-first: 4 of 7 tests first (0 deselected)\n" in ordered.stdout
    assert ordered.report.outcomes == red_run.report.outcomes, ordered.describe()
    assert started_workers(ordered) == [2], ordered.describe()
    firsts = _first_test_of_each_process(log)
    assert firsts and set(firsts.values()) <= RED, (firsts, ordered.describe())

    fixed = {"SCENARIO_FIXED": "1", "SCENARIO_DROP": "1"}
    # -k applies first: AuthorTests, ErrorTests and RedTests are the selection.
    keyword = ("-k", "Author", "-k", "Error", "-k", "Red")
    only = _run(backend, timings, "--last-failed", *keyword, workers=1, env=fixed)
    assert fallback_reasons(only) == ["1 worker requested"], only.describe()
    assert "[CONCURRENT] --last-failed: 1 recorded failures no longer exist; left out\n" in (
        only.stdout
    )
    assert "[CONCURRENT] --last-failed: 3 of 5 tests (2 deselected)\n" in only.stdout
    assert only.returncode == 0 and only.report.ids == RED - {f"{LABEL}.GoneTests.test_gone"}

    clean = _run(backend, timings, "--last-failed", env=fixed)
    line = "[CONCURRENT] --last-failed: no test of this selection failed last time; all 6 tests run"
    assert line + "\n" in clean.stdout, clean.describe()
    assert clean.returncode == 0 and clean.report.ids == ALL - {f"{LABEL}.GoneTests.test_gone"}
