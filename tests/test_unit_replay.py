"""Unit tests of replaying worker events into a unittest result, with a fake pool."""

from __future__ import annotations

import io
import sys
import unittest

from tblib import pickling_support

from concurrent_test_app.events import ResultCall, SubTestInfo, TestEvents, encode_error
from concurrent_test_app.planning import plan_units
from concurrent_test_app.suite import ConcurrentSuite, with_replay_formatting

pickling_support.install()  # as every worker does at start


class Sample(unittest.TestCase):
    def test_one(self):
        pass

    def test_two(self):
        pass


class FakePool:
    """Plays back canned events instead of running processes."""

    def __init__(self, events):
        self.events = events
        self.units = None

    def run(self, units, on_events, should_stop, describe, shares=None, estimates=None):
        self.units = units
        for event in self.events:
            on_events(1, event)


def _error(text):
    try:
        raise AssertionError(text)
    except AssertionError:
        return encode_error(sys.exc_info(), f"FORMATTED {text}\n")


def _run(events):
    tests = [Sample("test_one"), Sample("test_two")]
    pool = FakePool(events)
    suite = ConcurrentSuite(pool, tests, plan_units(tests))
    stream = io.StringIO()
    resultclass = with_replay_formatting(None)
    result = resultclass(unittest.runner._WritelnDecorator(stream), True, 2)
    suite.run(result)
    return result, stream.getvalue(), pool


def test_events_become_the_same_result_calls():
    start, stop = ResultCall("startTest"), ResultCall("stopTest")
    result, output, pool = _run(
        [
            TestEvents(0, (start, ResultCall("addSuccess"), stop)),
            TestEvents(1, (start, ResultCall("addFailure", (_error("boom"),)), stop)),
            TestEvents("setUpClass (x.Y)", (ResultCall("addError", (_error("fixture"),)),)),
        ]
    )
    assert result.testsRun == 2
    assert len(result.failures) == 1 and result.failures[0][1] == "FORMATTED boom\n"
    assert result.errors[0][0].description == "setUpClass (x.Y)"
    assert "setUpClass (x.Y) ... ERROR" in output
    assert [len(unit.tests) for unit in pool.units] == [2]


def test_subtests_are_rebuilt_with_their_parameters():
    calls = (
        ResultCall("startTest"),
        ResultCall("addSubTest", (SubTestInfo(None, {"i": 2}, False), _error("sub"))),
        ResultCall("addSuccess"),
        ResultCall("stopTest"),
    )
    result, _output, _pool = _run([TestEvents(0, calls)])
    subtest, text = result.failures[0]
    assert subtest.params == {"i": 2} and "(i=2)" in str(subtest)
    assert text == "FORMATTED sub\n"
