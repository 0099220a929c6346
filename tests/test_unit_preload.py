"""Unit tests of what each worker is asked to import before its first test."""

from __future__ import annotations

import sys
from types import SimpleNamespace

from concurrent_test_app.planning import PlannedUnit, preload_modules
from concurrent_test_app.suite import ConcurrentSuite
from concurrent_test_app.worker.loading import preload


class _Test:
    """Stands in for a test: only its class's module matters here."""


def _test_in(module: str):
    return type("T", (_Test,), {"__module__": module})()


TESTS = [_test_in("app.tests.test_a"), _test_in("app.tests.test_b"), _test_in("app.tests.test_c")]
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


def test_every_worker_imports_what_the_parent_has_in_its_order_test_modules_too():
    # A sequential process has imported every test module before its first test.
    modules = preload_modules(LOADED, TESTS, "concurrent_test_app")
    wanted = (
        "django.urls",
        "app.helpers",
        "app.tests.test_a",
        "app.tests.test_b",
        "app.tests.test_c",
    )
    assert modules == (wanted, ("app.tests.test_a", "app.tests.test_b", "app.tests.test_c"))


def test_preloading_imports_in_order_times_test_modules_and_survives_a_failure(
    tmp_path, monkeypatch
):
    (tmp_path / "ct_pre_a.py").write_text("import ct_pre_log\nct_pre_log.ORDER.append('a')\n")
    (tmp_path / "ct_pre_b.py").write_text("raise RuntimeError('broken on import')\n")
    (tmp_path / "ct_pre_c.py").write_text("import ct_pre_log\nct_pre_log.ORDER.append('c')\n")
    (tmp_path / "ct_pre_log.py").write_text("ORDER = []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    names = ("ct_pre_c", "ct_pre_b", "ct_pre_a")
    seconds = preload(names, timed=("ct_pre_a", "ct_pre_b"))
    assert sys.modules["ct_pre_log"].ORDER == ["c", "a"]
    assert sorted(seconds) == ["ct_pre_a", "ct_pre_b"]
    for name in ("ct_pre_a", "ct_pre_c", "ct_pre_log"):
        monkeypatch.delitem(sys.modules, name)


def test_imports_timed_while_preloading_count_like_imports_inside_a_unit():
    tests = [_test_in("app.tests.test_a"), _test_in("app.tests.test_b")]
    units = [PlannedUnit("a", (0,)), PlannedUnit("b", (1,))]
    pool = SimpleNamespace(
        preload_imports={"app.tests.test_a": 0.8, "app.tests.test_b": 0.01},
        unit_loads={1: 0.3},  # unit b loaded in 0.3 s (reruns: test_unit_pool)
    )
    seconds = ConcurrentSuite(pool, tests, units).module_import_seconds()
    assert seconds == {"app.tests.test_a": 0.8, "app.tests.test_b": 0.3}
