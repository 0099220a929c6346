"""Unit tests of the last outcomes: reading them, deriving them from records, selecting by them."""

from __future__ import annotations

import json
import math

from concurrent_test_app.outcomes import (
    outcomes_of,
    read_outcomes,
    recorded_test_exists,
    run_context,
    select,
)
from concurrent_test_app.planning import PlannedUnit
from concurrent_test_app.reports.merge import merge_timings
from concurrent_test_app.reports.recording import Outcome, TestRecord
from concurrent_test_app.timings import TimingStore

CONTEXT = run_context("proj.settings", ["sqlite"])


class FakeTest:
    """A test known by its id alone."""

    def __init__(self, test_id: str) -> None:
        self._id = test_id

    def id(self) -> str:
        return self._id


def fakes(*ids: str) -> list[FakeTest]:
    return [FakeTest(test_id) for test_id in ids]


def units_by_class(tests: list) -> list[PlannedUnit]:
    """Units as planning groups them: one per class, in order of first appearance."""
    indices: dict[str, list[int]] = {}
    for index, test in enumerate(tests):
        indices.setdefault(test.id().rpartition(".")[0], []).append(index)
    return [PlannedUnit(key, tuple(found)) for key, found in indices.items()]


def ids(selection) -> list[str]:
    return [test.id() for test in selection.tests]


SUITE = ("m.A.t1", "m.A.t2", "m.B.t1", "m.C.t1", "m.C.t2", "n.D.t1")


def run_select(last, *, only_failed, suite=SUITE, exists=lambda key: True):
    flag = "--last-failed" if only_failed else "--failed-first"
    return select(
        fakes(*suite),
        {key: [outcome, 1.0] for key, outcome in last.items()},
        only_failed=only_failed,
        units_of=units_by_class,
        exists=exists,
        flag=flag,
    )


def test_last_failed_keeps_the_red_units_in_django_order():
    selection = run_select(
        {"m.C.t2": "failed", "m.A.t1": "errored", "m.B.t1": "passed"}, only_failed=True
    )
    assert ids(selection) == ["m.A.t1", "m.A.t2", "m.C.t1", "m.C.t2"]
    assert selection.message == "--last-failed: 4 of 6 tests (2 deselected)"


def test_failed_first_moves_whole_red_units_to_the_front_and_keeps_the_rest():
    selection = run_select({"m.C.t2": "unexpected_success", "n.D.t1": "failed"}, only_failed=False)
    assert ids(selection) == ["m.C.t1", "m.C.t2", "n.D.t1", "m.A.t1", "m.A.t2", "m.B.t1"]
    assert selection.message == "--failed-first: 3 of 6 tests first (0 deselected)"


def test_a_failed_fixture_covers_its_class_or_module():
    assert ids(run_select({"m.B": "errored"}, only_failed=True)) == ["m.B.t1"]
    assert ids(run_select({"n": "errored"}, only_failed=True)) == ["n.D.t1"]
    # A prefix of a name is not its parent: m.C does not cover m.Cx.
    assert ids(run_select({"m.C": "failed"}, only_failed=True, suite=("m.Cx.t",))) == ["m.Cx.t"]


def test_nothing_recorded_or_nothing_red_runs_the_whole_selection():
    nothing = run_select({}, only_failed=True)
    assert ids(nothing) == list(SUITE)
    assert nothing.message == "--last-failed: nothing recorded; all 6 tests run"
    green = run_select({"m.A.t1": "passed", "m.B.t1": "skipped"}, only_failed=True)
    assert ids(green) == list(SUITE)
    assert (
        green.message
        == "--last-failed: no test of this selection failed last time; all 6 tests run"
    )
    kept = run_select({"m.A.t1": "expected_failure"}, only_failed=False)
    assert (
        kept.message
        == "--failed-first: no test of this selection failed last time; Django's order kept"
    )


def test_red_tests_outside_the_selection_are_missing_only_when_gone():
    last = {"m.A.t1": "failed", "x.Gone.t": "failed", "y.Elsewhere.t": "failed"}
    selection = run_select(last, only_failed=True, exists=lambda key: key.startswith("y."))
    assert selection.missing == ("x.Gone.t",)
    assert ids(selection) == ["m.A.t1", "m.A.t2"]


def test_recorded_test_exists_imports_and_looks_up_attributes():
    assert recorded_test_exists("concurrent_test_app.outcomes.Selection")
    assert recorded_test_exists("concurrent_test_app.outcomes")
    assert not recorded_test_exists("concurrent_test_app.outcomes.Gone.test_x")
    assert not recorded_test_exists("concurrent_test_app.no_such_module.Class.test")
    assert not recorded_test_exists("no_such_package_anywhere.tests.T.test")


def _record(name, *outcomes, is_test=True, classname="m.A", subtests=False):
    record = TestRecord(classname, name, classname, 1, 0.0, is_test=is_test)
    record.outcomes = [Outcome(kind, type_name, "") for kind, type_name in outcomes]
    record.has_failed_subtests = subtests
    return record


def test_outcomes_of_records():
    records = [
        _record("t_pass"),
        _record("t_fail", ("failure", "AssertionError")),
        _record("t_error", ("error", "ValueError")),
        _record("t_skip", ("skipped", "skip")),
        _record("t_xfail", ("skipped", "XFAIL")),
        _record("t_xpass", ("error", "UnexpectedSuccess")),
        _record("t_sub", subtests=True),
        _record("t_sub (i=1)", ("error", "ValueError"), is_test=False),
        _record("t_late", ("failure", "AssertionError")),
        _record("t_late", ("error", "OperationalError"), is_test=False),  # after its stop
        _record("setUpClass", ("error", "ValueError"), is_test=False, classname="m.B"),
        _record("tearDownModule", ("error", "ValueError"), is_test=False, classname="n"),
    ]
    assert outcomes_of(records) == {
        "m.A.t_pass": "passed",
        "m.A.t_fail": "failed",
        "m.A.t_error": "errored",
        "m.A.t_skip": "skipped",
        "m.A.t_xfail": "expected_failure",
        "m.A.t_xpass": "unexpected_success",
        "m.A.t_sub": "errored",  # the worst of its subtests
        "m.A.t_late": "errored",
        "m.B": "errored",
        "n": "errored",
    }


def test_read_outcomes_keeps_only_valid_entries():
    raw = {
        CONTEXT: {
            "a.T.ok": ["failed", 5],
            "a.T.future": ["quarantined", 5],  # an outcome of a newer version
            "a.T.nan": ["passed", math.nan],
            "a.T.bool": ["passed", True],
            "a.T.short": ["passed"],
            "a.T.text": "passed",
        },
        "other": ["not", "a", "table"],
        7: {},
    }
    assert read_outcomes(raw) == {CONTEXT: {"a.T.ok": ["failed", 5.0]}}
    assert read_outcomes(["no"]) == {}


def test_the_store_keeps_outcomes_per_context_and_shards_merge_them(tmp_path):
    store = TimingStore.load(tmp_path / "timings.json")
    store.record_outcomes(CONTEXT, {"a.T.t": "failed"})
    store.record_outcomes(run_context("proj.settings", ["postgresql"]), {"a.T.t": "passed"})
    store.save()
    again = TimingStore.load(store.path)
    assert again.last_outcomes(CONTEXT)["a.T.t"][0] == "failed"
    assert again.last_outcomes("proj.settings:postgresql")["a.T.t"][0] == "passed"
    assert again.last_outcomes("proj.settings:mysql") == {}

    shard = TimingStore.load(store.path)
    shard.record_outcomes(CONTEXT, {"a.T.t": "passed", "a.T.u": "errored"})
    shard.save(tmp_path / "shard.json")
    old = json.loads(store.path.read_text())
    old["outcomes"][CONTEXT]["a.T.t"][1] += 10**6  # the main store's entry is newer
    store.path.write_text(json.dumps(old))
    merge_timings(tmp_path / "merged.json", [store.path, tmp_path / "shard.json"])
    merged = TimingStore.load(tmp_path / "merged.json").last_outcomes(CONTEXT)
    assert {key: entry[0] for key, entry in merged.items()} == {
        "a.T.t": "failed",
        "a.T.u": "errored",
    }


def test_aged_outcomes_drop_out(tmp_path):
    store = TimingStore.load(tmp_path / "timings.json")
    store.outcomes = {CONTEXT: {"a.T.old": ["failed", 1.0]}}
    store.save()
    assert "outcomes" not in json.loads(store.path.read_text())
