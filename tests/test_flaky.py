"""--rerun-failures: a test that passes on a rerun is flaky; one that keeps failing fails."""

from __future__ import annotations

from helpers import assert_no_processes_left, run_manage, validated_junit

FLAKY = "scenarios.flaky.FlakyTests.test_passes_on_the_second_attempt"
ALWAYS = "scenarios.flaky.FlakyTests.test_always_fails"
STEADY = "scenarios.flaky.SteadyTests"


def _run(tmp_path, *args, labels=("scenarios.flaky",)):
    report = tmp_path / "junit.xml"
    run = run_manage(
        "concurrenttest", "--workers", "2", "-v", "2", "--junitxml", str(report), *args, *labels,
        env={"FLAKY_DIR": str(tmp_path)},
    )  # fmt: skip
    return run, report


def _attempts(tmp_path, name):
    return int((tmp_path / name).read_text())


def test_reruns_mark_flaky_and_keep_real_failures(backend, tmp_path):
    run, report = _run(tmp_path, "--rerun-failures", "2")

    assert run.returncode == 1, run.describe()  # test_always_fails still fails
    assert "Flaky: 1" in run.stderr and FLAKY in run.stderr, run.describe()
    outcomes = dict(run.report.outcomes)
    assert outcomes[FLAKY] == "ok" and outcomes[ALWAYS] == "FAIL", run.describe()
    assert (_attempts(tmp_path, "second"), _attempts(tmp_path, "always")) == (2, 3)
    # Every attempt ran in a process of its own: reruns start in a fresh worker.
    for name, attempts in (("second", 2), ("always", 3)):
        pids = (tmp_path / f"{name}.pids").read_text().split()
        assert len(pids) == len(set(pids)) == attempts, pids
    root = validated_junit(report)
    flaky = root.find(".//testcase[@name='test_passes_on_the_second_attempt']")
    assert [child.tag for child in flaky] == ["flakyFailure"]
    assert "FLAKY-FIRST-ATTEMPT" in flaky.find("flakyFailure/stackTrace").text
    always = root.find(".//testcase[@name='test_always_fails']")
    assert [child.tag for child in always] == ["failure", "rerunFailure", "rerunFailure"]
    assert_no_processes_left(run)


def test_flaky_alone_passes_unless_fail_on_flaky(tmp_path):
    labels = (FLAKY, STEADY)
    run, _ = _run(tmp_path, "--rerun-failures", "1", labels=labels)
    assert run.returncode == 0, run.describe()
    assert "Flaky: 1" in run.stderr, run.describe()

    (tmp_path / "second").unlink()
    strict, _ = _run(tmp_path, "--rerun-failures", "1", "--fail-on-flaky", labels=labels)
    assert strict.returncode == 1, strict.describe()
    assert strict.report.summary.startswith("OK"), strict.describe()


def test_without_reruns_a_flaky_test_just_fails(tmp_path):
    # Without the order checks too, which rerun a failed test alone (test_order_dependence).
    run, _ = _run(tmp_path, "--order-check-limit", "0")

    assert run.returncode == 1, run.describe()
    assert dict(run.report.outcomes)[FLAKY] == "FAIL", run.describe()
    assert "Flaky:" not in run.stderr, run.describe()
    assert _attempts(tmp_path, "second") == 1
