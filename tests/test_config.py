"""Configuration reaches the runner from the environment and is checked first."""

from __future__ import annotations

from helpers import run_manage, started_workers

LABEL = "scenarios.slow"


def test_invalid_worker_count_in_environment_is_refused_before_any_database(backend):
    run = run_manage(
        "concurrenttest", "-v", "2", LABEL, backend=backend, env={"DJANGO_TEST_WORKERS": "abc"}
    )

    assert run.returncode == 2, run.describe()
    assert "Traceback" not in run.output, run.describe()
    message = [
        line for line in run.stderr.splitlines() if "DJANGO_TEST_WORKERS" in line and "abc" in line
    ]
    assert len(message) == 1, run.describe()
    assert "Creating test database" not in run.output, run.describe()
    assert "[CONCURRENT] Setting up" not in run.output, run.describe()
    assert run.report.ran is None, run.describe()


def test_worker_count_from_environment(backend):
    run = run_manage("concurrenttest", LABEL, backend=backend, env={"DJANGO_TEST_WORKERS": "2"})

    assert run.returncode == 0, run.describe()
    assert started_workers(run) == [2], run.describe()


def test_command_line_beats_environment(backend):
    run = run_manage(
        "concurrenttest", "--workers", "2", LABEL, backend=backend, env={"DJANGO_TEST_WORKERS": "1"}
    )

    assert run.returncode == 0, run.describe()
    assert started_workers(run) == [2], run.describe()
