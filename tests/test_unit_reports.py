"""Unit tests of the report writers with fake records: no processes, no databases."""

from __future__ import annotations

import io
import re
import unittest

import pytest
from helpers import STRICT_SCHEMA
from lxml import etree

from concurrent_test_app.reports.benchmark import benchmark_report, speedup_line
from concurrent_test_app.reports.junit import build_tree, clean, junit_bytes
from concurrent_test_app.reports.metrics import compute_stats, percentile, prometheus_text
from concurrent_test_app.reports.progress import CLEAR_LINE, ProgressLine, status_line
from concurrent_test_app.reports.recording import (
    Outcome,
    Phase,
    Recorder,
    RecordingResultMixin,
    TestRecord,
)
from concurrent_test_app.reports.session import unwritable_reason
from concurrent_test_app.reports.timeline import render_timeline

T0 = 1_700_000_000.0


def record(cls="app.tests.T", name="test_a", worker=1, start=0.0, duration=1.0, **kw):
    return TestRecord(cls, name, cls, worker, T0 + start, duration, **kw)


def recorder_of(records, start=0.0, end=None, phases=()):
    recorder = Recorder()
    recorder.records = list(records)
    recorder.phases = list(phases)
    recorder.run_start = T0 + start
    recorder.run_end = T0 + (end if end is not None else max(
        (r.started_at - T0 + r.duration for r in recorder.records), default=0.0))  # fmt: skip
    return recorder


def schema():
    return etree.XMLSchema(etree.parse(str(STRICT_SCHEMA)))


# --- metrics --------------------------------------------------------------------------


def test_percentile_is_nearest_rank():
    assert percentile([], 0.95) == 0.0
    assert percentile([3.0], 0.95) == 3.0
    assert percentile([float(i) for i in range(1, 101)], 0.95) == 95.0
    assert percentile([float(i) for i in range(1, 21)], 0.95) == 19.0


def test_utilization_and_speedup_from_unit_spans():
    # Two workers, wall 4s: worker 1 busy 4s (two units), worker 2 busy 2s.
    records = [
        record("a.A", "t1", 1, 0.0, 2.0, reads=3, writes=1),
        record("a.B", "t1", 1, 2.0, 2.0, reads=1),
        record("a.C", "t1", 2, 0.0, 1.0, writes=2),
        record("a.C", "t2", 2, 1.0, 1.0),
    ]
    stats = compute_stats(recorder_of(records, end=4.0), "concurrent", workers=2, databases=2)
    assert stats.wall_seconds == pytest.approx(4.0)
    assert stats.worker_durations == {1: pytest.approx(4.0), 2: pytest.approx(2.0)}
    assert stats.worker_utilization == pytest.approx(6.0 / 8.0)
    assert stats.speedup == pytest.approx(6.0 / 4.0)
    assert (stats.queries_read, stats.queries_write, stats.queries_total) == (4, 3, 7)
    assert (stats.connections_active, stats.connections_misses) == (4, 4)
    assert stats.connections_hits == 3
    assert stats.slowest[0][1] == 2.0 and len(stats.slowest) == 4
    report = benchmark_report(stats)
    assert "  Worker utilization: 75.0%\n" in report
    assert "  Estimated speedup: 1.5x faster than the sum of test times\n" in report
    assert "  Duration variance: 2.00s\n" in report
    assert "  Write ratio: 42.9%\n" in report


def test_speedup_line_says_slower_when_the_run_took_longer():
    stats = compute_stats(recorder_of([record(duration=1.0)], end=2.0), "concurrent", 2)
    # Took twice as long as its one test: said as a factor, never "100.0% slower".
    assert speedup_line(stats) == "2.0x slower than the sum of test times"


def test_prometheus_text_is_the_exposition_format():
    text = prometheus_text({"tests_total": 5, "wall_seconds": 1.5, "ratio": float("nan")})
    lines = text.splitlines()
    assert lines[:3] == [
        "# HELP django_concurrent_test_tests_total Tests run",
        "# TYPE django_concurrent_test_tests_total gauge",
        "django_concurrent_test_tests_total 5",
    ]
    assert "django_concurrent_test_wall_seconds 1.5" in lines
    assert "django_concurrent_test_ratio NaN" in lines
    assert text.endswith("\n")
    labelled = prometheus_text({"workers": 2}, labels={"project": 'a"b'})
    assert 'django_concurrent_test_workers{project="a\\"b"} 2' in labelled


# --- JUnit ----------------------------------------------------------------------------


def test_control_characters_are_stripped_and_the_report_stays_valid():
    bad = "bo\x00om\x1b[31m \x07 ]]> <&>"
    case = record(name="test_\x01x")
    case.outcomes.append(Outcome("failure", "AssertionError", bad, "Traceback\n" + bad))
    case.stdout = "out\x0b"
    data = junit_bytes(recorder_of([case]))
    root = etree.fromstring(data)
    schema().assertValid(root.getroottree())
    failure = root.find(".//failure")
    assert failure.get("message") == "boom[31m  ]]> <&>"
    assert root.find(".//testcase").get("name") == "test_x"
    assert clean("a\ud800b\ufffe") == "ab"


def test_duplicate_names_get_a_suffix_and_counts_add_up():
    cases = [record(name="test_a"), record(name="test_a"), record("b.B", "test_b")]
    cases[1].outcomes.append(Outcome("error", "ValueError", "x", "tb"))
    cases[2].outcomes.append(Outcome("skipped", "skip", "why"))
    root = build_tree(recorder_of(cases))
    schema().assertValid(etree.ElementTree(root))
    names = [case.get("name") for case in root.iter("testcase")]
    assert names == ["test_a", "test_a [2]", "test_b"]
    assert (root.get("tests"), root.get("errors"), root.get("failures")) == ("3", "1", "0")
    assert [s.get("skipped") for s in root.iter("testsuite")] == ["0", "1"]
    assert re.fullmatch(r"\d+\.\d{3}", root.find("testsuite").get("time"))


def test_empty_run_is_still_a_valid_report():
    root = etree.fromstring(junit_bytes(Recorder()))
    schema().assertValid(root.getroottree())
    assert root.get("tests") == "0"


# --- recording, in-process (the sequential path) ----------------------------------------


class Sample(unittest.TestCase):
    __test__ = False  # run by test_mixin_records_a_sequential_run, not by pytest

    def test_ok(self):
        pass

    def test_fail(self):
        self.fail("FAIL-MARKER")

    @unittest.expectedFailure
    def test_xfail(self):
        raise ValueError("X")

    def test_sub(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertNotEqual(i, 1)


class BrokenClass(unittest.TestCase):
    __test__ = False

    @classmethod
    def setUpClass(cls):
        raise RuntimeError("CLASS-MARKER")

    def test_never(self):
        pass


def test_mixin_records_a_sequential_run():
    recorder = Recorder()
    mixin = type("M", (RecordingResultMixin,), {"recorder": recorder, "annotate": True})
    result_class = type("R", (mixin, unittest.TextTestResult), {})
    loader = unittest.TestLoader()
    suite = unittest.TestSuite(
        [loader.loadTestsFromTestCase(Sample), loader.loadTestsFromTestCase(BrokenClass)]
    )
    runner = unittest.TextTestRunner(stream=io.StringIO(), resultclass=result_class, verbosity=0)
    result = runner.run(suite)
    by_name = {case.name: case for case in recorder.cases()}
    here = f"{__name__}.Sample"
    assert by_name["test_ok"].status == "passed" and by_name["test_ok"].worker_id == 0
    assert by_name["test_fail"].outcomes[0].type == "AssertionError"
    assert "FAIL-MARKER" in by_name["test_fail"].outcomes[0].text
    assert by_name["test_xfail"].outcomes[0].type == "XFAIL"
    assert by_name["test_sub (i=1)"].status == "failure"
    assert "test_sub" not in by_name
    assert by_name["setUpClass"].classname == f"{__name__}.BrokenClass"
    assert by_name["test_ok"].classname == here
    assert by_name["test_ok"].file.endswith("test_unit_reports.py")
    assert by_name["test_ok"].line > 0
    assert len(recorder.tests()) == result.testsRun == 4
    failures = sum(1 for c in recorder.cases() if c.status == "failure")
    assert failures == len(result.failures)


# --- timeline -------------------------------------------------------------------------


def test_five_thousand_tests_stay_small_and_keep_every_lane():
    records = []
    for worker in range(1, 9):
        clock = 0.0
        for index in range(625):
            records.append(record(f"app.m{worker}.C{index // 5}", f"t{index}", worker, clock, 0.01))
            clock += 0.012
    records[10].outcomes.append(Outcome("error", "E", "m", "tb"))
    phases = [Phase("database setup", T0 - 2, T0 - 1)]
    phases += [Phase("worker start", T0 - 1, T0, worker) for worker in range(1, 9)]
    recorder = recorder_of(records, start=-2, phases=phases)
    stats = compute_stats(recorder, "concurrent", 8)
    page = render_timeline(recorder, stats)
    assert len(page.encode()) < 2_000_000
    for worker in range(1, 9):
        assert f">worker {worker}</text>" in page
    assert page.count("<rect x=") < 8 * 700
    assert 'data-kind="error"' in page  # the worst outcome survives merging


def test_a_bar_is_skipped_only_when_all_its_tests_were():
    ran = [record("a.A", "t1", 1, 0, 3.0), record("a.A", "t2", 1, 3.0, 3.0),
           record("a.A", "t3", 1, 6.0, 3.0)]  # fmt: skip
    ran[1].outcomes.append(Outcome("skipped", "skip", "why"))
    ran[2].outcomes.append(Outcome("skipped", "AssertionError", "expected failure: x"))
    skipped = [record("a.B", "t1", 1, 10.0, 3.0)]
    skipped[0].outcomes.append(Outcome("skipped", "skip", "why"))
    recorder = recorder_of(ran + skipped)
    page = render_timeline(recorder, compute_stats(recorder, "concurrent", 1))
    kinds = re.findall(r'data-kind="(\w+)"><title>a\.([AB])\n', page)
    assert kinds == [("passed", "A"), ("skipped", "B")]
    assert "most severe outcome: error, then failure, then passed" in page


def test_wide_units_keep_their_own_bars_and_titles():
    records = [record("a.A", "t", 1, 0, 5.0), record("a.B", "t", 1, 6.0, 4.0)]
    page = render_timeline(recorder_of(records), compute_stats(recorder_of(records), "x", 1))
    assert "<title>a.A\n1 tests, 0 failed or errored, 5.000s, worker 1</title>" in page
    assert "<title>a.B\n" in page


# --- progress and file checks ---------------------------------------------------------


def test_status_line_and_eta():
    assert status_line(0, 10, 0, 0.0) == "[CONCURRENT] 0/10 tests, 0 failed, 0.0s elapsed, ETA --"
    assert status_line(5, 10, 1, 10.0).endswith("5/10 tests, 1 failed, 10.0s elapsed, ETA 10.0s")
    assert "1m15s elapsed" in status_line(1, 2, 0, 75.0)


def test_progress_line_is_throttled_and_cleared():
    stream, now = io.StringIO(), [0.0]
    line = ProgressLine(stream, total=3, clock=lambda: now[0])
    line.update(1, 0)
    now[0] = 0.01
    line.update(2, 0)  # too soon: not drawn
    line.update(3, 1)  # the last one always is
    line.clear()
    text = stream.getvalue()
    assert text.count(CLEAR_LINE + "[CONCURRENT]") == 2
    assert "2/3" not in text and "3/3 tests, 1 failed" in text
    assert text.endswith(CLEAR_LINE)


def test_unwritable_reasons(tmp_path):
    assert unwritable_reason(str(tmp_path / "ok.xml")) is None
    assert unwritable_reason(str(tmp_path)) == "it is a directory"
    assert "does not exist" in unwritable_reason(str(tmp_path / "no" / "x.xml"))
    (tmp_path / "file").write_text("")
    assert "is not a directory" in unwritable_reason(str(tmp_path / "file" / "x.xml"))
