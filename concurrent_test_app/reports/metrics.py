"""The run's figures, computed once from the records, and their Prometheus text export.

Every figure has one definition here; the benchmark report, its JSON, the metrics file
and ``runner.prometheus_metrics.get_metrics_summary()`` all print these same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from .recording import Recorder, TestRecord

METRIC_PREFIX = "django_concurrent_test_"


@dataclass(frozen=True)
class UnitSpan:
    """A unit (class or module) as one worker ran it: from its first test to its last."""

    worker_id: int
    unit: str
    start: float
    end: float
    records: tuple[TestRecord, ...]

    @property
    def duration(self) -> float:
        return max(self.end - self.start, 0.0)


def unit_spans(records: Iterable[TestRecord]) -> list[UnitSpan]:
    """Consecutive tests of one unit on one worker, merged into spans, by start time."""
    by_worker: dict[int, list[TestRecord]] = {}
    for record in records:
        by_worker.setdefault(record.worker_id, []).append(record)
    spans: list[UnitSpan] = []
    for worker_id, worker_records in by_worker.items():
        group: list[TestRecord] = []
        for record in sorted(worker_records, key=lambda r: r.started_at):
            if group and group[0].unit != record.unit:
                spans.append(_span(worker_id, group))
                group = []
            group.append(record)
        if group:
            spans.append(_span(worker_id, group))
    return sorted(spans, key=lambda span: (span.worker_id, span.start))


def _span(worker_id: int, group: list[TestRecord]) -> UnitSpan:
    start = min(record.started_at for record in group)
    end = max(record.started_at + record.duration for record in group)
    return UnitSpan(worker_id, group[0].unit, start, end, tuple(group))


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` 0.95 = 95th); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(math.ceil(fraction * len(ordered)), 1)
    return ordered[rank - 1]


@dataclass(frozen=True)
class RunStats:
    """Every figure of the benchmark report, the JSON and the metrics file."""

    mode: str
    tests_total: int
    tests_failed: int
    failures: int
    errors: int
    skipped: int
    workers: int
    wall_seconds: float
    busy_seconds: float
    worker_utilization: float  # busy / (workers * wall), 0..1
    test_time_seconds: float  # sum of test durations
    speedup: float  # test time / wall
    worker_durations: dict[int, float]
    test_duration_avg: float
    test_duration_p95: float
    queries_total: int
    queries_read: int
    queries_write: int
    database_errors: int
    connections_active: int
    connections_pooled: int
    connections_hits: int
    connections_misses: int
    slowest: list[tuple[str, float, int]] = field(default_factory=list)  # (id, s, worker)
    connections_recycled: int = 0
    connections_replaced: int = 0
    worker_peak_rss_mb: float = 0.0  # the largest peak resident memory of any worker
    parent_peak_rss_mb: float = 0.0
    scheduling_efficiency: float = 0.0  # (unit times / workers) / test-phase makespan
    # Failed tests checked for order dependence after the run (orderchecks.Finding dicts)
    order_checks: list = field(default_factory=list)

    @property
    def write_ratio(self) -> float:
        return self.queries_write / self.queries_total if self.queries_total else 0.0

    @property
    def error_rate(self) -> float:
        return self.database_errors / self.queries_total if self.queries_total else 0.0

    def summary(self) -> dict:
        """The flat dict of ``get_metrics_summary()`` (numbers only, seconds as floats)."""
        return {
            "tests_total": self.tests_total,
            "tests_failed": self.tests_failed,
            "tests_errors": self.errors,
            "tests_skipped": self.skipped,
            "test_duration_avg": self.test_duration_avg,
            "test_duration_p95": self.test_duration_p95,
            "queries_total": self.queries_total,
            "queries_write": self.queries_write,
            "queries_read": self.queries_read,
            "database_errors": self.database_errors,
            "workers": self.workers,
            "wall_seconds": self.wall_seconds,
            "worker_utilization": self.worker_utilization,
            "speedup": self.speedup,
            "connections_active": self.connections_active,
            "connections_pooled": self.connections_pooled,
            "connections_hits": self.connections_hits,
            "connections_misses": self.connections_misses,
            "connections_recycled": self.connections_recycled,
            "connections_replaced": self.connections_replaced,
        }

    def as_json(self) -> dict:
        """Everything, including per-worker durations and the slowest tests."""
        data = asdict(self)
        data["worker_durations"] = {str(k): v for k, v in self.worker_durations.items()}
        data["slowest"] = [
            {"test": test, "seconds": seconds, "worker": worker}
            for test, seconds, worker in self.slowest
        ]
        data["write_ratio"] = self.write_ratio
        data["error_rate"] = self.error_rate
        return data


def compute_stats(
    recorder: Recorder, mode: str, workers: int, databases: int = 1, slowest: int = 10
) -> RunStats:
    """The figures of a run from its records (see README "Reports" for each definition)."""
    tests = recorder.tests()
    cases = recorder.cases()
    wall = recorder.wall()
    durations = [record.duration for record in tests]
    busy: dict[int, float] = {worker: 0.0 for worker in _worker_ids(mode, workers)}
    for span in unit_spans(tests):
        busy[span.worker_id] = busy.get(span.worker_id, 0.0) + span.duration
    busy_total = sum(busy.values())
    test_time = sum(durations)
    reads = sum(record.reads for record in tests)
    writes = sum(record.writes for record in tests)
    queries = reads + writes
    # One connection per worker and database, opened once (see README "Connection Pool").
    upkeep = recorder.connections_recycled + recorder.connections_replaced
    opened = (workers * databases if queries else 0) + upkeep  # each reopening is a miss
    ranked = sorted(tests, key=lambda record: record.duration, reverse=True)[:slowest]
    return RunStats(
        mode=mode,
        tests_total=len(tests),
        tests_failed=sum(1 for case in cases if case.status in ("failure", "error")),
        failures=_count(cases, "failure"),
        errors=_count(cases, "error"),
        skipped=_count(cases, "skipped"),
        workers=workers,
        wall_seconds=wall,
        busy_seconds=busy_total,
        worker_utilization=min(busy_total / (workers * wall), 1.0) if workers and wall else 0.0,
        test_time_seconds=test_time,
        speedup=test_time / wall if wall else 0.0,
        worker_durations=busy,
        test_duration_avg=test_time / len(durations) if durations else 0.0,
        test_duration_p95=percentile(durations, 0.95),
        queries_total=queries,
        queries_read=reads,
        queries_write=writes,
        database_errors=sum(record.database_errors for record in recorder.records),
        connections_active=opened,
        connections_pooled=0,
        connections_hits=max(queries - opened, 0),
        connections_misses=opened,
        connections_recycled=recorder.connections_recycled,
        connections_replaced=recorder.connections_replaced,
        worker_peak_rss_mb=recorder.worker_peak_rss_mb,
        parent_peak_rss_mb=recorder.parent_peak_rss_mb,
        scheduling_efficiency=recorder.scheduling_efficiency,
        order_checks=[asdict(finding) for finding in recorder.order_checks],
        slowest=[(f"{r.classname}.{r.name}", r.duration, r.worker_id) for r in ranked],
    )


def _worker_ids(mode: str, workers: int) -> list[int]:
    return [0] if mode == "sequential" else list(range(1, workers + 1))


def _count(cases: list[TestRecord], kind: str) -> int:
    return sum(1 for case in cases if any(o.kind == kind for o in case.outcomes))


class PrometheusMetrics:
    """``runner.prometheus_metrics``: the run's figures, computed when asked."""

    def __init__(self, session) -> None:
        self._session = session

    def get_metrics_summary(self) -> dict:
        """A dict of the run's figures (``test_duration_avg``, ``tests_total``, ...)."""
        return self._session.stats().summary()


HELP = {
    "tests_total": "Tests run",
    "tests_failed": "Reported cases that failed or errored",
    "tests_errors": "Reported cases that errored",
    "tests_skipped": "Reported cases that were skipped",
    "test_duration_avg": "Average test duration in seconds",
    "test_duration_p95": "95th percentile test duration in seconds",
    "queries_total": "Database queries run by tests",
    "queries_write": "Database queries that wrote (INSERT/UPDATE/DELETE/DDL)",
    "queries_read": "Database queries that read (SELECT)",
    "database_errors": "Tests that ended with a database error",
    "workers": "Worker processes",
    "wall_seconds": "Seconds from the first test to the last",
    "worker_utilization": "Busy time divided by workers times wall time",
    "speedup": "Sum of test durations divided by wall time",
    "connections_active": "Database connections held by the workers",
    "connections_pooled": "Connections served from a connection pool",
    "connections_hits": "Queries served on an already open connection",
    "connections_misses": "Database connections opened",
}


def prometheus_text(summary: dict, labels: dict[str, str] | None = None) -> str:
    """The summary in Prometheus text exposition format 0.0.4 (node-exporter textfile)."""
    label_text = ""
    if labels:
        pairs = ",".join(f'{key}="{_escape_label(value)}"' for key, value in labels.items())
        label_text = "{" + pairs + "}"
    lines = []
    for key, value in summary.items():
        name = METRIC_PREFIX + key
        lines.append(f"# HELP {name} {HELP.get(key, key).replace(chr(92), chr(92) * 2)}")
        lines.append(f"# TYPE {name} gauge")
        lines.append(f"{name}{label_text} {_number(value)}")
    return "\n".join(lines) + "\n"


def _number(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(value)


def _escape_label(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
