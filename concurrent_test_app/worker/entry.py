"""A worker's entry and boot: from ``worker_main`` to serving its first unit."""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import time
from dataclasses import dataclass

from ..events import Booted, Fatal, Preload, Ready, Stop, Verify
from ..querycount import QueryTally, install_counter
from .binding import bind_databases, verify_bindings
from .capture import capture_output, send_lines_as_written
from .checks import run_checks_without_databases, run_database_checks
from .forkserver import leave_the_server, run_exit_hooks, server_import_seconds, server_prepared
from .impact import ImpactSpec, save_recording, start_recording
from .lifetime import (
    allow_child_processes,
    exit_despite_leaked_threads,
    exit_with_parent,
    leave_interrupts_to_the_parent,
    parent_is_gone,
    spare_the_final_collections,
    stop_leaked_processes,
)
from .loading import preload
from .parent_settings import CarriedSettings, apply_parent_settings, differences, fingerprints
from .result import SQLLog, StreamingResult
from .serving import serve
from .upkeep import ConnectionKeeper, with_connect_retries


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker needs to boot; pickled into the spawned process.

    Its databases come later, in the Verify message: workers boot while the parent
    is still migrating the test databases.
    """

    worker_id: int
    settings_module: str | None
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
    start_method: str = "spawn"  # or "forkserver": forked from a server that imported once
    parent_settings: CarriedSettings | None = None  # applied before django.setup()
    impact: ImpactSpec | None = None  # --record-impact: where to save what each test ran


def worker_main(spec: WorkerSpec, conn) -> None:
    """Entry point of a spawned worker process; module level, as multiprocessing pickles it."""
    leave_interrupts_to_the_parent()
    allow_child_processes()
    if spec.start_method == "forkserver":
        leave_the_server()
    parent = os.getppid()
    exit_with_parent(parent)
    try:
        _work(spec, conn)
    except (EOFError, ConnectionError):
        if not parent_is_gone(parent):
            raise
        os._exit(0)  # the parent was killed: nobody is left to report to


def _work(spec: WorkerSpec, conn) -> None:
    _enable_stack_dumps(spec.dump_path)
    start_recording(spec.impact, f"worker{spec.worker_id}")  # start-up counts for every test
    _boot(spec)
    conn.send(Booted(spec.worker_id, os.getpid()))
    order, import_seconds, checks = _preload_until_ordered(conn)
    if isinstance(order, Stop):
        return
    identities = _bind(spec, conn, order, checks)
    if identities is None:
        return
    checks_seconds = checks.seconds if checks is not None else 0.0
    conn.send(Ready(spec.worker_id, identities, import_seconds, checks_seconds))
    _serve_units(spec, conn)
    save_recording()
    stop_leaked_processes(spec.worker_id)
    exit_despite_leaked_threads(spec.worker_id)
    spare_the_final_collections()
    if spec.start_method == "forkserver":
        run_exit_hooks()


@dataclass  # not frozen: the database-tagged checks add their time once bound
class ChecksDone:
    """The system checks a worker ran before binding: for which aliases, and any failure."""

    databases: tuple[str, ...]
    failure: str | None
    seconds: float = 0.0  # both steps, once the database-tagged checks have run


def _preload_until_ordered(conn) -> tuple[Verify | Stop, dict[str, float], ChecksDone | None]:
    """Import what each Preload names and run the checks it asks for.

    The order that follows (Verify or Stop), the import times, and the checks run.
    """
    order = conn.recv()
    import_seconds = server_import_seconds()  # forkserver: imported there, before the fork
    checks = None
    while isinstance(order, Preload):
        import_seconds.update(preload(order.modules, order.test_modules))
        if order.checks is not None and checks is None:
            started = time.perf_counter()
            failure = run_checks_without_databases()
            checks = ChecksDone(order.checks, failure, time.perf_counter() - started)
        order = conn.recv()
    return order, import_seconds, checks


def _bind(
    spec: WorkerSpec, conn, order: Verify, checks: ChecksDone | None
) -> dict[str, str] | None:
    """Bind the clones, finish the checks, run the set-up hook and verify.

    The identities, or None when the worker refuses to run tests. A server that refuses
    the worker's connection (a connection limit, say) is the parent's reason to run
    sequentially, in the server's words rather than as this process's exit code.
    """
    from django.db import OperationalError

    try:
        return _bind_checked(spec, conn, order, checks)
    except OperationalError as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        conn.send(Fatal(f"Worker {spec.worker_id} cannot connect to its database: {reason}"))
        return None


def _bind_checked(
    spec: WorkerSpec, conn, order: Verify, checks: ChecksDone | None
) -> dict[str, str] | None:
    """``_bind`` without the handling of a refused connection."""
    failure = checks.failure if checks is not None else None
    if failure is None:
        bind_databases(order)
        if checks is not None:
            started = time.perf_counter()
            failure = run_database_checks(checks.databases)
            checks.seconds += time.perf_counter() - started
    if failure is None:
        failure = _settings_differ(order)
    if failure is not None:
        conn.send(Fatal(f"Worker {spec.worker_id} refuses to run tests: {failure}"))
        return None
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
        return None
    return identities


def _settings_differ(order: Verify) -> str | None:
    """Why this worker's settings are not the parent's, or None when they are."""
    if not order.settings:
        return None
    masked = {b.alias: frozenset(b.settings) for b in order.bindings}
    differing = differences(fingerprints(masked), order.settings)
    if not differing:
        return None
    shown = ", ".join(differing[:12]) + (
        f" and {len(differing) - 12} more" if len(differing) > 12 else ""
    )
    return f"its settings differ from the parent's: {shown}"


def _serve_units(spec: WorkerSpec, conn) -> None:
    """Capture output, count queries, keep the connections up, and serve until Stop."""
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
        serve(conn, result, keeper)
    finally:
        from django.db import connections

        connections.close_all()


def _worker_log(spec: WorkerSpec):
    def log(message: str) -> None:
        sys.__stdout__.write(f"[CONCURRENT] Worker {spec.worker_id}: {message}\n")
        sys.__stdout__.flush()

    return log


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
    if server_prepared():
        return  # the forkserver did all of this, once, before it forked this process
    if spec.parent_settings is not None:
        apply_parent_settings(spec.parent_settings)
    elif spec.settings_module:
        os.environ["DJANGO_SETTINGS_MODULE"] = spec.settings_module
    from tblib import pickling_support

    pickling_support.install()
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=spec.debug_mode)
