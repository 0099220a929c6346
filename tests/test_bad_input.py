"""Bad input stops a run before any database exists: one line per bad value, exit 2.

Each run gives several bad values at once, so one subprocess checks that every one of
them is reported, on a line of its own naming the source, the value and what is
accepted, and that no test database, template or clone was made.
"""

from __future__ import annotations

import pytest
from conftest import postgres_databases
from helpers import assert_no_processes_left, run_manage

SHARD = {"DJANGO_TEST_SHARD_INDEX": "abc", "DJANGO_TEST_SHARD_TOTAL": "2"}


def _databases(backend) -> set[str]:
    return set(postgres_databases()) if backend == "postgres" else set()


def _assert_stopped_before_any_database(run, expected_lines, cache, before, backend):
    assert run.returncode == 2, run.describe()
    lines = run.stderr.strip().splitlines()
    # The first line carries the exception's name (as Django's CommandError prints it).
    assert lines[0].startswith("ConfigurationException: "), run.describe()
    lines[0] = lines[0].removeprefix("ConfigurationException: ")
    assert sorted(lines) == sorted(expected_lines), run.describe()
    assert "Creating test database" not in run.output, run.describe()
    assert "Starting production-grade" not in run.output, run.describe()
    # SQLite templates live in the timing store's folder; server databases on the server.
    assert list(cache.iterdir()) == [], run.describe()
    assert _databases(backend) == before, run.describe()


def test_bad_numbers_and_shadowed_values_are_all_reported(backend, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    before = _databases(backend)
    env = {
        # Hidden by --timeout: reported all the same, it breaks every run without the flag.
        "DJANGO_TEST_TIMEOUT": "abc",
        "DJANGO_TEST_RUN_TIMEOUT": "inf",
        "DJANGO_TEST_HEALTH_CHECK_INTERVAL": "nan",
        "DJANGO_TEST_RETRY_DELAY": "-inf",
        "DJANGO_TEST_START_METHOD": "fork",
        "DJANGO_TEST_TIMINGS_FILE": str(cache / "timings.json"),
    }
    run = run_manage(
        "test", "--timeout", "nan", "--workers", "2", "library", backend=backend, env=env
    )

    _assert_stopped_before_any_database(
        run,
        [
            "--timeout='nan': expected a number of seconds greater than 0",
            "DJANGO_TEST_TIMEOUT='abc': expected a number of seconds greater than 0",
            (
                "DJANGO_TEST_RUN_TIMEOUT='inf': expected a number of seconds greater than 0, "
                "or empty for no limit"
            ),
            "DJANGO_TEST_HEALTH_CHECK_INTERVAL='nan': expected a number of seconds greater than 0",
            "DJANGO_TEST_RETRY_DELAY='-inf': expected a number of seconds of 0 or more",
            "DJANGO_TEST_START_METHOD='fork': expected 'spawn' or 'forkserver'",
        ],
        cache,
        before,
        backend,
    )


def test_unusable_hook_paths_and_shard_variables_are_all_reported(backend, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    report_dir = tmp_path / "junit.xml"
    report_dir.mkdir()
    missing = tmp_path / "missing" / "timings.json"
    before = _databases(backend)
    env = {"DJANGO_TEST_WORKER_SETUP": "testproject.worker_setup.no_such_hook", **SHARD}
    run = run_manage(
        "concurrenttest", "--workers", "2", "--timings-file", str(missing),
        "--junitxml", str(report_dir), "--timeline", "/proc/timeline.html",
        "--benchmark-json", "/dev/null", "library", backend=backend, env=env,
    )  # fmt: skip

    _assert_stopped_before_any_database(
        run,
        [
            (
                "DJANGO_TEST_WORKER_SETUP='testproject.worker_setup.no_such_hook': cannot import "
                'it: Module "testproject.worker_setup" does not define a "no_such_hook" '
                "attribute/class"
            ),
            f"--junitxml='{report_dir}': cannot write there: it is a directory",
            (
                "--benchmark-json='/dev/null': cannot write there: it exists and is not a "
                "regular file"
            ),
            (
                "--timeline='/proc/timeline.html': cannot write there: directory '/proc' does "
                "not take new files (No such file or directory)"
            ),
            (
                f"--timings-file='{missing}': cannot write there: directory "
                f"'{missing.parent}' does not exist"
            ),
            "DJANGO_TEST_SHARD_INDEX='abc': expected a positive integer",
        ],
        cache,
        before,
        backend,
    )
    assert not missing.parent.exists()


@pytest.mark.parametrize("source", ["env", "flag"])
def test_missing_worker_setup_module_is_one_line(source):
    hook = "no_such_package.hooks.configure"
    if source == "env":
        args, env, name = (), {"DJANGO_TEST_WORKER_SETUP": hook}, "DJANGO_TEST_WORKER_SETUP"
    else:
        args, env, name = ("--worker-setup", hook), None, "--worker-setup"
    run = run_manage("concurrenttest", "--workers", "2", *args, "scenarios.slow", env=env)

    assert run.returncode == 2, run.describe()
    assert run.stderr.strip() == (
        f"ConfigurationException: {name}='{hook}': cannot import it: "
        "No module named 'no_such_package'"
    ), run.describe()
    assert run.stdout == "", run.describe()


def test_a_report_that_cannot_be_written_at_the_end_fails_the_run(tmp_path):
    path = tmp_path / "junit.xml"
    timeline = tmp_path / "timeline.html"
    env = {"BLOCK_REPORT_PATH": str(path)}  # a test puts a directory there
    run = run_manage(
        "concurrenttest", "--workers", "2", "-v", "2", "--junitxml", str(path),
        "--timeline", str(timeline), "scenarios.report_blocker", env=env,
    )  # fmt: skip

    assert run.report.summary == "OK", run.describe()
    assert run.returncode == 1, run.describe()
    assert f"[CONCURRENT] Could not write --junitxml='{path}': " in run.stderr, run.describe()
    assert path.is_dir()
    assert timeline.is_file(), "the other report is still written"
    assert_no_processes_left(run)
