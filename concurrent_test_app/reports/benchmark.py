"""The benchmark report: the guide's text sections, printed after the summary, and its JSON."""

from __future__ import annotations

import json

from .metrics import RunStats

RULE = "=" * 64


def _int(value: int) -> str:
    return f"{value:,}"


def speedup_line(stats: RunStats) -> str:
    """``2.1x faster than the sum of test times``: that sum / the test phase's wall time.

    The sum of test times is what a sequential run of the same tests would spend in
    them; the comparison is said in words, never as a negative percentage.
    """
    if not stats.test_time_seconds or not stats.wall_seconds:
        return "n/a (no test time measured)"
    factor = stats.test_time_seconds / stats.wall_seconds
    if factor >= 1:
        return f"{factor:.1f}x faster than the sum of test times"
    return f"{1 / factor:.1f}x slower than the sum of test times"


def benchmark_report(stats: RunStats) -> str:
    """The report's text, section by section as in the transition guide."""
    durations = list(stats.worker_durations.values()) or [0.0]
    lines = [
        "[CONCURRENT] Production-Grade Benchmark Report",
        RULE,
        "Test Execution:",
        f"  Total tests: {_int(stats.tests_total)}",
        f"  Workers used: {stats.workers}",
        f"  Total duration: {stats.wall_seconds:.2f}s",
        f"  Worker utilization: {stats.worker_utilization * 100:.1f}%",
        f"  Estimated speedup: {speedup_line(stats)}",
        "",
        "Worker Performance:",
        f"  Average worker duration: {sum(durations) / len(durations):.2f}s",
        f"  Min worker duration: {min(durations):.2f}s",
        f"  Max worker duration: {max(durations):.2f}s",
        f"  Duration variance: {max(durations) - min(durations):.2f}s",
        "",
        "Database Operations:",
        f"  Total operations: {_int(stats.queries_total)}",
        f"  Total errors: {_int(stats.database_errors)}",
        f"  Error rate: {stats.error_rate * 100:.2f}%",
        "",
        "Test Metrics:",
        f"  Average test duration: {stats.test_duration_avg:.3f}s",
        f"  95th percentile duration: {stats.test_duration_p95:.3f}s",
        f"  Total queries: {_int(stats.queries_total)}",
        f"  Total writes: {_int(stats.queries_write)}",
        f"  Total reads: {_int(stats.queries_read)}",
        f"  Write ratio: {stats.write_ratio * 100:.1f}%",
        "",
        "Connection Pool:",
        f"  Active connections: {_int(stats.connections_active)}",
        f"  Pooled connections: {_int(stats.connections_pooled)}",
        f"  Connection hits: {_int(stats.connections_hits)}",
        f"  Connection misses: {_int(stats.connections_misses)}",
        f"  Connections recycled: {_int(stats.connections_recycled)}",
        f"  Connections replaced: {_int(stats.connections_replaced)}",
        "",
        "Memory:",
        f"  Peak worker memory (RSS): {stats.worker_peak_rss_mb:.1f} MB",
        f"  Peak runner memory (RSS): {stats.parent_peak_rss_mb:.1f} MB",
        "",
        f"Slowest tests (top {len(stats.slowest)}):",
    ]
    lines += [
        f"  {seconds:8.3f}s  {test}" + (f"  [worker {worker}]" if worker else "")
        for test, seconds, worker in stats.slowest
    ]
    lines.append(RULE)
    return "\n".join(lines) + "\n"


def benchmark_json(stats: RunStats) -> str:
    """The same figures as JSON, for tools."""
    return json.dumps(stats.as_json(), indent=2, sort_keys=True) + "\n"
