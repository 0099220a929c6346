"""Unit tests of what a worker sends while it runs a unit (a list stands in for the pipe)."""

from __future__ import annotations

import unittest

from concurrent_test_app.events import Batch, TestEvents, TestStarted
from concurrent_test_app.querycount import QueryTally
from concurrent_test_app.worker.loading import run_tests
from concurrent_test_app.worker.result import StreamingResult


class FirstClass(unittest.TestCase):
    __test__ = False  # run by the tests below, not collected by pytest

    def test_a(self):
        pass

    def test_b(self):
        self.fail("b fails")

    def test_c(self):
        pass


class SecondClass(unittest.TestCase):
    __test__ = False

    def test_d(self):
        pass


class FakePipe:
    """Collects what the worker sends."""

    def __init__(self) -> None:
        self.sent: list = []

    def send(self, message) -> None:
        self.sent.append(message)


def _flatten(messages):
    for message in messages:
        if isinstance(message, Batch):
            yield from _flatten(message.messages)
        else:
            yield message


def _run(tests, **options):
    pipe = FakePipe()
    result = StreamingResult(pipe, QueryTally(), **options)
    run_tests(list(enumerate(tests)), result)
    result.release()
    return pipe.sent


def test_every_test_starts_and_ends_once_in_order():
    tests = [
        FirstClass("test_a"),
        FirstClass("test_b"),
        FirstClass("test_c"),
        SecondClass("test_d"),
    ]
    sent = list(_flatten(_run(tests)))

    kinds = [(type(m).__name__, m.test) for m in sent if isinstance(m, (TestStarted, TestEvents))]
    assert kinds == [
        ("TestStarted", 0), ("TestEvents", 0), ("TestStarted", 1), ("TestEvents", 1),
        ("TestStarted", 2), ("TestEvents", 2), ("TestStarted", 3), ("TestEvents", 3),
    ]  # fmt: skip
    failure = next(m for m in sent if isinstance(m, TestEvents) and m.test == 1)
    assert [call.method for call in failure.calls] == ["startTest", "addFailure", "stopTest"]


def test_a_test_followed_by_its_class_travels_with_the_next_start():
    tests = [
        FirstClass("test_a"),
        FirstClass("test_b"),
        FirstClass("test_c"),
        SecondClass("test_d"),
    ]
    sent = _run(tests)

    batches = [m for m in sent if isinstance(m, Batch)]
    assert [(m.messages[0].test, m.messages[1].test) for m in batches] == [(0, 1), (1, 2)]
    # The last test of a class goes at once: its class's tearDownClass runs next.
    assert any(isinstance(m, TestEvents) and m.test == 2 for m in sent)
    assert len(sent) == 6  # instead of 8 separate messages


def test_failfast_sends_what_it_held():
    tests = [FirstClass("test_b"), FirstClass("test_c")]
    sent = list(_flatten(_run(tests, failfast=True)))

    assert [m.test for m in sent if isinstance(m, TestEvents)] == [0]
