"""Unit tests of outcomes reported after a test stopped (Django's ``_post_teardown``)."""

from __future__ import annotations

import io
import sys
import unittest

from helpers import STRICT_SCHEMA
from lxml import etree
from tblib import pickling_support

from concurrent_test_app.events import ResultCall, TestEvents, encode_error
from concurrent_test_app.planning import plan_units
from concurrent_test_app.reports.junit import build_tree
from concurrent_test_app.reports.recording import Recorder, RecordingResultMixin
from concurrent_test_app.suite import ConcurrentSuite, with_replay_formatting

pickling_support.install()  # as every worker does at start


class FlushFails(unittest.TestCase):
    """Reports an error after ``stopTest``, as Django's ``_setup_and_call`` does."""

    __test__ = False  # run by the tests below, not by pytest

    def __call__(self, result=None):
        super().__call__(result)
        try:
            raise RuntimeError("FLUSH-MARKER")
        except RuntimeError:
            result.addError(self, sys.exc_info())

    def test_passes(self):
        pass

    def test_fails(self):
        self.fail("BODY-MARKER")


def _result_class(recorder: Recorder, base=unittest.TextTestResult) -> type:
    mixin = type("M", (RecordingResultMixin,), {"recorder": recorder})
    return type("R", (mixin, base), {})


def test_an_error_after_stop_lands_on_the_case_that_stopped():
    recorder = Recorder()
    stream = io.StringIO()
    suite = unittest.TestLoader().loadTestsFromTestCase(FlushFails)
    runner = unittest.TextTestRunner(stream, resultclass=_result_class(recorder), verbosity=2)
    result = runner.run(suite)

    assert "test_passes" in stream.getvalue() and "... ok\n" in stream.getvalue()
    assert (result.testsRun, len(result.failures), len(result.errors)) == (2, 1, 2)
    cases = {case.name: case for case in recorder.cases()}
    assert set(cases) == {"test_passes", "test_fails"}
    assert [o.kind for o in cases["test_passes"].outcomes] == ["error"]
    assert [o.kind for o in cases["test_fails"].outcomes] == ["failure", "error"]
    error = cases["test_passes"].outcomes[0]
    assert error.text.startswith("Reported after the test had passed")
    assert "FLUSH-MARKER" in error.text
    assert cases["test_fails"].outcomes[1].text.startswith("Reported after the test had failed")
    assert recorder.failed == 2  # each case counted once, when it turned red

    root = build_tree(recorder)
    etree.XMLSchema(etree.parse(str(STRICT_SCHEMA))).assertValid(root)
    assert (root.get("failures"), root.get("errors")) == ("1", "2")


class PreSetupFails(unittest.TestCase):
    """Reports an error without ever starting, as Django does when ``_pre_setup`` fails."""

    __test__ = False

    def __call__(self, result=None):
        try:
            raise RuntimeError("PRE-SETUP-MARKER")
        except RuntimeError:
            result.addError(self, sys.exc_info())

    def test_never_starts(self):
        raise AssertionError("_pre_setup failed, this must not run")


def test_an_error_of_a_test_that_never_started_still_gets_a_case():
    recorder = Recorder()
    suite = unittest.TestSuite(
        [FlushFails("test_passes"), PreSetupFails("test_never_starts"), FlushFails("test_fails")]
    )
    runner = unittest.TextTestRunner(io.StringIO(), resultclass=_result_class(recorder))
    result = runner.run(suite)

    assert (result.testsRun, len(result.errors)) == (2, 3)
    cases = {case.name: case for case in recorder.cases()}
    never = cases["test_never_starts"]
    assert [o.kind for o in never.outcomes] == ["error"] and not never.is_test
    assert never.outcomes[0].text.startswith("Traceback")  # not said to follow an outcome
    assert [o.kind for o in cases["test_passes"].outcomes] == ["error"]
    assert len(recorder.tests()) == result.testsRun
    assert build_tree(recorder).get("errors") == "3"


class Sample(unittest.TestCase):
    __test__ = False

    def test_one(self):
        pass

    def test_two(self):
        pass


class FakePool:
    """Plays back canned events; a test queued for a rerun gets ``reruns`` events."""

    def __init__(self, events, reruns):
        self.events, self.reruns, self.queue = events, reruns, []

    def requeue(self, unit):
        self.queue.append(unit)

    def run(self, units, on_events, should_stop, describe, shares=None, estimates=None):
        for event in self.events:
            on_events(1, event)
        while self.queue:
            self.queue.pop(0)
            for event in self.reruns.pop(0):
                on_events(2, event)


def _error(text):
    try:
        raise RuntimeError(text)
    except RuntimeError:
        return encode_error(sys.exc_info(), f"FORMATTED {text}\n")


START, STOP, OK = ResultCall("startTest"), ResultCall("stopTest"), ResultCall("addSuccess")


def _late(index, text):
    return TestEvents(index, (ResultCall("addError", (_error(text),)),))


def test_a_late_error_is_not_rerun_and_one_of_a_rerun_attempt_goes_with_it():
    failed = TestEvents(0, (START, ResultCall("addError", (_error("BODY"),)), STOP))
    events = [
        failed,
        _late(0, "FLUSH-OF-THE-RERUN-ATTEMPT"),  # held back with its attempt
        TestEvents(1, (START, OK, STOP)),
        _late(1, "FLUSH-AFTER-PASS"),  # shown: nothing reruns a test that passed
    ]
    reruns = [[TestEvents(0, (START, OK, STOP))]]
    tests = [Sample("test_one"), Sample("test_two")]
    pool = FakePool(events, reruns)
    suite = ConcurrentSuite(pool, tests, plan_units(tests), reruns=1)
    recorder = Recorder()
    result_class = _result_class(recorder, with_replay_formatting(None))
    result = result_class(unittest.runner._WritelnDecorator(io.StringIO()), True, 2)
    suite.run(result)

    assert result.testsRun == 2
    assert [str(error[1]) for error in result.errors] == ["FORMATTED FLUSH-AFTER-PASS\n"]
    assert suite.flaky == [tests[0].id()]
    cases = {case.name: [o.kind for o in case.outcomes] for case in recorder.cases()}
    assert cases == {"test_one": [], "test_two": ["error"]}
