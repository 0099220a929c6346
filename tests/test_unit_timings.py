"""Unit tests of the timing store, estimates and shards."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from concurrent_test_app.planning import (
    PlannedUnit,
    estimate_units,
)
from concurrent_test_app.reports.merge import merge_timings
from concurrent_test_app.timings import FORMAT, TimingStore, shard_path


def test_round_trip(tmp_path):
    path = tmp_path / "sub" / "timings.json"
    store = TimingStore.load(path)
    assert store.unit_estimates() == {}
    store.record({"app.tests.A": 1.5}, {"app.tests.A.test_x": 0.5})
    store.save()
    again = TimingStore.load(path)
    assert again.unit_estimates() == {"app.tests.A": 1.5}
    assert not list(path.parent.glob(".timings-*"))  # no temp file left behind


@pytest.mark.parametrize(
    ("store", "expected"),
    [
        ("ci/.concurrent_test/timings.json", "ci/.concurrent_test/timings.shard-2-of-3.json"),
        ("timings", "timings.shard-2-of-3"),
        ("a.b/t.v2.json", "a.b/t.v2.shard-2-of-3.json"),
    ],
)
def test_a_shard_writes_beside_the_store(store, expected):
    assert shard_path(Path(store), 2, 3) == Path(expected)


def test_saving_elsewhere_leaves_the_store_alone(tmp_path):
    path = tmp_path / "timings.json"
    store = TimingStore(path)
    store.record({"app.tests.A": 1.0}, {})
    store.save()
    before = path.read_bytes()
    store.record({"app.tests.A": 2.0}, {})
    store.save(shard_path(path, 1, 2))
    assert path.read_bytes() == before
    assert TimingStore.load(tmp_path / "timings.shard-1-of-2.json").unit_estimates() == {
        "app.tests.A": 2.0
    }


def test_merged_shards_keep_the_newest_of_everything(tmp_path):
    stores = []
    for number, (unit, module, seen) in enumerate([("A", "a", 100.0), ("B", "b", 200.0)], 1):
        store = TimingStore(tmp_path / f"timings.shard-{number}-of-2.json")
        now = time.time()
        store.units = {"shared": [float(number), now - seen], unit: [1.0, now]}
        store.modules = {module: [0.5, now]}
        store.machine_load = [2.0, float(number), now - seen]
        store.save()
        stores.append(store.path)

    assert merge_timings(tmp_path / "timings.json", stores) == 3

    merged = TimingStore.load(tmp_path / "timings.json")
    assert merged.unit_estimates() == {"shared": 1.0, "A": 1.0, "B": 1.0}  # shard 1's is newer
    assert set(merged.modules) == {"a", "b"}
    assert merged.machine_load[:2] == [2.0, 1.0]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "is not JSON"),
        ('{"format": "other"}', "is not a django-concurrent-test/timings file"),
        ("[1, 2]", "is not a django-concurrent-test/timings file"),
        (b"\xff\xfe\x00garbage", "is not JSON"),
    ],
)
def test_damaged_or_foreign_file_is_one_line_and_set_aside(tmp_path, content, problem):
    path = tmp_path / "timings.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    lines = []
    store = TimingStore.load(path, lines.append)
    assert store.unit_estimates() == {}
    assert len(lines) == 1 and str(path) in lines[0] and problem in lines[0], lines
    assert "set aside as timings.json.damaged" in lines[0]
    assert not path.exists() and (tmp_path / "timings.json.damaged").exists()
    store.save()  # the run's own timings start a new store
    assert TimingStore.load(path, lines.append).writable and len(lines) == 1


def test_messages_are_lines_on_stderr_not_python_warnings(tmp_path, capsys, recwarn):
    path = tmp_path / "timings.json"
    path.write_text("{not json")
    TimingStore.load(path)
    assert capsys.readouterr().err.startswith(f"[CONCURRENT] Timing store {path} is not JSON")
    assert len(recwarn) == 0


NOW = time.time()


@pytest.mark.parametrize(
    "bad",
    [
        float("nan"),
        float("inf"),
        -16998.2,
        "1.5",
        True,
        None,
        [1.0],
    ],
)
def test_impossible_durations_are_dropped_with_a_count(tmp_path, bad):
    path = tmp_path / "timings.json"
    units = {"good.A": [2.0, NOW], "bad.B": [bad, NOW], "bad.C": "2.0", "bad.D": [1.0, NOW, 3]}
    data = {"format": FORMAT, "version": 1, "units": units, "tests": {"t": [bad, NOW]}}
    path.write_text(json.dumps(data))  # json writes NaN and Infinity, and reads them back
    lines = []
    store = TimingStore.load(path, lines.append)
    assert store.unit_estimates() == {"good.A": 2.0}
    assert store.test_estimates() == {}
    assert len(lines) == 1 and "4 entries" in lines[0] and str(path) in lines[0], lines
    assert path.exists()  # kept: the good entries are still worth planning with


def test_a_section_of_the_wrong_shape_counts_once(tmp_path):
    path = tmp_path / "timings.json"
    path.write_text(json.dumps({"format": FORMAT, "units": ["a"], "startup": [float("inf"), 1]}))
    lines = []
    assert TimingStore.load(path, lines.append).startup is None
    assert len(lines) == 1 and "2 entries" in lines[0]


def test_a_future_version_is_left_untouched_and_not_used(tmp_path):
    path = tmp_path / "timings.json"
    future = {"format": FORMAT, "version": 2, "units": {"a.A": [1.0, NOW]}, "new": {"x": 1}}
    path.write_text(json.dumps(future))
    before = path.read_bytes()
    lines = []
    store = TimingStore.load(path, lines.append)
    assert store.unit_estimates() == {} and not store.writable
    assert len(lines) == 1 and "version 2" in lines[0] and "left untouched" in lines[0]
    assert path.read_bytes() == before


def test_plans_never_show_negative_or_infinite_estimates():
    units = [PlannedUnit(key, (i,)) for i, key in enumerate("abc")]
    estimates = estimate_units(units, {"a": -16998.2, "b": float("inf"), "c": 2.0})
    assert estimates == {"a": 2.0, "b": 2.0, "c": 2.0}  # the impossible ones get the median


def test_old_entries_age_out(tmp_path):
    path = tmp_path / "timings.json"
    old = time.time() - 40 * 86400
    path.write_text(json.dumps({"format": FORMAT, "units": {"old.A": [2.0, old]}, "tests": {}}))
    store = TimingStore.load(path)
    assert store.unit_estimates() == {"old.A": 2.0}
    store.record({"new.B": 1.0}, {})
    store.save()
    assert TimingStore.load(path).unit_estimates() == {"new.B": 1.0}


def test_unknown_units_get_the_median_of_known_ones():
    units = [PlannedUnit(key, (i,)) for i, key in enumerate("abcd")]
    estimates = estimate_units(units, {"a": 1.0, "b": 3.0, "c": 5.0})
    assert estimates["d"] == 3.0


def test_shards_partition_the_units_with_and_without_estimates():
    import random

    from concurrent_test_app.planning import PlannedUnit, Shard, select_shard

    units = [PlannedUnit(f"app.tests.C{i}", (i,)) for i in range(40)]
    rng = random.Random(7)
    for estimates in ({u.key: rng.uniform(0.1, 9) for u in units}, {}):
        chosen = [select_shard(units, estimates, Shard(i, 4)) for i in range(1, 5)]
        keys = [unit.key for part in chosen for unit in part]
        assert sorted(keys) == sorted(u.key for u in units)  # each exactly once
        if estimates:
            loads = [sum(estimates[u.key] for u in part) for part in chosen]
            assert max(loads) - min(loads) <= max(estimates.values())


def test_machine_load_round_trip_and_bad_values(tmp_path):
    path = tmp_path / "timings.json"
    store = TimingStore.load(path)
    assert store.demand_per_worker() is None
    store.record_load(4, 1.6)
    store.save()
    assert TimingStore.load(path).demand_per_worker() == pytest.approx(0.4)

    data = json.loads(path.read_text())
    for bad in ([0, 1.0, time.time()], [2, -1.0, time.time()], [2, "x", 1.0], {"w": 2}):
        data["load"] = bad
        path.write_text(json.dumps(data))
        assert TimingStore.load(path).demand_per_worker() is None
    data["load"] = [2, 1.0, time.time(), 0.2, 1]  # a shape this version does not know
    path.write_text(json.dumps(data))
    assert TimingStore.load(path).demand_per_worker() is None


def test_demand_corrects_for_the_run_queue_and_reads_older_files(tmp_path):
    path = tmp_path / "timings.json"
    store = TimingStore.load(path)
    assert store.demand_per_worker() is None
    store.record_load(3, 2.0, 1 / 3)  # 3 CPU-bound workers sharing 2 CPUs
    store.save()
    again = TimingStore.load(path)
    assert again.machine_load[:2] == [3, 2.0]  # the busy CPUs as measured, uncorrected
    assert again.demand_per_worker() == pytest.approx(1.0, abs=1e-3)
    # A file from before the run-queue share: three items, no correction.
    data = json.loads(path.read_text())
    data["load"] = data["load"][:3]
    path.write_text(json.dumps(data))
    assert TimingStore.load(path).demand_per_worker() == pytest.approx(2 / 3)
