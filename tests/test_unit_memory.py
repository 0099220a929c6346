"""Unit tests of what keeps a worker small (issue #8): what it imports and what it keeps."""

from __future__ import annotations

import gc
import subprocess
import sys
import unittest
import weakref
from unittest.suite import _ErrorHolder

from concurrent_test_app.events import Batch, TestEvents
from concurrent_test_app.planning import preload_modules
from concurrent_test_app.querycount import QueryTally
from concurrent_test_app.worker.loading import run_tests
from concurrent_test_app.worker.result import StreamingResult


class FakePipe:
    """Collects what the worker sends."""

    def __init__(self) -> None:
        self.sent: list = []

    def send(self, message) -> None:
        self.sent.append(message)


class Tracked(unittest.TestCase):
    """Each test notes a weak reference to itself; the second one sees if the first lives."""

    __test__ = False  # run by the tests below, not collected by pytest
    seen: list = []
    first_alive: bool | None = None

    def test_first(self):
        self.payload = bytearray(1_000_000)  # as Django's copies of setUpTestData objects
        Tracked.seen.append(weakref.ref(self))

    def test_second(self):
        gc.collect()
        Tracked.first_alive = Tracked.seen[0]() is not None

    @unittest.skip("noted, then skipped")
    def test_skipped(self):
        pass

    def test_failing(self):
        Tracked.seen.append(weakref.ref(self))
        self.fail("noted, then failed")


def _modules_after(statement: str) -> set[str]:
    """The modules a fresh interpreter has after running ``statement``."""
    script = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def test_the_runner_leaves_lxml_until_it_writes_junit():
    # Workers preload what the parent has; lxml would cost each of them about 4 MB.
    modules = _modules_after("import concurrent_test_app.runner")
    assert "lxml" not in modules
    assert "concurrent_test_app.reports.junit" not in modules


def test_the_test_commands_own_modules_are_not_preloaded():
    command = ["django.test.runner", "django.core.management.commands.test", "pdb", "ctypes"]
    kept = ["django.test", "django.test.testcases", "ctypes_helpers", "app.pdb"]
    modules, _ = preload_modules(command + kept, [], "concurrent_test_app")
    assert list(modules) == kept


def test_the_app_and_the_runner_leave_sqlite3_to_sqlite_runs():
    # apps.ready() imports the checks in every worker, and workers preload what the
    # parent has: either way sqlite3 would reach a PostgreSQL or MySQL worker.
    modules = _modules_after("import concurrent_test_app.checks, concurrent_test_app.runner")
    assert "sqlite3" not in modules


def test_a_test_is_freed_once_it_has_run_as_unittest_suites_do():
    Tracked.seen, Tracked.first_alive = [], None
    pipe = FakePipe()
    result = StreamingResult(pipe, QueryTally())
    run_tests([(0, Tracked("test_first")), (1, Tracked("test_second"))], result)
    result.release()
    assert Tracked.first_alive is False
    sent = [m for b in pipe.sent for m in (b.messages if isinstance(b, Batch) else (b,))]
    assert [m.test for m in sent if isinstance(m, TestEvents)] == [0, 1]


def test_a_freed_tests_id_is_not_taken_for_another_object():
    result = StreamingResult(FakePipe(), QueryTally())
    test = Tracked("test_first")
    result.bind([(3, test)])
    assert result._ref(test) == 3
    # As if the fixture error's holder had been given the freed test's id():
    holder = _ErrorHolder("tearDownClass (app.tests.Tracked)")
    result._index_of[id(holder)] = result._index_of.pop(id(test))
    del test
    assert result._ref(holder) == "tearDownClass (app.tests.Tracked)"


def test_skipped_and_failed_tests_are_freed_too():
    # unittest's result lists them with the test; the worker sends its own record instead.
    pipe = FakePipe()
    result = StreamingResult(pipe, QueryTally())
    Tracked.seen = []
    skipped, failing = Tracked("test_skipped"), Tracked("test_failing")
    watched = [weakref.ref(skipped), weakref.ref(failing)]
    run_tests([(0, skipped), (1, failing)], result)
    del skipped, failing
    gc.collect()
    assert [ref() for ref in watched] == [None, None]
    sent = [m for b in pipe.sent for m in (b.messages if isinstance(b, Batch) else (b,))]
    outcomes = [[c.method for c in m.calls] for m in sent if isinstance(m, TestEvents)]
    assert outcomes == [
        ["startTest", "addSkip", "stopTest"],
        ["startTest", "addFailure", "stopTest"],
    ]
