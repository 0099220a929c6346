"""The streaming result: a worker's unittest result calls, sent to the parent test by test."""

from __future__ import annotations

import io
import itertools
import time
import unittest
import weakref
from typing import Any

from ..events import (
    Batch,
    Output,
    ResultCall,
    SubTestInfo,
    TestEvents,
    TestStarted,
    TestTiming,
    encode_error,
    picklable_or_text,
    plain_or_placeholder,
)
from ..querycount import QueryTally
from .impact import TestContexts


class StreamingResult(TestContexts, unittest.TestResult):
    """Records each result call and sends a test's calls when the test stops."""

    def __init__(
        self,
        conn,
        tally: QueryTally,
        captured: list | None = None,
        failfast: bool = False,
        buffer: bool = False,
    ) -> None:
        super().__init__()
        self.failfast = failfast
        self.buffer = buffer
        self._conn = conn
        self._tally = tally
        self._captured = captured if captured is not None else []
        self._index_of: dict[int, tuple[int, Any]] = {}
        self._pending: dict[Any, list[ResultCall]] = {}
        self._started: dict[Any, tuple[float, float]] = {}
        self.sql_log: SQLLog | None = None
        self._continued: set[int] = set()
        self._held: TestEvents | None = None

    def bind(self, indexed_tests: list[tuple[int, Any]]) -> None:
        """Remember this unit's tests, in order, with their indices in the parent.

        Only weakly: the suite frees each test once it has run, and the id() of a freed
        test may come back as that of another object (the ``_ErrorHolder`` of a failed
        class fixture, say), which must not be taken for the test.

        Tests followed by a test of the same class are "continued": only unittest's own
        loop runs between the two, so the first one's events may wait and travel with
        the second one's start, one message instead of two.
        """
        self._index_of = {id(test): (index, _reference(test)) for index, test in indexed_tests}
        tests = [test for _, test in indexed_tests]
        self._continued = {
            id(test) for test, after in itertools.pairwise(tests) if type(after) is type(test)
        }

    def _send(self, message) -> None:
        """Send ``message``, behind the held-back events of a finished test, if any."""
        if self._held is not None:
            message, self._held = Batch((self._held, message)), None
        self._conn.send(message)

    def release(self) -> None:
        """Send held-back events now: the unit is over."""
        if self._held is not None:
            held, self._held = self._held, None
            self._conn.send(held)
        self._forget_outcomes()

    def _forget_outcomes(self) -> None:
        """Empty unittest's lists of failed, skipped... tests, which nothing reads here.

        The parent keeps the record; in the worker each entry would keep its test, and
        all the test kept on itself, alive until the worker exits.
        """
        for outcomes in (
            self.errors,
            self.failures,
            self.skipped,
            self.expectedFailures,
            self.unexpectedSuccesses,
        ):
            outcomes.clear()

    def _ref(self, test) -> int | str:
        known = self._index_of.get(id(test))
        if known is not None and known[1]() is test:
            return known[0]
        return str(test)

    def flush_output(self) -> None:
        """Send what was printed outside a test, so the parent shows it in order."""
        if self._captured:
            self._send(Output(self._take_output()))

    def _take_output(self) -> tuple:
        chunks = tuple(self._captured)
        self._captured.clear()
        return chunks

    def _record(self, test, method: str, *args) -> None:
        ref = self._ref(test)
        calls = self._pending.get(ref)
        if calls is None:  # a fixture error, or a call arriving after stopTest
            self.flush_output()
            self._send(TestEvents(ref, (ResultCall(method, args),)))
        else:
            calls.append(ResultCall(method, args))

    def _error(self, err, test):
        return encode_error(err, self._exc_info_to_string(err, test))

    def _record_sql(self, test) -> None:
        """``--debug-sql``: send the test's SQL log so far ahead of its failure or end."""
        if self.sql_log is not None and self._ref(test) in self._pending:
            self._record(test, "replayDebugSQL", self.sql_log.text())

    def startTest(self, test) -> None:
        super().startTest(test)
        ref = self._ref(test)
        self.flush_output()
        self._send(TestStarted(ref))
        self._pending[ref] = [ResultCall("startTest")]
        self._tally.reset()  # queries of class fixtures are not the test's
        self._started[ref] = (time.time(), time.perf_counter())
        if self.sql_log is not None:
            self.sql_log.start()

    def stopTest(self, test) -> None:
        super().stopTest(test)
        if self.sql_log is not None:
            self._record_sql(test)
            self.sql_log.stop()
        ref = self._ref(test)
        started_at, start = self._started.pop(ref, (time.time(), time.perf_counter()))
        timing = TestTiming(started_at, time.perf_counter() - start, *self._tally.reset())
        calls = self._pending.pop(ref, [])
        calls.append(ResultCall("stopTest"))
        events = TestEvents(ref, tuple(calls), timing, self._take_output())
        if id(test) in self._continued and not self.shouldStop:
            self._held = events  # sent with the next test's TestStarted
        else:
            self._send(events)
        self._forget_outcomes()

    def addSuccess(self, test) -> None:
        super().addSuccess(test)
        self._record(test, "addSuccess")

    def addError(self, test, err) -> None:
        self._record_sql(test)
        self._record(test, "addError", self._error(err, test))
        super().addError(test, err)

    def addFailure(self, test, err) -> None:
        self._record_sql(test)
        self._record(test, "addFailure", self._error(err, test))
        super().addFailure(test, err)

    def addSkip(self, test, reason) -> None:
        super().addSkip(test, reason)
        self._record(test, "addSkip", str(reason))

    def addExpectedFailure(self, test, err) -> None:
        self._record(test, "addExpectedFailure", self._error(err, test))
        super().addExpectedFailure(test, err)

    def addUnexpectedSuccess(self, test) -> None:
        super().addUnexpectedSuccess(test)
        self._record(test, "addUnexpectedSuccess")

    def addSubTest(self, test, subtest, err) -> None:
        info = _subtest_info(subtest, failed=err is not None)
        encoded = None if err is None else self._error(err, test)
        if err is not None:
            self._record_sql(test)
        self._record(test, "addSubTest", info, encoded)
        super().addSubTest(test, subtest, err)

    def addDuration(self, test, elapsed) -> None:
        self._record(test, "addDuration", elapsed)


def _reference(test):
    """A weak reference to ``test``, or a strong one where it takes no weak references."""
    try:
        return weakref.ref(test)
    except TypeError:  # a custom test object with __slots__: kept alive, as before
        return lambda: test


class SQLLog:
    """``--debug-sql`` in a worker: the SQL the running test logged, as Django keeps it.

    Django's DebugSQLTextTestResult attaches a handler to ``django.db.backends`` per
    test in the process that runs the queries; here that is the worker, which sends
    the text with the test's failure (see ``replayDebugSQL`` on the parent's result).
    """

    def __init__(self) -> None:
        import logging

        from django.db import connections

        for alias in connections:
            connections[alias].force_debug_cursor = True  # as setup_databases(debug_sql=True)
        self.logger = logging.getLogger("django.db.backends")
        self.logger.setLevel(logging.DEBUG)
        self.stream = io.StringIO()
        self.handler: Any = None

    def start(self) -> None:
        import logging

        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        try:
            from django.test.runner import QueryFormatter  # Django 6 formats as it logs
        except ImportError:
            pass
        else:
            self.handler.setFormatter(QueryFormatter())
        self.logger.addHandler(self.handler)

    def stop(self) -> None:
        self.logger.removeHandler(self.handler)

    def text(self) -> str:
        return self.stream.getvalue()


def _subtest_info(subtest, failed: bool) -> SubTestInfo:
    """The subtest's message and parameters as the parent can rebuild them.

    Those of a passing subtest are never evaluated (only plain data travels, the rest
    as placeholders naming the type); those of a failing one are pickled, as Django's
    parallel runner does, or sent as text: the failure is what must not be lost.
    """
    from unittest.case import _subtest_msg_sentinel

    message = subtest._message
    has_message = message is not _subtest_msg_sentinel
    if failed:
        params = {key: picklable_or_text(value) for key, value in subtest.params.items()}
        # The description shows the message with str(), the parameters with repr().
        message = picklable_or_text(message, str) if has_message else None
    else:
        params = {key: plain_or_placeholder(value) for key, value in subtest.params.items()}
        message = plain_or_placeholder(message) if has_message else None
    return SubTestInfo(message, params, has_message)
