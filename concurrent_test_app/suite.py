"""The parent's stand-in suite: drives the worker pool and replays events into the result.

``unittest.TextTestRunner.run`` calls ``suite(result)`` and then prints the failure
blocks, ``Ran N tests`` and the verdict as usual, so the console and exit status are
Django's own.
"""

from __future__ import annotations

import io
import sys
import unittest
from dataclasses import dataclass
from unittest.case import _SubTest, _subtest_msg_sentinel
from unittest.suite import _ErrorHolder

from .events import (
    Output,
    RemoteError,
    SubTestInfo,
    TestEvents,
    TestTiming,
    Unit,
    decode_error,
    formatted_of,
)
from .orderchecks import OrderChecks, Settled
from .planning import PlannedUnit
from .pool import WorkerPool
from .reports.console import CONSOLE


@dataclass(frozen=True)
class ReplayContext:
    """Set on the result while a worker's events are replayed into it."""

    worker_id: int
    timing: TestTiming | None
    reruns: tuple[RemoteError, ...] = ()  # the failed attempts before this one, oldest first
    note: str = ""  # what the order check found about this test (orderchecks)


class ReplayedFormattingMixin:
    """Prints a worker's traceback as the worker formatted it.

    Tracebacks rebuilt by tblib lack the frame globals unittest uses to hide its own
    frames, and surrogate exceptions carry no traceback at all: the worker's text is the
    faithful one.
    """

    def _exc_info_to_string(self, err, test):
        formatted = formatted_of(err[1]) if err and len(err) > 1 else None
        if formatted is not None:
            return formatted
        return super()._exc_info_to_string(err, test)

    def replayDebugSQL(self, test, sql: str) -> None:
        """``--debug-sql``: the worker's SQL log of ``test`` so far stands in for ours.

        Django's DebugSQLTextTestResult prints ``debug_sql_stream`` with a failure (and
        after every test at ``-v 2``); the queries ran in the worker, not here.
        """
        stream = io.StringIO(sql)
        stream.seek(0, io.SEEK_END)
        if hasattr(self, "debug_sql_stream"):  # Django < 6
            self.debug_sql_stream = stream
        elif hasattr(self, "_read_logger_stream") and getattr(self, "handler", None):
            self.handler.setStream(stream)  # Django 6 reads its log handler's stream


def with_replay_formatting(resultclass: type | None) -> type:
    """``resultclass`` (default TextTestResult) with ReplayedFormattingMixin in front."""
    base = resultclass or unittest.TextTestResult
    if issubclass(base, ReplayedFormattingMixin):
        return base
    return type(base.__name__, (ReplayedFormattingMixin, base), {})


def _failure_of(events: TestEvents) -> RemoteError | None:
    """The first failure or error among a test's result calls (subtests included)."""
    for call in events.calls:
        if call.method in ("addFailure", "addError"):
            return call.args[0]
        if call.method == "addSubTest" and call.args[1] is not None:
            return call.args[1]
        if call.method == "addUnexpectedSuccess":
            return RemoteError("UnexpectedSuccess", "unexpected success", "unexpected success\n")
    return None


def _after_stop(events: TestEvents) -> bool:
    """Whether ``events`` were reported after their test had stopped (no ``startTest``).

    Django's ``_post_teardown`` (a TransactionTestCase's flush, say) runs after
    unittest's ``stopTest`` and reports its error on its own.
    """
    return not any(call.method == "startTest" for call in events.calls)


def _lost_worker(error: RemoteError) -> bool:
    # A test that crashed or hung its worker is not rerun blindly.
    return error.type_name.endswith(("WorkerCrashException", "WorkerTimeoutException"))


def write_chunks(chunks) -> None:
    """Write a worker's captured prints to this process's current stdout/stderr."""
    if chunks:
        CONSOLE.before_output()  # the progress line would run into the test's text
    for name, text in chunks:
        stream = sys.stdout if name == "stdout" else sys.stderr
        stream.write(text)
        stream.flush()


class ConcurrentSuite:
    """A suite whose run hands its units to the pool and replays what comes back."""

    def __init__(
        self,
        pool: WorkerPool,
        tests: list,
        units: list[PlannedUnit],
        reruns: int = 0,
        shares: list[list[PlannedUnit]] | None = None,
        estimates: dict[str, float] | None = None,
        order_checks: OrderChecks | None = None,
    ) -> None:
        self.pool = pool
        self.order_checks = order_checks
        self.tests = tests
        self.units = units
        self.reruns = reruns
        self.shares = shares  # each worker's planned units; None: deal in order
        self.estimates = estimates or {}
        self.test_durations: dict[str, float] = {}  # test id -> seconds in its worker
        self.failed_attempts: dict[int, list[RemoteError]] = {}
        self.flaky: list[str] = []  # ids of tests that failed, then passed on a rerun
        self._rerunning: set[int] = set()  # tests whose last attempt was held for a rerun

    def __iter__(self):
        return iter(self.tests)

    def countTestCases(self) -> int:
        """How many tests the suite holds."""
        return len(self.tests)

    def __call__(self, result):
        return self.run(result)

    def unit_durations(self) -> dict[str, float]:
        """Seconds each unit took in its worker, keyed by unit key (a split class's summed)."""
        durations: dict[str, float] = {}
        for index, seconds in self.pool.unit_durations.items():  # reruns not among them
            key = self.units[index].timing_key
            durations[key] = durations.get(key, 0.0) + seconds
        return durations

    def module_import_seconds(self) -> dict[str, float]:
        """The longest time a worker took to import a test module, in a unit or preloading."""
        seconds = dict(self.pool.preload_imports)
        for index, load in self.pool.unit_loads.items():  # reruns not among them
            module = type(self.tests[self.units[index].indices[0]]).__module__
            seconds[module] = max(seconds.get(module, 0.0), load)
        return seconds

    def run(self, result):
        """Run every unit in the pool, replaying each test's events into ``result``."""
        units = [
            Unit(number, tuple((index, self.tests[index]) for index in unit.indices))
            for number, unit in enumerate(self.units)
        ]
        number_of = {unit.key: number for number, unit in enumerate(self.units)}
        shares = None
        if self.shares is not None:
            shares = [[number_of[unit.key] for unit in share] for share in self.shares]
        self.pool.run(
            units,
            on_events=lambda worker_id, events: self.replay(events, result, worker_id),
            should_stop=lambda: result.shouldStop,
            describe=self.describe,
            shares=shares,
            estimates={n: self.estimates.get(unit.key, 0.0) for n, unit in enumerate(self.units)},
        )
        self._settle_order_checks(result)
        return result

    def _settle_order_checks(self, result) -> None:
        """Check the held failures in fresh workers; replay what each verdict says."""
        checks = self.order_checks
        if checks is None or not checks.held:
            return
        stopped = result.shouldStop or self.pool.aborted
        seconds = self.test_durations.get
        settled = (
            [] if stopped else checks.settle(self.describe, lambda i: seconds(self.describe(i)))
        )
        if stopped:  # Ctrl-C or the run's timeout: no time for checks
            settled = [Settled((h.events, *h.late), h.worker_id) for h in checks.held]
        for item in settled:
            for events in item.events:
                self.replay(events, result, item.worker_id, item)

    def describe(self, ref) -> str:
        """A test reference as the user knows it: the test id or the fixture's name."""
        return self.tests[ref].id() if isinstance(ref, int) else str(ref)

    def replay(
        self,
        events: TestEvents | Output,
        result,
        worker_id: int = 0,
        settled: Settled | None = None,
    ) -> None:
        """Call ``result``'s methods as the worker's result was called.

        While the calls are replayed, ``result.concurrent_context`` tells reporting
        code which worker ran the test and how long it took there. What the test
        printed is written right after ``startTest``, where a sequential run shows it.
        """
        if isinstance(events, Output):
            write_chunks(events.chunks)
            return
        if settled is None and self._held(events, result, worker_id):
            return
        attempts = (
            tuple(self.failed_attempts.get(events.test, ())) if isinstance(events.test, int) else ()
        )
        if attempts:
            self._note_flaky(events)
        note = settled.note if settled is not None else ""
        # An order-dependent test that counts as passed keeps its concurrent failure.
        attempts = attempts or (settled.reruns if settled is not None else ())
        if isinstance(events.test, int):
            test = self.tests[events.test]
            if events.timing is not None:
                self.test_durations[test.id()] = events.timing.duration
        else:
            test = _ErrorHolder(events.test)
            if hasattr(result, "_newline"):
                # A fixture event always follows a complete test block, so the cursor is
                # at the start of a line; CPython 3.11's addUnexpectedSuccess forgets to
                # record that, which would glue "ERROR" to the previous line.
                result._newline = True
        result.concurrent_context = ReplayContext(worker_id, events.timing, attempts, note)
        # With --buffer the worker kept a passing test's prints to itself and sends a
        # failing one's as unittest mirrors them at stopTest ("Stdout:" ...): shown
        # after the status, outside this process's own buffer, which would add a
        # second heading.
        buffered = getattr(result, "buffer", False)
        try:
            for call in events.calls:
                method = getattr(result, call.method, None)
                if method is None:
                    if call.method == "addDuration":
                        continue  # this Python's unittest predates durations
                    raise RuntimeError(f"Unknown result call {call.method!r} from a worker")
                method(test, *(self._decode(test, arg) for arg in call.args))
                if call.method == "startTest" and not buffered:
                    write_chunks(events.output)
            if buffered:
                write_chunks(events.output)
        finally:
            result.concurrent_context = None

    def _note_flaky(self, events: TestEvents) -> None:
        """A rerun that passed makes its test flaky; an error after its end undoes that."""
        test_id = self.tests[events.test].id()
        if not _after_stop(events):
            if not _failure_of(events):
                self.flaky.append(test_id)
        elif _failure_of(events) and test_id in self.flaky:
            self.flaky.remove(test_id)

    def _held_for_rerun(self, events: TestEvents) -> bool:
        """Keep a failed test's events back and queue it again, while reruns remain."""
        if _after_stop(events):
            # An error after the test's end belongs to the attempt it followed: shown
            # with a shown attempt, held back with one that is being rerun.
            return events.test in self._rerunning
        self._rerunning.discard(events.test)
        failure = _failure_of(events)
        attempts = self.failed_attempts.setdefault(events.test, [])
        if failure is None or len(attempts) >= self.reruns or _lost_worker(failure):
            return False
        attempts.append(failure)
        self._rerunning.add(events.test)
        # A unit of its own: its class fixtures run again around it, as on a fresh start.
        unit = self._unit_of(events.test)
        self.pool.requeue(Unit(unit, ((events.test, self.tests[events.test]),), rerun=True))
        return True

    def _unit_of(self, test: int) -> int:
        """The number of the unit ``test`` belongs to (a rerun keeps its unit's number)."""
        return next((n for n, unit in enumerate(self.units) if test in unit.indices), 0)

    def _held(self, events: TestEvents, result, worker_id: int) -> bool:
        """Whether a test's events wait: for a rerun, or for the order check after the run."""
        if not isinstance(events.test, int):
            return False  # a fixture's error is reported as it comes
        return self._held_for_rerun(events) or self._held_for_order_check(events, result, worker_id)

    def _held_for_order_check(self, events: TestEvents, result, worker_id: int) -> bool:
        """Keep a failed test back to check it for order dependence after the run."""
        if self.order_checks is None:
            return False
        if _after_stop(events):  # an error after the test's end stays with its attempt
            return self.order_checks.attach_late(events)
        failure = _failure_of(events)
        if failure is None or _lost_worker(failure):
            return False
        if self.reruns or getattr(result, "failfast", False):
            # --rerun-failures already reruns it alone; --failfast must stop at once.
            return False
        return self.order_checks.hold(events, worker_id, failure)

    def _decode(self, test, arg):
        if isinstance(arg, RemoteError):
            return decode_error(arg)
        if isinstance(arg, SubTestInfo):
            message = arg.message if arg.has_message else _subtest_msg_sentinel
            return _SubTest(test, message, arg.params)
        return arg
