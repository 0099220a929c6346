"""CI shards: every unit in exactly one shard, and shard reports merge into one."""

from __future__ import annotations

import json
import shutil

import pytest
from helpers import clean_copy, run_manage, validated_junit

LABELS = ("library", "shop", "scenarios.outcomes", "scenarios.slow")


def _shard_ids(tmp_path, shard, store, env=None, extra=()):
    timings = tmp_path / f"timings-{shard.replace('/', 'of')}.json"
    if store is not None:
        shutil.copy(store, timings)  # every shard starts from the same store, as in CI
    args = ["concurrenttest", "--workers", "2", "-v", "2", "--timings-file", str(timings)]
    if shard:
        args += ["--shard", shard]
    run = run_manage(*args, *extra, *LABELS, env=env)
    assert run.report.ran is not None, run.describe()
    return run


@pytest.mark.parametrize("with_timings", [True, False], ids=["timings", "no-timings"])
def test_every_test_runs_in_exactly_one_shard(tmp_path, with_timings):
    store = None
    full = _shard_ids(tmp_path, "", None)
    if with_timings:
        store = tmp_path / "timings-.json"  # the full run just wrote it
        assert store.exists()
    shards = [_shard_ids(tmp_path, f"{i}/3", store) for i in (1, 2, 3)]

    ids = [run.report.ids for run in shards]
    assert set().union(*ids) == full.report.ids
    assert sum(len(found) for found in ids) == len(full.report.ids)  # disjoint
    assert all(f"[CONCURRENT] Shard {i}/3: " in run.stdout for i, run in enumerate(shards, 1))


def test_shards_run_one_after_another_in_one_workspace_split_alike(tmp_path):
    """As on a developer's machine: default store, shard 1 then shard 2, then the merge."""
    project = clean_copy(tmp_path / "repo").resolve() / "testproject"  # as manage.py sees it
    store = project / ".concurrent_test" / "timings.json"
    args = ("concurrenttest", "--workers", "2", "-v", "2")
    full = run_manage(*args, *LABELS, project=project)
    assert full.report.ran, full.describe()
    before = store.read_bytes()  # the full run wrote it: the shards split by timings

    shards = [run_manage(*args, "--shard", f"{i}/2", *LABELS, project=project) for i in (1, 2)]

    first, second = (run.report.ids for run in shards)
    assert first | second == full.report.ids, [run.describe() for run in shards]
    assert not first & second, sorted(first & second)
    assert store.read_bytes() == before, "a shard rewrote the store the next shard splits from"
    written = [store.parent / f"timings.shard-{i}-of-2.json" for i in (1, 2)]
    for i, (run, path) in enumerate(zip(shards, written, strict=True), 1):
        assert path.exists(), run.describe()
        saved = f"Shard {i}/2: timings saved to {path}; --merge-timings adds them to {store}"
        assert f"[CONCURRENT] {saved}\n" in run.stdout, run.describe()

    merge = run_manage("concurrenttest", "--merge-timings", str(store), *map(str, written),
                       project=project)  # fmt: skip
    assert merge.returncode == 0, merge.describe()
    merged, stored = json.loads(store.read_text()), json.loads(before)
    assert merged["tests"].keys() == stored["tests"].keys()
    stale = [key for key, (_, seen) in merged["tests"].items() if seen <= stored["tests"][key][1]]
    assert not stale, "every test ran again in one shard: the merge kept the newer durations"
    assert stored["modules"] and merged["modules"].keys() == stored["modules"].keys()


def test_gitlab_parallel_variables_choose_the_shard(tmp_path):
    run = _shard_ids(tmp_path, "", None, env={"CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "2"})

    assert "[CONCURRENT] Shard 2/2: " in run.stdout, run.describe()


def test_invalid_shard_is_refused():
    run = run_manage("concurrenttest", "--shard", "3/2", "library")

    assert run.returncode == 2, run.describe()
    assert "--shard='3/2': expected I/N with 1 <= I <= N" in run.stderr, run.describe()


def test_shard_reports_merge_into_one_valid_report(tmp_path):
    reports = []
    for i in (1, 2):
        path = tmp_path / f"shard{i}.xml"
        _shard_ids(tmp_path, f"{i}/2", None, extra=("--junitxml", str(path)))
        reports.append(validated_junit(path))
    merged = tmp_path / "merged.xml"

    run = run_manage(
        "concurrenttest",
        "--merge-junit",
        str(merged),
        *map(str, (tmp_path / "shard1.xml", tmp_path / "shard2.xml")),
    )

    assert run.returncode == 0, run.describe()
    root = validated_junit(merged)
    for key in ("tests", "failures", "errors"):
        assert int(root.get(key)) == sum(int(r.get(key)) for r in reports)
    # The total time too, not shard 1's (README "CI shards").
    total = sum(float(r.get("time")) for r in reports)
    assert float(root.get("time")) == pytest.approx(total, abs=0.002)
    assert all(float(r.get("time")) > 0 for r in reports)
    suites = [s.get("name") for s in root.findall("testsuite")]
    assert len(suites) == len(set(suites)) == sum(len(r.findall("testsuite")) for r in reports)


def test_a_missing_merge_input_is_an_error_that_writes_nothing(tmp_path):
    existing = tmp_path / "timings.shard-1-of-2.json"
    existing.write_text('{"format": "concurrent-test-timings"}')
    output = tmp_path / "timings.json"
    for option in ("--merge-timings", "--merge-junit"):
        # What an unmatched glob leaves on the command line.
        missing = str(tmp_path / "timings.shard-*.json")
        run = run_manage("concurrenttest", option, str(output), str(existing), missing)

        assert run.returncode != 0, run.describe()
        assert f"{option}: no such input file: {missing}" in run.stderr, run.describe()
        assert not output.exists(), run.describe()
