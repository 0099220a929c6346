"""Unit tests of what each worker is asked to import before its first test."""

from __future__ import annotations

import sys
from types import SimpleNamespace

from concurrent_test_app.planning import PlannedUnit, assign_units, preload_modules
from concurrent_test_app.suite import ConcurrentSuite
from concurrent_test_app.worker import preload_while


class _Test:
    """Stands in for a test: only its class's module matters here."""


def _test_in(module: str):
    return type("T", (_Test,), {"__module__": module})()


TESTS = [_test_in("app.tests.test_a"), _test_in("app.tests.test_b"), _test_in("app.tests.test_c")]
UNITS = [PlannedUnit("a", (0,)), PlannedUnit("b", (1,)), PlannedUnit("c", (2,))]
LOADED = [
    "__main__",
    "django.urls",
    "app.helpers",
    "app.tests.test_a",
    "app.tests.test_b",
    "app.tests.test_c",
    "concurrent_test_app.runner",
    "_pytest.runner",
]


def test_units_go_to_the_first_free_worker_as_dispatch_would():
    shares = assign_units(UNITS, {"a": 5.0, "b": 3.0, "c": 1.0}, workers=2)
    assert [[unit.key for unit in share] for share in shares] == [["a"], ["b", "c"]]


def test_a_worker_preloads_shared_modules_and_only_its_own_test_modules_while_idle():
    share = [UNITS[1], UNITS[2]]
    modules = preload_modules(LOADED, TESTS, share, "concurrent_test_app")
    assert modules == (("django.urls", "app.helpers"), ("app.tests.test_b", "app.tests.test_c"))


def test_heavy_modules_are_left_to_the_unit_that_needs_them():
    modules = preload_modules(
        LOADED, TESTS, [UNITS[0]], "concurrent_test_app", frozenset({"app.tests.test_a"})
    )
    assert modules == (("django.urls", "app.helpers"), ())


def test_idle_preloading_stops_when_the_parent_speaks_and_times_each_import(tmp_path, monkeypatch):
    for name in ("ct_idle_a", "ct_idle_b", "ct_idle_c"):
        (tmp_path / f"{name}.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    answers = iter([True, True, False])
    seconds = preload_while(("ct_idle_a", "ct_idle_b", "ct_idle_c"), lambda: next(answers))
    assert sorted(seconds) == ["ct_idle_a", "ct_idle_b"]
    assert "ct_idle_b" in sys.modules and "ct_idle_c" not in sys.modules
    for name in ("ct_idle_a", "ct_idle_b"):
        monkeypatch.delitem(sys.modules, name)


def test_imports_timed_while_preloading_count_like_imports_inside_a_unit():
    tests = [_test_in("app.tests.test_a"), _test_in("app.tests.test_b")]
    units = [PlannedUnit("a", (0,)), PlannedUnit("b", (1,))]
    pool = SimpleNamespace(
        preload_imports={"app.tests.test_a": 0.8, "app.tests.test_b": 0.01},
        unit_loads={1: 0.3, -1: 5.0},  # unit b loaded in 0.3 s; -1 is a rerun, ignored
    )
    seconds = ConcurrentSuite(pool, tests, units).module_import_seconds()
    assert seconds == {"app.tests.test_a": 0.8, "app.tests.test_b": 0.3}
