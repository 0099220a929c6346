"""The benchmark report, its JSON, the metrics file and get_metrics_summary() on real runs."""

from __future__ import annotations

import json
import re
import sys

import pytest
from helpers import run_manage, run_python

LABEL = "library"
SECTIONS = {
    "Test Execution:": [
        "Total tests", "Workers used", "Total duration", "Worker utilization", "Estimated speedup",
    ],
    "Worker Performance:": [
        "Average worker duration", "Min worker duration", "Max worker duration",
        "Duration variance",
    ],
    "Database Operations:": ["Total operations", "Total errors", "Error rate"],
    "Test Metrics:": [
        "Average test duration", "95th percentile duration", "Total queries", "Total writes",
        "Total reads", "Write ratio",
    ],
    "Connection Pool:": [
        "Active connections", "Pooled connections", "Connection hits", "Connection misses",
    ],
}  # fmt: skip
SUMMARY_KEYS = {
    "test_duration_avg", "test_duration_p95", "tests_total", "tests_failed", "queries_total",
    "queries_write", "queries_read", "workers", "wall_seconds", "worker_utilization",
}  # fmt: skip
_METRIC_LINE = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]* (-?[0-9.e+-]+|NaN|[+-]Inf)$")


def report_lines(output: str) -> dict[str, str]:
    """``{"Total tests": "25", ...}`` from the benchmark report (which must be present)."""
    start = output.index("[CONCURRENT] Production-Grade Benchmark Report")
    block = output[start:]
    return dict(re.findall(r"^  (\w[\w ]*?): (.+)$", block, re.MULTILINE))


def number(text: str) -> float:
    return float(re.match(r"[\d,.]+", text).group().replace(",", ""))


@pytest.mark.parametrize("workers", ["2", "1"])
def test_report_has_the_guide_sections_with_measured_figures(tmp_path, backend, workers):
    json_path, metrics_path = tmp_path / "bench.json", tmp_path / "metrics.prom"
    run = run_manage(
        "concurrenttest", "--workers", workers, "--benchmark", "--benchmark-json", str(json_path),
        "--metrics-file", str(metrics_path), LABEL, backend=backend,
    )  # fmt: skip
    assert run.returncode == 0, run.describe()
    output = run.stdout
    # Printed after the summary, sections in the guide's order, each with its lines.
    assert run.output.index("Ran ") >= 0 and "[CONCURRENT] Production-Grade" in output
    positions = [output.index(section) for section in SECTIONS]
    assert positions == sorted(positions), output
    lines = report_lines(output)
    for section, names in SECTIONS.items():
        for name in names:
            assert name in lines, f"{section} {name} missing:\n{output}"
    ran = int(re.search(r"^Ran (\d+) tests?", run.stderr, re.MULTILINE).group(1))
    assert number(lines["Total tests"]) == ran
    assert number(lines["Workers used"]) == int(workers)
    assert number(lines["Total queries"]) > 0
    assert number(lines["Total writes"]) > 0 and number(lines["Total reads"]) > 0
    assert number(lines["Total reads"]) + number(lines["Total writes"]) == number(
        lines["Total queries"]
    )
    assert 0 < number(lines["Worker utilization"]) <= 100
    speedup = r"[\d.]+x (faster|slower) than the sum of test times"
    assert re.fullmatch(speedup, lines["Estimated speedup"]), lines["Estimated speedup"]
    if sys.platform.startswith("linux"):  # measurable there, also without workers
        peak = re.search(r"^  Peak runner memory \(RSS\): ([\d.]+) MB$", output, re.MULTILINE)
        assert peak and float(peak.group(1)) > 0, output
    assert len(re.findall(r"^ +[\d.]+s  library\.", output, re.MULTILINE)) == min(10, ran)

    figures = json.loads(json_path.read_text())
    assert figures["tests_total"] == ran
    assert figures["queries_total"] == number(lines["Total queries"])
    assert figures["queries_write"] == number(lines["Total writes"])
    assert len(figures["slowest"]) == min(10, ran)
    durations = [entry["seconds"] for entry in figures["slowest"]]
    assert durations == sorted(durations, reverse=True)

    metrics = metrics_path.read_text().splitlines()
    samples = [line for line in metrics if not line.startswith("#")]
    assert samples and all(_METRIC_LINE.match(line) for line in samples), metrics
    values = dict(line.split(" ") for line in samples)
    assert float(values["django_concurrent_test_tests_total"]) == ran
    assert float(values["django_concurrent_test_workers"]) == int(workers)
    for key in SUMMARY_KEYS:
        assert f"# TYPE django_concurrent_test_{key} gauge" in metrics


def test_no_report_unless_asked():
    run = run_manage("concurrenttest", "--workers", "2", "scenarios.slow")
    assert run.returncode == 0, run.describe()
    assert "Benchmark Report" not in run.output


def test_environment_variable_turns_the_report_on():
    run = run_manage(
        "concurrenttest", "--workers", "2", "scenarios.slow", env={"DJANGO_TEST_BENCHMARK": "true"}
    )
    assert run.returncode == 0, run.describe()
    assert number(report_lines(run.stdout)["Total tests"]) == 12


SCRIPT = """
import json, django
django.setup()
from concurrent_test_app.runner import ConcurrentTestRunner
runner = ConcurrentTestRunner(workers=2, verbosity=0, interactive=False)
failures = runner.run_tests(["scenarios.slow", "scenarios.outcomes"])
print("SUMMARY=" + json.dumps(runner.prometheus_metrics.get_metrics_summary()))
"""


def test_metrics_summary_from_python():
    run = run_python(SCRIPT)
    assert run.returncode == 0, run.describe()
    summary = json.loads(run.stdout.split("SUMMARY=", 1)[1])
    assert SUMMARY_KEYS <= set(summary), summary
    ran = int(re.search(r"^Ran (\d+) tests?", run.stderr, re.MULTILINE).group(1))
    assert summary["tests_total"] == ran == 12 + 11  # SkipInSetUpClassTests never runs
    assert summary["workers"] == 2
    # failures: test_fail, two subtests, the database one; errors: test_error, one
    # subtest; and the unexpected success, which the JUnit report counts as an error
    assert summary["tests_failed"] == 4 + 2 + 1
    assert 0 < summary["worker_utilization"] <= 1
    assert summary["test_duration_p95"] >= summary["test_duration_avg"] > 0
    assert summary["queries_total"] == summary["queries_read"] + summary["queries_write"]


def test_scheduling_efficiency_shows_a_worker_left_idle(tmp_path):
    json_path = tmp_path / "bench.json"
    # One 0.9 s class and one 0.3 s test on two workers: the second worker idles for
    # about two thirds of the test phase, so (unit times / 2) / makespan is about 0.67.
    run = run_manage(
        "concurrenttest", "--workers", "2", "--benchmark-json", str(json_path),
        "scenarios.slow.SlowATests", "scenarios.slow.SlowBTests.test_one",
    )  # fmt: skip
    assert run.returncode == 0, run.describe()
    figures = json.loads(json_path.read_text())
    assert figures["workers"] == 2
    assert 0.4 < figures["scheduling_efficiency"] < 0.85, figures
