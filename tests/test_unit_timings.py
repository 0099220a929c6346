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


@pytest.mark.parametrize("content", ["{not json", '{"format": "other"}', "[1, 2]"])
def test_corrupt_or_foreign_file_is_ignored_with_a_warning(tmp_path, content):
    path = tmp_path / "timings.json"
    path.write_text(content)
    with pytest.warns(UserWarning, match="Ignoring timing store"):
        store = TimingStore.load(path)
    assert store.unit_estimates() == {}


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
