"""JUnit XML from real runs of testproject: mapping, counts, output, annotations, errors."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from helpers import (
    PERMISSIVE_SCHEMA,
    STRICT_SCHEMA,
    TESTPROJECT_DIR,
    junit_cases,
    kill_process_group,
    manage_command,
    manage_env,
    run_manage,
    summary_counts,
    validated_junit,
)
from lxml import etree

OUTCOME_LABELS = ("scenarios.outcomes", "scenarios.fixtures", "scenarios.module_fixture")
MODES = {"concurrent": ["--workers", "2"], "sequential": ["--workers", "1"]}
O = "scenarios.outcomes.OutcomeTests"

EXPECTED_CASES = {
    (O, "test_pass"): [],
    (O, "test_fail"): ["failure"],
    (O, "test_error"): ["error"],
    (O, "test_skip"): ["skipped"],
    (O, "test_expected_failure"): ["skipped"],
    (O, "test_unexpected_success"): ["error"],
    (O, "test_subtests (i=1)"): ["failure"],
    (O, "test_subtests (i=3)"): ["failure"],
    (O, "test_subtests (i=4)"): ["error"],
    ("scenarios.outcomes.SkipInSetUpClassTests", "setUpClass"): ["skipped"],
    ("scenarios.outcomes.SkippedClassTests", "test_one"): ["skipped"],
    ("scenarios.fixtures.BrokenSetUpClassTests", "setUpClass"): ["error"],
    ("scenarios.fixtures.BrokenSetUpTestDataTests", "setUpClass"): ["error"],
    ("scenarios.fixtures.BrokenTearDownClassTests", "tearDownClass"): ["error"],
    ("scenarios.fixtures.BrokenTearDownClassTests", "test_one"): [],
    ("scenarios.module_fixture", "setUpModule"): ["error"],
    ("scenarios.outcomes.DatabaseOutcomeTests", "test_fail_with_database"): ["failure"],
}


def _run(tmp_path, *args, backend="sqlite", env=None, name="report.xml"):
    path = tmp_path / name
    run = run_manage(
        "concurrenttest", "-v", "2", "--junitxml", str(path), *args, backend=backend, env=env
    )
    return run, path


@pytest.mark.parametrize("mode", MODES)
def test_every_outcome_is_mapped_and_counts_match_the_console(tmp_path, backend, mode):
    run, path = _run(tmp_path, *MODES[mode], *OUTCOME_LABELS, backend=backend)
    assert run.returncode == 1, run.describe()
    root = validated_junit(path)
    cases = junit_cases(root)
    for key, tags in EXPECTED_CASES.items():
        assert cases.get(key) == tags, f"{key}: {cases.get(key)}\n{run.describe()}"
    # A test whose subtests failed is represented by its failing subtests only.
    assert (O, "test_subtests") not in cases
    assert not any(
        name.startswith("test_") for cls, name in cases if cls == "scenarios.module_fixture"
    )

    counts = summary_counts(run)
    assert int(root.get("failures")) == counts["failures"], run.describe()
    assert int(root.get("errors")) == counts["errors"] + counts["unexpected successes"]
    skipped = sum(int(suite.get("skipped")) for suite in root.iter("testsuite"))
    assert skipped == counts["skipped"] + counts["expected failures"]
    assert int(root.get("tests")) == len(cases)

    failure = root.find(f".//testcase[@classname='{O}'][@name='test_fail']/failure")
    assert failure.get("type") == "AssertionError"
    assert "OUTCOME-FAIL-MARKER" in failure.get("message")
    assert "Traceback (most recent call last)" in failure.text
    xfail = root.find(f".//testcase[@classname='{O}'][@name='test_expected_failure']/skipped")
    assert xfail.get("type") == "XFAIL"
    assert xfail.get("message").startswith("expected failure: AssertionError")
    unexpected = root.find(".//testcase[@name='test_unexpected_success']/error")
    assert unexpected.get("type") == "UnexpectedSuccess"

    expected_workers = {"1", "2"} if mode == "concurrent" else {"0"}
    for suite in root.iter("testsuite"):
        worker = suite.find("properties/property[@name='worker']")
        assert worker is not None and worker.get("value") in expected_workers, suite.get("name")
        assert suite.get("name") == {c.get("classname") for c in suite.iter("testcase")}.pop()
        assert float(suite.get("time")) >= 0


@pytest.mark.parametrize("mode", MODES)
def test_buffered_output_of_a_failing_test_goes_to_system_out(tmp_path, mode):
    run, path = _run(tmp_path, *MODES[mode], "--buffer", "scenarios.output", "scenarios.slow")
    assert run.returncode == 1, run.describe()
    root = validated_junit(path)
    failing = root.find(".//testcase[@name='test_prints_and_fails']")
    assert "PRINTED-TO-STDOUT by test_prints_and_fails" in failing.findtext("system-out")
    assert "PRINTED-TO-STDERR by test_prints_and_fails" in failing.findtext("system-err")
    assert "Stdout:" not in failing.findtext("failure")
    passing = root.find(".//testcase[@name='test_prints_and_passes']")
    assert passing.find("system-out") is None  # unittest shows only a failure's output


def test_annotate_adds_file_and_line_for_ci_annotators(tmp_path):
    run, path = _run(tmp_path, "--workers", "2", "--junit-annotate", *OUTCOME_LABELS)
    assert run.returncode == 1, run.describe()
    root = validated_junit(path, PERMISSIVE_SCHEMA)
    with pytest.raises(etree.DocumentInvalid):
        validated_junit(path, STRICT_SCHEMA)
    case = root.find(f".//testcase[@classname='{O}'][@name='test_fail']")
    assert case.get("file") == os.path.join("scenarios", "outcomes.py")
    source = (TESTPROJECT_DIR / "scenarios" / "outcomes.py").read_text().splitlines()
    assert source[int(case.get("line")) - 1].strip() == "def test_fail(self):"


def test_crashed_worker_is_an_error_case(tmp_path, backend):
    run, path = _run(
        tmp_path, "--workers", "2", "scenarios.crash", backend=backend, env={"CRASH_SCENARIO": "1"}
    )
    assert run.returncode == 1, run.describe()
    root = validated_junit(path)
    error = root.find(".//testcase[@name='test_crash']/error")
    assert error is not None, run.describe()
    assert error.get("type").startswith("WorkerCrash"), error.get("type")
    assert "Worker" in error.get("message")
    assert junit_cases(root)[("scenarios.crash.SurvivorTests", "test_one")] == []


@pytest.mark.parametrize("source", ["flag", "env"])
def test_unwritable_path_stops_the_run_before_any_database(tmp_path, source):
    path = tmp_path / "missing" / "report.xml"
    if source == "flag":
        args, env, name = ("--junitxml", str(path)), None, "--junitxml"
    else:
        args, env, name = (), {"DJANGO_TEST_JUNITXML": str(path)}, "DJANGO_TEST_JUNITXML"
    run = run_manage("concurrenttest", "--workers", "2", *args, "scenarios.slow", env=env)
    assert run.returncode == 2, run.describe()
    assert f"{name}='{path}': cannot write there: directory" in run.output, run.describe()
    assert "does not exist" in run.output
    assert "Creating test database" not in run.output
    assert not path.parent.exists()


def test_interrupted_run_leaves_a_valid_report_of_what_finished(tmp_path):
    path = tmp_path / "interrupted.xml"
    command = manage_command(
        "concurrenttest", "--workers", "2", "-v", "2", "--noinput", "--junitxml", str(path),
        "scenarios.slow",
    )  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=TESTPROJECT_DIR,
        env=manage_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        seen = []
        for line in process.stderr:
            seen.append(line)
            if line.rstrip().endswith(" ok"):
                break  # one test has finished: interrupt now, like Ctrl-C twice
        process.send_signal(signal.SIGINT)
        time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        rest = process.stderr.read()
        process.wait(timeout=120)
    finally:
        kill_process_group(process.pid)
    assert process.returncode != 0, "".join(seen) + rest
    root = validated_junit(path)
    names = {case.get("classname") for case in root.iter("testcase")}
    assert names and names <= {f"scenarios.slow.Slow{x}Tests" for x in "ABCD"}, names
    assert 1 <= int(root.get("tests")) <= 12
