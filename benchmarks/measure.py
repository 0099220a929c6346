"""Running one benchmark command: wall time, CPU of its process tree and of PostgreSQL's backends.

Client CPU is the change in ``getrusage(RUSAGE_CHILDREN)`` around the subprocess: it covers
the command and every descendant that was waited for (Django's and our workers, xdist's
nodes), so only one command may run at a time. Server CPU is best effort: the command's
environment gets ``PGAPPNAME=<unique tag>``, which libpq (psycopg2 and psycopg 3) uses as
``application_name``; a thread polls ``pg_stat_activity`` for backends with that tag and
reads their ``utime + stime`` from ``/proc/<pid>/stat`` (the server must be on this machine
and readable). A backend's CPU after its last poll, and backends that live less than one
poll interval, are missed, so the figure is a slight undercount.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.05
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Outcome:
    """One run of one command."""

    started: float  # time.time() just before the process was started
    wall: float
    code: int | None  # None: timed out and killed
    output: str
    client_cpu: float
    server_cpu: float | None  # None: not PostgreSQL, or its processes are not readable
    probe_file: str | None = None  # where first-test probes wrote their start times


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_command(
    command: list[str],
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    pg_settings: dict | None = None,
) -> Outcome:
    """Run ``command`` in its own session, killing the whole session if it hangs."""
    sampler = None
    if pg_settings is not None:
        tag = f"bench-{uuid.uuid4().hex[:12]}"
        env = {**env, "PGAPPNAME": tag}
        sampler = BackendCpuSampler(pg_settings, tag)
        sampler.start()
    probe_file = env.get("BENCH_PROBE_FILE")
    if probe_file:
        Path(probe_file).unlink(missing_ok=True)  # stamps of an earlier (priming) run
    cpu_before = children_cpu()
    started = time.time()
    clock = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        code = None
    wall = time.perf_counter() - clock
    client_cpu = children_cpu() - cpu_before
    server_cpu = sampler.stop() if sampler is not None else None
    return Outcome(started, wall, code, output, client_cpu, server_cpu, probe_file)


class BackendCpuSampler(threading.Thread):
    """Polls the CPU seconds of PostgreSQL backends whose application_name is ``tag``."""

    def __init__(self, pg_settings: dict, tag: str) -> None:
        super().__init__(daemon=True)
        self.pg_settings = pg_settings
        self.tag = tag
        self.seen: dict[int, float] = {}  # pid -> latest utime + stime in seconds
        self.listed: set[int] = set()
        self.readable = True
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            import psycopg2
        except ImportError:
            self.readable = False
            return
        try:
            connection = psycopg2.connect(
                dbname="postgres",
                user=self.pg_settings["USER"],
                password=self.pg_settings["PASSWORD"],
                host=self.pg_settings["HOST"],
                port=self.pg_settings["PORT"] or None,
                application_name="bench-sampler",
            )
        except psycopg2.Error:
            self.readable = False
            return
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                while True:
                    self._poll(cursor)
                    if self._stop_event.wait(POLL_SECONDS):
                        self._poll(cursor)  # the last look, after the command ended
                        return
        finally:
            connection.close()

    def _poll(self, cursor) -> None:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [self.tag])
        for (pid,) in cursor.fetchall():
            self.listed.add(pid)
            seconds = process_cpu(pid)
            if seconds is not None:  # None: it exited since the query
                self.seen[pid] = max(seconds, self.seen.get(pid, 0.0))

    def stop(self) -> float | None:
        self._stop_event.set()
        self.join(timeout=5)
        if not self.readable or (self.listed and not self.seen):
            return None  # no connection, or the server's processes are not visible here
        return sum(self.seen.values())


def process_cpu(pid: int) -> float | None:
    """utime + stime of a process in seconds, from /proc; None if it is gone or unreadable."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces; the fields after it are fixed.
    fields = text.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
