"""Loading tests in a worker: preload modules, rebuild tests sent by name, run a unit."""

from __future__ import annotations

import importlib
import sys
import time
import unittest

from .impact import suite_of
from .result import StreamingResult


def preload(modules: tuple[str, ...], timed: tuple[str, ...] = ()) -> dict[str, float]:
    """Import ``modules`` in order; the seconds each module of ``timed`` took.

    A module that fails here is left alone: it fails again where a unit needs it, and
    its tests are reported with the error. The times go to the timing store like those
    of imports inside a unit, so a slow test module is known to be slow.
    """
    timed_names = frozenset(timed)
    seconds = {}
    for name in modules:
        if name in sys.modules:
            continue
        started = time.perf_counter()
        try:
            importlib.import_module(name)
        except (Exception, SystemExit):  # noqa: BLE001, S110 - see the docstring
            pass
        if name in timed_names:
            seconds[name] = time.perf_counter() - started
    return seconds


def run_tests(indexed_tests: list, result: StreamingResult) -> None:
    """Run a unit's ``(index, test)`` pairs as one top-level suite; empties the list.

    One suite, so that class and module fixtures behave as usual. The suite then holds
    the only reference to each test and drops it once it has run, as unittest's own
    suites do: what a finished test kept on itself (Django's copies of the setUpTestData
    objects, for one) is freed then, not when the whole unit ends.
    """
    materialize(indexed_tests)
    result.bind(indexed_tests)
    suite = suite_of(test for _, test in indexed_tests)
    indexed_tests.clear()
    suite.run(result)
    # TestSuite.run tore the last class and module down; forget them so the next unit
    # does not tear them down a second time.
    result._previousTestClass = None
    result._moduleSetUpFailed = False


def materialize(indexed_tests: list) -> None:
    """Rebuild, in place, the tests of a unit that came by name (they would not pickle)."""
    loaded: dict[str, dict] = {}
    indexed_tests[:] = [(index, _materialize(test, loaded)) for index, test in indexed_tests]


def _materialize(test, loaded: dict[str, dict]):
    """The test itself, or, when it came by name (it would not pickle), rebuilt here."""
    if not isinstance(test, str):
        return test
    found = _test_case_by_name(test)
    if found is not None:
        return found
    # Not a TestCase method: a test a module's load_tests made (a doctest, say).
    # Rebuild that module's tests as discovery did and pick this one by id; a
    # name is never called, as loadTestsFromName would call a doctest's function.
    from django.test.utils import iter_test_cases

    module_name = test
    while "." in module_name:
        module_name = module_name.rpartition(".")[0]
        if module_name not in loaded:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                loaded[module_name] = {}
                continue
            suite = unittest.defaultTestLoader.loadTestsFromModule(module)
            loaded[module_name] = {case.id(): case for case in iter_test_cases(suite)}
        if test in loaded[module_name]:
            return loaded[module_name][test]
    raise LookupError(f"test {test!r} would not pickle and cannot be found by its id here")


def _test_case_by_name(name: str):
    """``module.Class.method`` as an instance of the TestCase class, or None."""
    parts = name.split(".")
    for split in range(len(parts) - 2, 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:-1]:
            target = getattr(target, attribute, None)
        if (
            isinstance(target, type)
            and issubclass(target, unittest.TestCase)
            and hasattr(target, parts[-1])
        ):
            return target(parts[-1])
        return None
    return None
