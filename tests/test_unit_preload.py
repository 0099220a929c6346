"""Unit tests of what each worker is asked to import before its first test."""

from __future__ import annotations

from concurrent_test_app.planning import PlannedUnit, assign_units, preload_modules


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


def test_a_worker_preloads_shared_modules_and_only_its_own_test_modules():
    share = [UNITS[1], UNITS[2]]
    modules = preload_modules(LOADED, TESTS, share, "concurrent_test_app")
    assert modules == ("django.urls", "app.helpers", "app.tests.test_b", "app.tests.test_c")


def test_heavy_modules_are_left_to_the_unit_that_needs_them():
    modules = preload_modules(
        LOADED, TESTS, [UNITS[0]], "concurrent_test_app", frozenset({"app.tests.test_a"})
    )
    assert modules == ("django.urls", "app.helpers")


def test_without_import_timings_no_test_module_is_preloaded():
    modules = preload_modules(LOADED, TESTS, UNITS, "concurrent_test_app", None)
    assert modules == ("django.urls", "app.helpers")
