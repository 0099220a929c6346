"""Every documented way of starting a run reaches the concurrent runner."""

from __future__ import annotations

import textwrap

from helpers import CONCURRENT_RUNNER, run_manage, run_python, started_workers

LABEL = "scenarios.slow"


def test_manage_py_test_uses_the_runner_from_settings(backend):
    run = run_manage("test", "--workers", "2", LABEL, backend=backend)

    assert run.returncode == 0, run.describe()
    assert started_workers(run) == [2], run.describe()


def test_testrunner_option(backend):
    run = run_manage(
        "test", "--testrunner", CONCURRENT_RUNNER, "--workers", "2", LABEL, backend=backend
    )

    assert run.returncode == 0, run.describe()
    assert started_workers(run) == [2], run.describe()


def test_parallel_is_the_worker_count_under_manage_py_test(backend):
    # A flag: it beats the variable (which also keeps "auto" from choosing 3 by itself).
    env = {"DJANGO_TEST_WORKERS": "2"}
    run = run_manage("test", "--parallel", "3", "shop", backend=backend, env=env)

    assert run.returncode == 0, run.describe()
    assert started_workers(run) == [3], run.describe()


def test_concurrenttest_command(backend):
    run = run_manage("concurrenttest", "--workers", "2", LABEL, backend=backend)

    assert run.returncode == 0, run.describe()
    assert started_workers(run) == [2], run.describe()


def test_project_runtests_command(backend):
    # An explicit count: with auto, a timing store that knows the smoke subset to be
    # quicker than the workers' start-up runs it in-process (test_fallback.py).
    run = run_manage("runtests", "--smoke", "--workers", "2", backend=backend)

    assert run.returncode == 0, run.describe()
    assert started_workers(run), run.describe()
    assert run.report.summary is None or run.report.summary.startswith("OK"), run.describe()


def test_programmatic_use(backend):
    script = textwrap.dedent(
        f"""
        import sys
        import django
        django.setup()
        from concurrent_test_app.runner import ConcurrentTestRunner
        failures = ConcurrentTestRunner(workers=2).run_tests([{LABEL!r}])
        print("FAILURES", failures)
        sys.exit(0 if failures == 0 else 1)
        """
    )
    run = run_python(script, backend=backend)

    assert run.returncode == 0, run.describe()
    assert "FAILURES 0" in run.stdout, run.describe()
    assert started_workers(run) == [2], run.describe()
