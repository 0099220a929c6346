"""The runner's single entry point into reporting: records the run, writes every report.

runner                         ReportSession
------                         -------------
__init__          ──►  checks every report path is writable (ConfigurationException)
get_resultclass   ──►  result_mixins(): RecordingResultMixin, ProgressResultMixin
run_started(info) ──►  counts queries in-process for a sequential run
phase(...)        ──►  database set-up / worker start-up spans for the timeline
result calls      ──►  Recorder.records (one TestRecord per case)
finish()          ──►  JUnit XML, benchmark JSON, metrics file, timeline (atomically),
                       then the benchmark report on stdout
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..exceptions import ConfigurationException
from ..files import write_atomically
from ..querycount import QueryCounter, install_counter
from .benchmark import benchmark_json, benchmark_report
from .metrics import PrometheusMetrics, RunStats, compute_stats, prometheus_text
from .progress import ProgressResultMixin, is_tty
from .recording import Phase, Recorder, RecordingResultMixin
from .timeline import render_timeline


@dataclass(frozen=True)
class RunInfo:
    """What the runner knows about a run when it starts."""

    mode: str  # "concurrent" or "sequential"
    workers: int
    total_tests: int
    fallback_reason: str | None = None


class ReportWriter(Protocol):
    """Renders one report file; ``option`` names the config option holding its path."""

    option: str

    def render(self, session: ReportSession) -> bytes | str:
        """The file's whole content."""


class JUnitWriter:
    option = "junitxml"

    def render(self, session: ReportSession) -> bytes:
        # Imported here, not at the top: workers preload every module the parent has
        # when they start, and lxml would cost each of them about 4 MB for nothing.
        from .junit import junit_bytes

        return junit_bytes(session.recorder, annotate=session.config.junit_annotate)


class BenchmarkJsonWriter:
    option = "benchmark_json"

    def render(self, session: ReportSession) -> str:
        return benchmark_json(session.stats())


class MetricsWriter:
    option = "metrics_file"

    def render(self, session: ReportSession) -> str:
        return prometheus_text(session.stats().summary())


class TimelineWriter:
    option = "timeline"

    def render(self, session: ReportSession) -> str:
        return render_timeline(session.recorder, session.stats())


def unwritable_reason(path: str) -> str | None:
    """Why ``path`` cannot be written, or None when it can (checked before any test).

    The report is written as a temporary file in the same folder, then renamed over the
    target: the folder must take a new file (tried, so that root on ``/proc`` or a
    read-only mount is caught too) and the target, if it exists, must be a regular file.
    A missing folder is an error, not made: a typo must not scatter reports.
    """
    target = Path(path)
    if target.is_dir():
        return "it is a directory"
    if target.exists() and not target.is_file():
        return "it exists and is not a regular file"
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.exists():
        return f"directory '{directory}' does not exist"
    if not directory.is_dir():
        return f"'{directory}' is not a directory"
    if target.exists() and not os.access(target, os.W_OK):
        return "the file is not writable"
    try:
        handle, probe = tempfile.mkstemp(prefix=".report-probe-", dir=directory)
    except OSError as error:
        return f"directory '{directory}' does not take new files ({error.strerror})"
    os.close(handle)
    os.unlink(probe)
    return None


class ReportSession:
    """Collects results through result-class mixins and writes the reports at the end."""

    writers: tuple[ReportWriter, ...] = (
        JUnitWriter(),
        BenchmarkJsonWriter(),
        MetricsWriter(),
        TimelineWriter(),
    )

    def __init__(self, config, verbosity: int = 1) -> None:
        self.config = config
        self.verbosity = verbosity
        self.recorder = Recorder()
        self.metrics = PrometheusMetrics(self)
        self.info: RunInfo | None = None
        self.progress = None
        self._counting_in_process = False
        self.unwritten: list[str] = []  # reports that could not be written: the run fails
        for writer in self.writers:
            self._check_writable(writer.option)

    def _check_writable(self, option: str) -> None:
        path = getattr(self.config, option, None)
        if not path:
            return
        reason = unwritable_reason(path)
        if reason:
            source = self.config.sources.get(option, option)
            raise ConfigurationException(f"{source}={path!r}: cannot write there: {reason}")

    @property
    def total_tests(self) -> int:
        return self.info.total_tests if self.info else 0

    def result_mixins(self) -> tuple[type, ...]:
        """Mixins placed in front of the runner's result class (both run modes)."""
        recording = type(
            "RecordingResultMixin",
            (RecordingResultMixin,),
            {
                "recorder": self.recorder,
                "annotate": bool(self.config.junit_annotate),
                "listeners": (self._on_record,),
            },
        )
        progress = type("ProgressResultMixin", (ProgressResultMixin,), {"session": self})
        return (recording, progress)

    def wants_progress(self, stream) -> bool:
        """A live status line only at verbosity 1 on an interactive terminal."""
        return self.verbosity == 1 and is_tty(stream)

    def _on_record(self, recorder: Recorder) -> None:
        if self.progress is not None:
            self.progress.update(recorder.done, recorder.failed)

    def run_started(self, info: RunInfo) -> None:
        """Called once, before the first test runs."""
        self.info = info
        if info.mode == "sequential" and not self._counting_in_process:
            # Workers count their own queries; a sequential run counts here.
            install_counter(self.recorder.tally)
            self._counting_in_process = True

    def connection_upkeep(self, recycled: int, replaced: int) -> None:
        """How many worker connections were recycled (MAX_OPERATIONS) or replaced (broken)."""
        self.recorder.connections_recycled = recycled
        self.recorder.connections_replaced = replaced

    def memory(self, worker_peak_mb: float, parent_peak_mb: float) -> None:
        """The largest peak resident memory of any worker, and the parent's, in MB."""
        self.recorder.worker_peak_rss_mb = worker_peak_mb
        self.recorder.parent_peak_rss_mb = parent_peak_mb

    def scheduling(self, efficiency: float) -> None:
        """How evenly the units kept the workers busy (``WorkerPool.scheduling_efficiency``)."""
        self.recorder.scheduling_efficiency = efficiency

    def order_check(self, finding) -> None:
        """A failed test checked for order dependence (``orderchecks.Finding``)."""
        self.recorder.order_checks.append(finding)
        detail = f"{finding.test}: {finding.outcome}"
        if finding.polluter:
            detail += f" after {finding.polluter}"
        detail += f" ({finding.replays} replays); counted as {finding.verdict}"
        end = finding.started + finding.seconds
        self.recorder.phases.append(
            Phase("order check", finding.started, end, finding.worker_id, detail)
        )

    def order_job(self, span) -> None:
        """One job of the order checks on its lane (``lanes.Span``): a replay or a search step."""
        kind = "verdict replay" if span.job.label == "verdict" else "order check step"
        tests = sum(len(unit.tests) for unit in span.job.units)
        self.recorder.phases.append(
            Phase(kind, span.started, span.ended, span.worker_id, f"{tests} tests")
        )

    def phase(self, name: str, start: float, end: float, worker_id: int | None = None) -> None:
        """A span of set-up work (``time.time()`` seconds), e.g. database cloning."""
        self.recorder.phases.append(Phase(name, start, end, worker_id))

    def stats(self) -> RunStats:
        """The run's figures from what has been recorded so far."""
        info = self.info or RunInfo("sequential", 1, 0)
        return compute_stats(self.recorder, info.mode, info.workers, _database_count())

    def finish(self) -> None:
        """Write every requested report; called in ``finally``, also after Ctrl-C."""
        if self.progress is not None:
            self.progress.clear()
        if self._counting_in_process:
            _remove_counters(self.recorder.tally)
            self._counting_in_process = False
        for writer in self.writers:
            path = getattr(self.config, writer.option, None)
            if path:
                self._write(writer, path)
        if self.config.benchmark:
            sys.stdout.write(benchmark_report(self.stats()))
            sys.stdout.flush()

    def _write(self, writer: ReportWriter, path: str) -> None:
        try:
            write_atomically(path, writer.render(self))
        except Exception as error:  # noqa: BLE001 - one failed report must not hide the others
            source = self.config.sources.get(writer.option, writer.option)
            sys.stderr.write(f"[CONCURRENT] Could not write {source}={path!r}: {error}\n")
            self.unwritten.append(path)


def _database_count() -> int:
    """Test databases each worker holds a connection to (aliases that are no mirror)."""
    try:
        from django.conf import settings

        databases = settings.DATABASES.values()
        return sum(1 for db in databases if not (db.get("TEST") or {}).get("MIRROR")) or 1
    except Exception:  # noqa: BLE001 - reporting outside a configured project
        return 1


def _remove_counters(tally) -> None:
    from django.db import connections

    for alias in connections:
        wrappers = connections[alias].execute_wrappers
        wrappers[:] = [
            w for w in wrappers if not (isinstance(w, QueryCounter) and w.tally is tally)
        ]
