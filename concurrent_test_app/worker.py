"""The child side: a spawn worker that binds to its own clones, runs units and emits events.

Nothing here imports the parent-side modules (runner, pool, databases), so a spawned
interpreter loads only Django, the project and this file. ``worker_main`` and
``WorkerSpec`` live at module level because multiprocessing pickles them.
"""

from __future__ import annotations

import faulthandler
import gc
import importlib
import io
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
import unittest
import weakref
from dataclasses import dataclass
from multiprocessing.reduction import ForkingPickler
from typing import Any

from .connections import ConnectionKeeper, with_connect_retries
from .events import (
    Batch,
    Booted,
    Fatal,
    Output,
    Preload,
    Ready,
    ResultCall,
    Stop,
    SubTestInfo,
    TestEvents,
    TestStarted,
    TestTiming,
    UnitDone,
    UnitLoadFailed,
    Verify,
    encode_error,
    picklable_or_repr,
)
from .querycount import QueryTally, install_counter


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker needs to boot; pickled into the spawned process.

    Its databases come later, in the Verify message: workers boot while the parent
    is still migrating the test databases.
    """

    worker_id: int
    settings_module: str
    debug_mode: bool = False
    failfast: bool = False
    buffer: bool = False
    debug_sql: bool = False
    worker_setup: str | None = None
    dump_path: str | None = None  # where faulthandler writes the stack on SIGUSR1
    max_operations: int = 1000
    health_check_interval: float = 60.0
    max_retries: int = 3
    retry_delay: float = 1.0
    verbosity: int = 1


def worker_main(spec: WorkerSpec, conn) -> None:
    """Entry point of a spawned worker process."""
    _leave_interrupts_to_the_parent()
    _allow_child_processes()
    parent = os.getppid()
    _exit_with_parent(parent)
    try:
        _work(spec, conn)
    except (EOFError, ConnectionError):
        if os.getppid() == parent:
            raise
        os._exit(0)  # the parent was killed: nobody is left to report to


def _leave_interrupts_to_the_parent() -> None:
    """Let SIGINT and SIGTERM pass this process by; processes its tests start keep them.

    A Ctrl-C or SIGTERM reaching the whole process group (a terminal, ``timeout``, a CI
    cancellation) must not kill a worker mid-test, where the parent would take the
    death for a crash of the test: the parent stops its workers itself (SIGKILL), and a
    worker whose parent is gone exits on its own. Not SIG_IGN: programs a test starts
    would inherit it, and ``Popen.terminate()`` of a test would no longer stop them.
    """
    worker = os.getpid()

    def let_pass(signum, frame) -> None:
        if os.getpid() == worker:
            return
        # A process forked by a test inherited this handler: act as the default would.
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, let_pass)


def _exit_with_parent(parent: int, interval: float = 0.5) -> None:
    """Exit quietly once the parent is gone (killed outright: no Stop ever comes).

    A worker blocked in a hung test or waiting for its next unit would otherwise
    live on, holding its clone, after ``kill -9`` of the run.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="concurrent-test-parent-watch", daemon=True).start()


def _work(spec: WorkerSpec, conn) -> None:
    _enable_stack_dumps(spec.dump_path)
    _boot(spec)
    conn.send(Booted(spec.worker_id, os.getpid()))
    order = conn.recv()
    import_seconds: dict[str, float] = {}
    while isinstance(order, Preload):
        import_seconds.update(preload(order.modules, order.test_modules))
        order = conn.recv()
    if isinstance(order, Stop):
        return
    bind_databases(order)
    if spec.worker_setup:
        from django.utils.module_loading import import_string

        import_string(spec.worker_setup)(spec.worker_id)
    problem, identities = with_connect_retries(
        lambda: verify_bindings(order.bindings),
        spec.max_retries,
        spec.retry_delay,
        _worker_log(spec) if spec.verbosity >= 2 else None,
    )
    if problem:
        conn.send(Fatal(f"Worker {spec.worker_id} refuses to run tests: {problem}"))
        return
    conn.send(Ready(spec.worker_id, identities, import_seconds))
    tally = QueryTally()
    install_counter(tally)
    captured = capture_output()
    result = StreamingResult(conn, tally, captured, failfast=spec.failfast, buffer=spec.buffer)
    if spec.debug_sql:
        result.sql_log = SQLLog()
    send_lines_as_written(result.flush_output)
    keeper = ConnectionKeeper(spec.max_operations, spec.health_check_interval)
    keeper.install()
    try:
        _serve(conn, result, keeper)
    finally:
        from django.db import connections

        connections.close_all()
    _stop_leaked_processes(spec.worker_id)
    _exit_despite_leaked_threads(spec.worker_id)
    _spare_the_final_collections()


def _allow_child_processes() -> None:
    """Let tests start processes of their own (``multiprocessing.Pool`` and the like).

    The parent starts workers as daemons, so that its exit stops them whatever happened
    before; but a daemonic process may not have children ("daemonic processes are not
    allowed to have children"). Only this process's own copy of the flag is cleared:
    the parent still sees a daemon. A worker also exits when its pipe to the parent
    closes (``recv`` raises EOFError), so it never outlives the run either way.
    """
    multiprocessing.current_process().daemon = False


def _stop_leaked_processes(worker_id: int) -> None:
    """A process a test started and left running must not keep its worker alive.

    At exit multiprocessing joins every non-daemon child, so one that never ends
    would hang the worker, and then outlive it.
    """
    leaked = [child for child in multiprocessing.active_children() if not child.daemon]
    if not leaked:
        return
    names = ", ".join(f"{child.name} (pid {child.pid})" for child in leaked)
    sys.__stderr__.write(
        f"[CONCURRENT] Worker {worker_id}: tests left processes running ({names}); stopping them\n"
    )
    sys.__stderr__.flush()
    for child in leaked:
        child.terminate()
    for child in leaked:
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()


def _spare_the_final_collections() -> None:
    """Collect garbage once and freeze the rest, so the interpreter's exit is quick.

    At exit the interpreter collects the whole heap more than once: about 80 ms for a
    worker with a large suite imported, and the run ends only when its last worker has
    exited. One collection here (about 20 ms) still finalizes unreachable objects;
    what stays reachable until exit is freed as usual but not searched for cycles.
    """
    gc.collect()
    gc.freeze()


def _worker_log(spec: WorkerSpec):
    def log(message: str) -> None:
        sys.__stdout__.write(f"[CONCURRENT] Worker {spec.worker_id}: {message}\n")
        sys.__stdout__.flush()

    return log


def _exit_despite_leaked_threads(worker_id: int) -> None:
    """A test that left a non-daemon thread running must not keep the worker alive."""
    leaked = [
        thread
        for thread in threading.enumerate()
        if thread is not threading.main_thread() and not thread.daemon and thread.is_alive()
    ]
    if leaked:
        names = ", ".join(thread.name for thread in leaked)
        sys.__stderr__.write(
            f"[CONCURRENT] Worker {worker_id}: tests left threads running ({names}); "
            "exiting without waiting for them\n"
        )
        sys.__stderr__.flush()
        os._exit(0)


_DUMP_FILES: list = []  # kept open for faulthandler for the life of the process


def _enable_stack_dumps(path: str | None) -> None:
    """Write every thread's stack to ``path`` on a fatal signal, and on SIGUSR1.

    The parent reads it into the error of the test that crashed (or hung, when it sends
    SIGUSR1 on timeout); on the shared terminal it would cut into other lines.
    """
    if not path:
        faulthandler.enable()
        return
    dump = open(path, "a")  # noqa: SIM115 - must outlive this function
    _DUMP_FILES.append(dump)
    faulthandler.enable(file=dump, all_threads=True)
    if hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, file=dump, all_threads=True)


def _boot(spec: WorkerSpec) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = spec.settings_module
    from tblib import pickling_support

    pickling_support.install()
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=spec.debug_mode)


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


def bind_databases(order: Verify) -> None:
    """Point every alias at this worker's clone before anything connects."""
    from django.conf import settings
    from django.db import connections

    for binding in order.bindings:
        connection = connections[binding.alias]
        connection.close()
        connection.settings_dict.update(binding.settings)
        settings.DATABASES[binding.alias].update(binding.settings)
        contents = order.serialized_contents.get(binding.alias)
        if contents is not None:
            connection._test_serialized_contents = contents
    statements = {b.alias: b.setup_statements for b in order.bindings if b.setup_statements}
    if statements:
        from django.db.backends.signals import connection_created

        connection_created.connect(_set_up_connection(statements), weak=False)


def _set_up_connection(statements: dict[str, tuple[str, ...]]):
    """A receiver that runs each alias's set-up statements on its every new connection.

    The parent's backend chooses them (SQLite clones: no fsync, no on-disk journal, as
    durability buys nothing for a clone that lives as long as the run).
    """

    def receiver(sender, connection, **kwargs):
        # On the raw connection: these are not the tests' queries, so not counted.
        cursor = connection.connection.cursor()
        try:
            for statement in statements.get(connection.alias, ()):
                cursor.execute(statement)
        finally:
            cursor.close()

    return receiver


def verify_bindings(bindings) -> tuple[str | None, dict[str, str]]:
    """Connect every alias and compare what it sees with the clone it was given."""
    from django.db import connections

    identities = {}
    for binding in bindings:
        identity = database_identity(connections[binding.alias], binding)
        identities[binding.alias] = identity
        if identity != binding.expected_identity:
            return (
                f"alias {binding.alias!r} is connected to {identity!r}, "
                f"not to its own clone {binding.expected_identity!r}"
            ), identities
    return None, identities


def database_identity(connection, binding) -> str:
    """What a connection is really attached to: a database name or a file path."""
    with connection.cursor() as cursor:
        cursor.execute(binding.identity_sql)
        identity = cursor.fetchone()[0]
    if binding.identity_is_path:
        return os.path.realpath(identity or ":memory:")
    return identity


def _serve(conn, result: StreamingResult, keeper: ConnectionKeeper) -> None:
    while True:
        data = conn.recv_bytes()
        loading = time.perf_counter()
        try:
            message = ForkingPickler.loads(data)  # imports the unit's test module if needed
        except Exception:  # noqa: BLE001 - a test module's import may raise anything
            conn.send(UnitLoadFailed(_current_error()))
            continue
        load_seconds = time.perf_counter() - loading
        if isinstance(message, Stop):
            return
        keeper.between_units()
        started = time.perf_counter()
        index, tests = message.index, list(message.tests)
        message = None  # so that the suite holds the only reference to each test
        try:
            materialize(tests)
        except Exception:  # noqa: BLE001 - as above, for a unit sent by test names
            conn.send(UnitLoadFailed(_current_error()))
            continue
        run_tests(tests, result)
        result.flush_output()
        result.release()
        conn.send(
            UnitDone(
                index,
                time.perf_counter() - started,
                load_seconds,
                keeper.recycled,
                keeper.replaced,
                peak_rss_mb(),
            )
        )


def _current_error():
    """The exception being handled, as the error its unit's tests are reported with."""
    import traceback

    err = sys.exc_info()
    return encode_error(err, "".join(traceback.format_exception(*err)))


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (0.0 where the platform cannot say)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_tests(indexed_tests: list, result: StreamingResult) -> None:
    """Run a unit's ``(index, test)`` pairs as one top-level suite; empties the list.

    One suite, so that class and module fixtures behave as usual. The suite then holds
    the only reference to each test and drops it once it has run, as unittest's own
    suites do: what a finished test kept on itself (Django's copies of the setUpTestData
    objects, for one) is freed then, not when the whole unit ends.
    """
    materialize(indexed_tests)
    result.bind(indexed_tests)
    suite = unittest.TestSuite(test for _, test in indexed_tests)
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
            loaded[module_name] = {case.id(): case for case in _flatten(suite)}
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


def _flatten(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from _flatten(item)
        else:
            yield item


class _CapturedStream(io.TextIOBase):
    """Stands in for sys.stdout/sys.stderr: what is written travels to the parent.

    Workers share the parent's terminal; writing there directly would splice a test's
    prints into the middle of the parent's result lines. The parent writes them at
    the right place instead, as a sequential run would show them.
    """

    def __init__(self, name: str, chunks: list, original) -> None:
        self.name = name
        self.chunks = chunks
        self.original = original
        self.on_line = None  # set by the result: sends complete lines as they come

    def write(self, text: str) -> int:
        if text:
            self.chunks.append((self.name, text))
            # Whole lines leave at once, so the parent holds a crashed test's last words.
            if self.on_line is not None and "\n" in text:
                self.on_line()
        return len(text)

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return getattr(self.original, "encoding", "utf-8")

    def fileno(self) -> int:
        return self.original.fileno()


def capture_output() -> list:
    """Replace sys.stdout and sys.stderr; return the shared list of captured chunks."""
    chunks: list = []
    sys.stdout = _CapturedStream("stdout", chunks, sys.stdout)
    sys.stderr = _CapturedStream("stderr", chunks, sys.stderr)
    return chunks


def send_lines_as_written(on_line) -> None:
    """Have the captured streams call ``on_line`` after each write ending a line."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, _CapturedStream):
            stream.on_line = on_line


class StreamingResult(unittest.TestResult):
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
        info = _subtest_info(subtest)
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


def _subtest_info(subtest) -> SubTestInfo:
    from unittest.case import _subtest_msg_sentinel

    message = subtest._message
    has_message = message is not _subtest_msg_sentinel
    params = {key: picklable_or_repr(value) for key, value in subtest.params.items()}
    return SubTestInfo(picklable_or_repr(message) if has_message else None, params, has_message)


if __name__ == "__main__":  # pragma: no cover - guard for spawn's re-import
    sys.exit("concurrent_test_app.worker is started by the runner, not run directly")
