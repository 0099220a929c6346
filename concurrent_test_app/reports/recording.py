"""What happened in a run, test by test: a result mixin turns unittest calls into records.

The same mixin sits in front of the result class of a concurrent run (where a worker's
calls are replayed, with ``result.concurrent_context`` saying which worker ran the test,
when, for how long and with how many queries) and of a sequential run (where it measures
the time itself and reads an in-process query tally). Every report is computed from the
records, so all of them agree with each other and with the console.
"""

from __future__ import annotations

import inspect
import os
import re
import time
from dataclasses import dataclass, field
from unittest.suite import _ErrorHolder

from ..events import formatted_of, safe_str
from ..planning import class_key, unit_key
from ..querycount import QueryTally

# Outcomes, worst first: the colour of an aggregated timeline bar is its worst outcome.
OUTCOMES = ("error", "failure", "skipped", "passed")

# "setUpClass (pkg.mod.Class)", "setUpModule (pkg.mod)"
_FIXTURE_RE = re.compile(r"^(?P<name>\w+) \((?P<where>[^)]*)\)(?P<rest>.*)$", re.DOTALL)

# unittest appends captured output to a formatted traceback under these headings.
_STDOUT_HEADING = "\nStdout:\n"
_STDERR_HEADING = "\nStderr:\n"

# The first line of an outcome reported after its test had finished with another one.
_AFTER_FINISH = {
    "passed": "Reported after the test had passed (e.g. by Django's _post_teardown):",
    "failure": "Reported after the test had failed (e.g. by Django's _post_teardown):",
    "error": "Reported after the test had errored (e.g. by Django's _post_teardown):",
    "skipped": "Reported after the test was skipped (e.g. by Django's _post_teardown):",
}

# The runner's own errors appear under the names shared/junit/README.md gives them.
RUNNER_TYPE_NAMES = {
    "WorkerCrashException": "WorkerCrashed",
    "WorkerTimeoutException": "WorkerTimeout",
}


@dataclass
class Outcome:
    """One ``<failure>``/``<error>``/``<skipped>`` of a case: kind, type, message, text."""

    kind: str  # "failure", "error" or "skipped"
    type: str
    message: str
    text: str = ""


@dataclass
class TestRecord:
    """One reported case: a test, a failing subtest, or a class/module fixture."""

    __test__ = False  # not a pytest test class, despite the name

    classname: str
    name: str
    unit: str
    worker_id: int
    started_at: float
    duration: float = 0.0
    reads: int = 0
    writes: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    file: str | None = None
    line: int | None = None
    database_errors: int = 0
    is_test: bool = True  # False for subtest and fixture cases (not in "Ran N tests")
    has_failed_subtests: bool = False
    has_own_outcome: bool = False
    reruns: list[Outcome] = field(default_factory=list)  # failed attempts before the last
    note: str = ""  # what the order check found about this test (orderchecks)

    @property
    def status(self) -> str:
        """The worst outcome of the case: error, failure, skipped or passed."""
        kinds = {outcome.kind for outcome in self.outcomes}
        return next((kind for kind in OUTCOMES if kind in kinds), "passed")

    @property
    def reported(self) -> bool:
        """Whether the case appears in JUnit: a test whose subtests failed does not,
        unless it also has an outcome of its own."""
        return not self.has_failed_subtests or self.has_own_outcome


@dataclass(frozen=True)
class Phase:
    """A span of set-up work shown on the timeline (e.g. database set-up)."""

    name: str
    start: float
    end: float
    worker_id: int | None = None
    detail: str = ""  # shown when hovering its bar


class Recorder:
    """Collects the records of one run; the result mixin writes, the reports read."""

    def __init__(self) -> None:
        self.records: list[TestRecord] = []
        self.phases: list[Phase] = []
        self.run_start: float | None = None  # time.time() at startTestRun
        self.run_end: float | None = None  # time.time() at stopTestRun
        self.tally = QueryTally()  # in-process counts of a sequential run
        self.done = 0
        self.failed = 0
        self.connections_recycled = 0  # closed by workers after MAX_OPERATIONS queries
        self.connections_replaced = 0  # found broken after HEALTH_CHECK_INTERVAL idle
        self.worker_peak_rss_mb = 0.0  # the largest peak resident memory of any worker
        self.scheduling_efficiency = 0.0  # see WorkerPool.scheduling_efficiency
        self.parent_peak_rss_mb = 0.0
        self.order_checks: list = []  # orderchecks.Finding of each failed test checked

    def cases(self) -> list[TestRecord]:
        """The records that appear as JUnit ``<testcase>`` elements, in finishing order."""
        return [record for record in self.records if record.reported]

    def tests(self) -> list[TestRecord]:
        """The records of real tests (what ``Ran N tests`` counts)."""
        return [record for record in self.records if record.is_test]

    def wall(self) -> float:
        """Seconds from the first to the last test event of the run (0 before it starts)."""
        if self.run_start is None:
            return 0.0
        return max((self.run_end or time.time()) - self.run_start, 0.0)


def split_fixture(test) -> tuple[str, str]:
    """``(classname, name)`` of an ``_ErrorHolder``: ``setUpClass (a.B)`` -> ``(a.B, setUpClass)``."""
    description = str(getattr(test, "description", test))
    match = _FIXTURE_RE.match(description)
    if not match:
        return "", description
    return match["where"], (match["name"] + match["rest"]).strip()


def source_location(test) -> tuple[str | None, int | None]:
    """The file (relative to the working directory) and line of a test method."""
    try:
        method = getattr(type(test), test._testMethodName)
        path = inspect.getsourcefile(method)
        line = inspect.getsourcelines(method)[1]
    except (AttributeError, OSError, TypeError):
        return None, None
    if path is None:
        return None, None
    relative = os.path.relpath(path)
    return (path if relative.startswith("..") else relative), line


def split_output(text: str) -> tuple[str, str, str]:
    """``(traceback, stdout, stderr)`` of a traceback that unittest's buffer extended."""
    stderr = stdout = ""
    if _STDERR_HEADING in text:
        text, stderr = text.rsplit(_STDERR_HEADING, 1)
    if _STDOUT_HEADING in text:
        text, stdout = text.rsplit(_STDOUT_HEADING, 1)
    return text, stdout, stderr


def is_database_error(exc_type) -> bool:
    """Whether an exception class is a database error (Django's or a DB-API driver's)."""
    return any(cls.__name__ == "DatabaseError" for cls in getattr(exc_type, "__mro__", ()))


class RecordingResultMixin:
    """Turns the result calls of each test into a TestRecord of ``recorder``.

    ``recorder`` and ``annotate`` are set on a subclass made per session.
    """

    recorder: Recorder
    annotate = False
    listeners: tuple = ()

    def startTestRun(self):
        self.recorder.run_start = time.time()
        super().startTestRun()

    def stopTestRun(self):
        self.recorder.run_end = time.time()
        super().stopTestRun()

    def startTest(self, test):
        super().startTest(test)
        record = self._new_record(test, class_key(type(test)), test._testMethodName)
        context = getattr(self, "concurrent_context", None)
        for attempt in getattr(context, "reruns", ()):
            kind = "failure" if attempt.builtin_base == "AssertionError" else "error"
            type_name = attempt.type_name.rpartition(".")[2]
            record.reruns.append(Outcome(kind, type_name, attempt.message, attempt.formatted))
        record.note = getattr(context, "note", "")
        if self.annotate:
            record.file, record.line = source_location(test)
        self._current = (test, record, time.perf_counter())
        self.recorder.tally.reset()

    def stopTest(self, test):
        current = getattr(self, "_current", None)
        if current is not None and current[0] is test:
            record = current[1]
            self._finish_timing(record, current[2])
            self._capture_buffer(record)
            self._current = None
            if record.has_own_outcome or record.has_failed_subtests:
                self._append(record)
                self._finished_by_worker()[self._worker_id()] = (test, record)
            # else a second Ctrl-C stopped the test before it had an outcome: not run
        super().stopTest(test)

    def _new_record(self, test, classname: str, name: str, is_test: bool = True) -> TestRecord:
        context = getattr(self, "concurrent_context", None)
        timing = context.timing if context is not None else None
        return TestRecord(
            classname=classname,
            name=name,
            unit=unit_key(test) if is_test else classname,
            worker_id=context.worker_id if context is not None else 0,
            started_at=timing.started_at if timing is not None else time.time(),
            is_test=is_test,
        )

    def _finish_timing(self, record: TestRecord, start: float) -> None:
        context = getattr(self, "concurrent_context", None)
        if context is not None:
            timing = context.timing
            if timing is not None:
                record.duration = timing.duration
                record.reads, record.writes = timing.reads, timing.writes
            return
        record.duration = time.perf_counter() - start
        record.reads, record.writes = self.recorder.tally.reset()

    def _capture_buffer(self, record: TestRecord) -> None:
        # Only failing cases keep their output, as unittest prints it only for them
        # (and a worker never sends the output of a passing test).
        if not getattr(self, "buffer", False) or record.status == "passed" or record.stdout:
            return
        for attribute, target in (("_stdout_buffer", "stdout"), ("_stderr_buffer", "stderr")):
            buffer = getattr(self, attribute, None)
            if buffer is not None and not getattr(record, target):
                setattr(record, target, buffer.getvalue())

    def _append(self, record: TestRecord) -> None:
        self.recorder.records.append(record)
        if record.is_test:
            self.recorder.done += 1
        if record.status in ("failure", "error"):
            self.recorder.failed += 1
        for listener in self.listeners:
            listener(self.recorder)

    def _record_for(self, test) -> TestRecord | None:
        """The open record of ``test``; a fixture's error gets a record of its own."""
        current = getattr(self, "_current", None)
        if current is not None and current[0] is test:
            return current[1]
        if isinstance(test, _ErrorHolder):
            classname, name = split_fixture(test)
            record = self._new_record(test, classname, name, is_test=False)
            self._append_later = record
            return record
        return self._late_record(test)

    def _worker_id(self) -> int:
        context = getattr(self, "concurrent_context", None)
        return context.worker_id if context is not None else 0

    def _finished_by_worker(self) -> dict:
        """Per worker, the last test that stopped and its record."""
        if not hasattr(self, "_finished"):
            self._finished: dict[int, tuple] = {}
        return self._finished

    def _late_record(self, test) -> TestRecord | None:
        """The record of a test that already stopped, for an outcome reported after it.

        Django's ``_post_teardown`` (a TransactionTestCase's flush, say) runs after
        unittest's ``stopTest``: the console prints ``ok`` and then ``ERROR`` and counts
        the error, so the test's case must carry it too. Such a call always follows the
        test's own block from the same worker; anything else gets a case of its own
        rather than being lost.
        """
        finished = self._finished_by_worker().get(self._worker_id())
        if finished is not None and finished[0] is test:
            self._late = (finished[1], len(finished[1].outcomes), finished[1].status)
            return finished[1]
        if not hasattr(test, "_testMethodName"):
            return None
        record = self._new_record(test, class_key(type(test)), test._testMethodName, is_test=False)
        self._append_later = record
        return record

    def _flush_fixture(self) -> None:
        record = getattr(self, "_append_later", None)
        if record is not None:
            self._append_later = None
            self._append(record)
        self._settle_late()

    def _settle_late(self) -> None:
        """Mark an outcome that came after its test had finished, and recount."""
        late = getattr(self, "_late", None)
        if late is None:
            return
        self._late = None
        record, known, previous = late
        for outcome in record.outcomes[known:]:
            if outcome.text:
                outcome.text = f"{_AFTER_FINISH[previous]}\n\n{outcome.text}"
        if previous not in ("failure", "error") and record.status in ("failure", "error"):
            self.recorder.failed += 1
        for listener in self.listeners:
            listener(self.recorder)

    def _outcome(self, test, kind: str, err=None, type_name: str = "", message: str = ""):
        record = self._record_for(test)
        if record is None:
            return
        record.has_own_outcome = True
        if err is not None:
            record.outcomes.append(self._error_outcome(kind, err, test, record))
        elif kind:
            record.outcomes.append(Outcome(kind, type_name, message))
        self._flush_fixture()

    def _error_outcome(self, kind: str, err, test, record: TestRecord) -> Outcome:
        exc_type, value = err[0], err[1]
        text = formatted_of(value) or self._exc_info_to_string(err, test)
        if getattr(self, "buffer", False):
            text, out, errout = split_output(text)
            record.stdout = record.stdout or out
            record.stderr = record.stderr or errout
        if is_database_error(exc_type):
            record.database_errors += 1
        type_name = getattr(exc_type, "__qualname__", str(exc_type))
        return Outcome(kind, RUNNER_TYPE_NAMES.get(type_name, type_name), safe_str(value), text)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._outcome(test, "")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._outcome(test, "failure", err)

    def addError(self, test, err):
        super().addError(test, err)
        self._outcome(test, "error", err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._outcome(test, "skipped", type_name="skip", message=str(reason))

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        record = self._record_for(test)
        if record is None:
            return
        record.has_own_outcome = True
        outcome = self._error_outcome("skipped", err, test, record)
        outcome.message = f"expected failure: {outcome.type}: {outcome.message}"
        outcome.type = "XFAIL"
        record.outcomes.append(outcome)
        self._flush_fixture()

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._outcome(
            test,
            "error",
            type_name="UnexpectedSuccess",
            message=f"Unexpected success: {getattr(test, 'id', lambda: test)()}",
        )

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is None:
            return
        parent = self._record_for(test)
        if parent is None:
            return
        parent.has_failed_subtests = True
        failure = getattr(test, "failureException", AssertionError)
        kind = "failure" if issubclass(err[0], failure) else "error"
        record = TestRecord(
            classname=parent.classname,
            name=f"{parent.name} {subtest._subDescription()}",
            unit=parent.unit,
            worker_id=parent.worker_id,
            started_at=parent.started_at,
            file=parent.file,
            line=parent.line,
            is_test=False,
        )
        record.outcomes.append(self._error_outcome(kind, err, test, record))
        self._append(record)
