"""Every option of ``manage.py test`` gives the verdicts of Django's sequential runner.

Each test runs Django's DiscoverRunner and ``concurrenttest --workers 2`` with the same
option on the same labels and compares the (test id, outcome) sets, the failure blocks,
the summary and the exit status; options whose output matters are checked on the
console text as well.
"""

from __future__ import annotations

import re
import sys
import textwrap

import pytest
from conftest import ALL_BACKENDS, backend_fixture, mysql_admin, mysql_databases
from helpers import (
    BASELINE_RUNNER,
    CONCURRENT_RUNNER,
    concurrent,
    fallback_reasons,
    mysql_database_name,
    paired_verdicts,
    postgres_database_name,
    postgres_params,
    run_manage,
    sequential,
    started_workers,
    validated_junit,
    verdict_difference,
)

# Parity is compared on every database of the matrix, MySQL/MariaDB included.
backend = backend_fixture(ALL_BACKENDS)

TAGGED = "scenarios.tagged"
ORDERED = (f"{TAGGED}.FastTests", f"{TAGGED}.SlowTests", f"{TAGGED}.MixedTests")
SEPARATOR1 = "=" * 70


def assert_same_verdicts(run, expected, *, workers: int | None = 2) -> None:
    """Equal outcomes, blocks, counts and exit status; and the run really was concurrent."""
    assert "unittest.loader._FailedTest" not in expected.stderr, expected.describe()
    assert expected.report.outcomes, expected.describe()
    if workers is not None:
        assert started_workers(run) == [workers], run.describe()
        assert fallback_reasons(run) == [], run.describe()
    mine, theirs = paired_verdicts(run.report, expected.report)
    assert mine == theirs, verdict_difference(run.report, expected.report) + "\n\n" + run.describe()
    assert run.returncode == expected.returncode, run.describe() + "\n\n" + expected.describe()


def compare(*args: str, backend: str, env: dict | None = None):
    expected = sequential(*args, backend=backend, env=env)
    run = concurrent(*args, backend=backend, env=env)
    assert_same_verdicts(run, expected)
    return run, expected


# --- selecting tests ------------------------------------------------------------------

LABELS = {
    "app": ("library",),
    "module": ("library.tests.test_isbn",),
    "classes": ("library.tests.test_isbn.Isbn10Tests", "library.tests.test_loans.DueDateTests"),
    "methods": (f"{TAGGED}.FastTests.test_fast_one", f"{TAGGED}.SlowTests.test_slow_two"),
    "method-and-class": (f"{TAGGED}.FastTests.test_fast_two", f"{TAGGED}.MixedTests"),
    "path": ("library/tests",),
}


@pytest.mark.parametrize("kind", LABELS)
def test_labels(kind, backend):
    run, _expected = compare(*LABELS[kind], backend=backend)

    assert run.returncode == 0, run.describe()


@pytest.mark.parametrize(
    "args, expected_ids",
    [
        (("-k", "fast", TAGGED), {"FastTests.test_fast_one", "FastTests.test_fast_two",
                                  "MixedTests.test_mixed_fast"}),
        (("-k", "Mixed", "-k", "slow_one", TAGGED), {"SlowTests.test_slow_one",
                                                     "MixedTests.test_mixed_fast",
                                                     "MixedTests.test_mixed_slow",
                                                     "MixedTests.test_mixed_untagged"}),
    ],
    ids=["one-pattern", "two-patterns"],
)  # fmt: skip
def test_k_patterns(args, expected_ids, backend):
    run, _expected = compare(*args, backend=backend)

    assert run.report.ids == {f"{TAGGED}.{test_id}" for test_id in expected_ids}, run.describe()


@pytest.mark.parametrize(
    "args, expected_ids",
    [
        (("--tag", "fast"), {"FastTests.test_fast_one", "FastTests.test_fast_two",
                             "MixedTests.test_mixed_fast"}),
        (("--tag", "fast", "--tag", "slow"), {"FastTests.test_fast_one", "FastTests.test_fast_two",
                                              "SlowTests.test_slow_one", "SlowTests.test_slow_two",
                                              "MixedTests.test_mixed_fast",
                                              "MixedTests.test_mixed_slow"}),
        (("--exclude-tag", "slow", "-k", "Fast", "-k", "Slow", "-k", "Mixed"),
         {"FastTests.test_fast_one", "FastTests.test_fast_two", "MixedTests.test_mixed_fast",
          "MixedTests.test_mixed_untagged"}),
        (("--tag", "fast", "--exclude-tag", "slow"), {"FastTests.test_fast_one",
                                                      "FastTests.test_fast_two",
                                                      "MixedTests.test_mixed_fast"}),
    ],
    ids=["tag", "two-tags", "exclude-tag", "tag-and-exclude"],
)  # fmt: skip
def test_tags(args, expected_ids, backend):
    run, _expected = compare(*args, TAGGED, backend=backend)

    assert run.report.ids == {f"{TAGGED}.{test_id}" for test_id in expected_ids}, run.describe()


# --- stopping early ------------------------------------------------------------------


def test_failfast_stops_and_reports_what_ran(backend):
    labels = ("scenarios.outcomes", "scenarios.slow", *ORDERED)
    full = sequential(*labels, backend=backend)
    expected = sequential("--failfast", *labels, backend=backend)

    run = concurrent("--failfast", *labels, backend=backend)

    assert started_workers(run) == [2], run.describe()
    assert expected.returncode == 1, expected.describe()
    assert run.returncode == 1, run.describe()
    # Work stops being handed out: what ran is a subset of the full run, with its
    # full-run outcome, and holds at least one failure.
    assert run.report.ids < full.report.ids, run.describe()
    full_outcomes = set(full.report.outcomes)
    assert set(run.report.outcomes) <= full_outcomes, run.describe()
    assert {"FAIL", "ERROR"} & {outcome for _, outcome in run.report.outcomes}, run.describe()
    assert run.report.summary and run.report.summary.startswith("FAILED"), run.describe()


def _pg_oids(names: set[str]) -> dict[str, int]:
    import psycopg2

    connection = psycopg2.connect(**postgres_params(dbname="postgres"))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT datname, oid FROM pg_database WHERE datname = ANY(%s)", [list(names)]
            )
            return dict(cursor.fetchall())
    finally:
        connection.close()


def _drop_pg(names: set[str]) -> None:
    import psycopg2

    connection = psycopg2.connect(**postgres_params(dbname="postgres"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        connection.close()


def _drop_mysql(names: set[str]) -> None:
    with mysql_admin() as cursor:
        for name in names:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


def _kept_names(database_name: str) -> set[str]:
    base = f"test_{database_name}"
    return {base, f"{base}_other"} | {
        f"{name}_w{k}" for name in (base, f"{base}_other") for k in (1, 2)
    }


@pytest.fixture
def kept_databases(backend):
    """Names --keepdb keeps on a server (test databases and clones), dropped afterwards."""
    if backend == "postgres":
        names, drop = _kept_names(postgres_database_name()), _drop_pg
    elif backend == "mysql":
        names, drop = _kept_names(mysql_database_name()), _drop_mysql
    else:
        yield set()
        return
    drop(names)
    yield names
    drop(names)


def test_keepdb_reuses_databases_and_keeps_clones(backend, kept_databases):
    labels = ("library",)
    expected = sequential("--keepdb", *labels, backend=backend)
    if backend == "postgres":
        _drop_pg(kept_databases)  # the concurrent runs start from nothing
    elif backend == "mysql":
        _drop_mysql(kept_databases)

    first = concurrent("--keepdb", *labels, backend=backend)
    assert_same_verdicts(first, expected)
    kept = _pg_oids(kept_databases) if backend == "postgres" else {}
    clones = {name for name in kept_databases if re.search(r"_w\d$", name)}
    if backend == "mysql":
        assert kept_databases <= mysql_databases(), first.describe()
        # MySQL has no oids: a table added now must still be there after the second run.
        with mysql_admin() as cursor:
            for clone in clones:
                cursor.execute(f"CREATE TABLE `{clone}`.keepdb_sentinel (id INT)")
    second = concurrent("--keepdb", *labels, backend=backend)
    assert_same_verdicts(second, expected)

    if backend == "mysql":
        assert "Using existing test database" in second.output, second.describe()
        with mysql_admin() as cursor:
            cursor.execute(
                "SELECT TABLE_SCHEMA FROM information_schema.TABLES "
                "WHERE TABLE_NAME = 'keepdb_sentinel'"
            )
            assert clones <= {row[0] for row in cursor.fetchall()}, second.describe()

    if backend == "postgres":
        assert clones <= set(kept), f"clones not kept after the first run: {kept}"
        assert "Using existing test database" in second.output, second.describe()
        # Reused, not dropped and recreated: the same databases (same oids).
        assert _pg_oids(kept_databases) == kept, second.describe()


# --- order -----------------------------------------------------------------------------


def _order(path) -> dict[str, list[str]]:
    """Test ids per process, in the order they ran."""
    per_process: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        pid, test_id = line.split(" ", 1)
        per_process.setdefault(pid, []).append(test_id)
    return per_process


def _is_subsequence(items: list[str], of: list[str]) -> bool:
    remaining = iter(of)
    return all(item in remaining for item in items)


def _in_order_within_each_class(items: list[str], of: list[str]) -> bool:
    """Each class's tests ran in ``of``'s order (a unit runs in Django's order).

    Not the whole worker's list: a worker that runs dry takes the end of another's
    segment, which comes before its own in Django's order when it is the later one.
    """
    classes = {item.rpartition(".")[0] for item in items}
    return all(
        _is_subsequence(
            [item for item in items if item.rpartition(".")[0] == cls],
            [item for item in of if item.rpartition(".")[0] == cls],
        )
        for cls in classes
    )


def _ordered_runs(option_args, tmp_path, backend, runs=2):
    log = tmp_path / "sequential.log"
    expected = sequential(*option_args, *ORDERED, backend=backend, env={"ORDER_LOG": str(log)})
    (order,) = _order(log).values()
    concurrent_runs = []
    for number in range(runs):
        log = tmp_path / f"concurrent-{number}.log"
        run = concurrent(*option_args, *ORDERED, backend=backend, env={"ORDER_LOG": str(log)})
        assert_same_verdicts(run, expected)
        concurrent_runs.append((run, _order(log)))
    return expected, order, concurrent_runs


def test_shuffle_seed_gives_django_order_in_every_worker(tmp_path, backend):
    _expected, order, runs = _ordered_runs(("--shuffle", "99"), tmp_path, backend)
    unshuffled = sequential(*ORDERED, backend=backend, env={"ORDER_LOG": str(tmp_path / "u")})
    (plain,) = _order(tmp_path / "u").values()
    assert unshuffled.returncode == 0 and order != plain, "seed 99 must change the order"

    for run, per_worker in runs:
        assert "Using shuffle seed: 99 (given)" in run.output, run.describe()
        assert "Used shuffle seed: 99 (given)" in run.output, run.describe()
        assert len(per_worker) == 2, per_worker
        for worker_order in per_worker.values():
            assert _in_order_within_each_class(worker_order, order), (worker_order, order)


def test_shuffle_without_seed_prints_the_generated_seed(backend):
    run = concurrent(*ORDERED, "--shuffle", backend=backend)

    assert re.search(r"Used shuffle seed: \d+ \(generated\)", run.output), run.describe()
    assert run.returncode == 0, run.describe()


def test_reverse_gives_django_reversed_order_in_every_worker(tmp_path, backend):
    _expected, order, runs = _ordered_runs(("--reverse",), tmp_path, backend, runs=1)
    forward = sequential(*ORDERED, backend=backend, env={"ORDER_LOG": str(tmp_path / "f")})
    (plain,) = _order(tmp_path / "f").values()
    assert forward.returncode == 0 and order == plain[::-1], (order, plain)

    for _run, per_worker in runs:
        assert len(per_worker) == 2, per_worker
        for worker_order in per_worker.values():
            assert _in_order_within_each_class(worker_order, order), (worker_order, order)


# --- output ----------------------------------------------------------------------------

MARKERS = [
    "TAGGED-STDOUT-PASSING",
    "TAGGED-STDERR-PASSING",
    "TAGGED-STDOUT-FAILING",
    "TAGGED-STDERR-FAILING",
    "TAGGED-STDOUT-SETUPCLASS",
    "TAGGED-STDERR-SETUPCLASS",
    "Stdout:",
    "Stderr:",
]


@pytest.mark.parametrize("verbosity", ["1", "2"])
def test_buffer_shows_output_of_failing_tests_only(verbosity, backend):
    labels = ("--buffer", f"{TAGGED}.PrintingFailureTests", f"{TAGGED}.PrintingSetUpClassTests")
    expected = sequential(*labels, backend=backend)
    run = concurrent(*labels, backend=backend)
    assert_same_verdicts(run, expected)
    if verbosity == "1":
        expected = run_manage("test", "--testrunner", BASELINE_RUNNER, *labels, backend=backend)
        run = run_manage("concurrenttest", "--workers", "2", *labels, backend=backend)

    for marker in MARKERS:
        assert run.output.count(marker) == expected.output.count(marker), (
            f"{marker!r}: {run.output.count(marker)} times, Django's runner "
            f"{expected.output.count(marker)}\n\n{run.describe()}\n\n{expected.describe()}"
        )
    assert "TAGGED-STDOUT-PASSING" not in run.output, run.describe()
    assert "TAGGED-STDOUT-FAILING" in run.output, run.describe()
    assert "TAGGED-STDOUT-SETUPCLASS" in run.output, run.describe()
    # The output follows its test's status, as unittest mirrors it at stopTest.
    assert re.search(r"(FAIL|F)\nStdout:\nTAGGED-STDOUT-FAILING", run.stderr + run.stdout) or (
        "Stdout:\nTAGGED-STDOUT-FAILING" in run.output
    ), run.describe()


def _failure_section(text: str, test_id: str) -> str:
    """The console text of one failure block, from its heading to the next one."""
    name = test_id.rpartition(".")[2]
    start = text.index(f"FAIL: {name} (")
    ends = [i for i in (text.find(SEPARATOR1, start), text.find("\nRan ", start)) if i >= 0]
    return text[start : min(ends)]


def test_debug_sql_prints_the_failing_tests_sql(backend):
    labels = ("--debug-sql", f"{TAGGED}.PrintingFailureTests", f"{TAGGED}.FastTests")
    run, expected = compare(*labels, backend=backend)

    failing = f"{TAGGED}.PrintingFailureTests.test_prints_and_fails"
    for completed in (expected, run):
        section = _failure_section(completed.stderr, failing)
        assert "TAGGED-SQL-FAILING" in section, completed.describe()
        assert "TAGGED-SQL-PASSING" not in section, completed.describe()
        assert "library_author" in section, completed.describe()
    # -v 2 prints every test's SQL after it, the passing one's too.
    assert run.stderr.count("TAGGED-SQL-PASSING") == expected.stderr.count("TAGGED-SQL-PASSING")


def test_debug_mode_sets_debug_in_workers(backend):
    labels = (f"{TAGGED}.EnvironmentTests", f"{TAGGED}.FastTests")

    run, _expected = compare("--debug-mode", *labels, backend=backend, env={"EXPECT_DEBUG": "1"})
    assert run.returncode == 0, run.describe()
    # The check can fail: without the option DEBUG stays False.
    without = concurrent(*labels, backend=backend, env={"EXPECT_DEBUG": "1"})
    assert without.returncode == 1, without.describe()


def test_timing_prints_the_phases(backend):
    run, expected = compare("--timing", *ORDERED, backend=backend)

    for line in ("Total database setup took", "Total database teardown took", "Total run took"):
        assert line in expected.output, expected.describe()
        assert line in run.output, run.describe()


DURATIONS_RE = re.compile(r"^Slowest test durations\n-+\n((?:\d+\.\d+s .*\n)*)", re.MULTILINE)


def _durations(completed) -> list[str]:
    match = DURATIONS_RE.search(completed.stderr)
    assert match, completed.describe()
    return [line.split(" ", 1)[1] for line in match[1].splitlines()]


@pytest.mark.skipif(
    sys.version_info < (3, 12),
    reason="--durations needs Python >= 3.12; .ci/matrix runs it on 3.12 and 3.13",
)
def test_durations_lists_slowest_tests_of_all_workers(backend):
    run, expected = compare("--durations", "0", *ORDERED, backend=backend)
    assert set(_durations(run)) == set(_durations(expected)), run.describe()
    assert len(_durations(run)) == len(run.report.ids), run.describe()

    run = concurrent("--durations", "2", *ORDERED, backend=backend)
    assert len(_durations(run)) == 2, run.describe()


def test_pdb_runs_sequentially_and_says_why(backend):
    labels = ("library.tests.test_isbn",)
    expected = sequential("--pdb", *labels, backend=backend)

    run = concurrent("--pdb", *labels, backend=backend)

    assert_same_verdicts(run, expected, workers=None)
    assert fallback_reasons(run) == ["--pdb needs the tests in this process"], run.describe()
    assert started_workers(run) == [], run.describe()


@pytest.mark.parametrize("workers", [2, 3])
def test_parallel_is_workers_for_concurrenttest(workers, backend):
    expected = sequential("library.tests.test_isbn", backend=backend)

    run = run_manage(
        "concurrenttest", "--parallel", str(workers), "-v", "2", "library.tests.test_isbn",
        backend=backend,
    )  # fmt: skip

    assert_same_verdicts(run, expected, workers=workers)


@pytest.mark.parametrize("flag", ["--noinput", "--no-input"])
def test_noinput(flag, backend):
    run = run_manage("concurrenttest", "--workers", "2", flag, *ORDERED, backend=backend)

    assert run.returncode == 0, run.describe()
    assert started_workers(run) == [2], run.describe()


def test_settings_option_reaches_the_workers(backend):
    settings = "testproject.variants.extra_app"
    env = {"EXPECT_SETTINGS": settings}
    labels = ("--settings", settings, f"{TAGGED}.EnvironmentTests", f"{TAGGED}.FastTests")

    run, _expected = compare(*labels, backend=backend, env=env)

    assert run.returncode == 0, run.describe()
    wrong = concurrent(*labels[2:], backend=backend, env=env)
    assert wrong.returncode == 1, wrong.describe()


def test_pythonpath_option_reaches_the_workers(tmp_path, backend):
    (tmp_path / "fid_extra_tests.py").write_text(
        textwrap.dedent(
            """
            from django.test import SimpleTestCase

            class FirstTests(SimpleTestCase):
                def test_one(self):
                    pass

            class SecondTests(SimpleTestCase):
                def test_two(self):
                    self.fail("PYTHONPATH-FAIL-MARKER")
            """
        )
    )
    run, _expected = compare("--pythonpath", str(tmp_path), "fid_extra_tests", backend=backend)

    assert run.report.ids == {"fid_extra_tests.FirstTests.test_one",
                              "fid_extra_tests.SecondTests.test_two"}, run.describe()  # fmt: skip
    assert run.returncode == 1, run.describe()


@pytest.mark.parametrize("verbosity", ["0", "1", "3"])
def test_verbosity(verbosity, backend):
    labels = ("-v", verbosity, "scenarios.outcomes", *ORDERED)
    expected = run_manage("test", "--testrunner", BASELINE_RUNNER, *labels, backend=backend)

    run = run_manage("concurrenttest", "--workers", "2", *labels, backend=backend)

    assert run.returncode == expected.returncode == 1, run.describe()
    assert run.report.ran == expected.report.ran, run.describe()
    assert run.report.summary == expected.report.summary, run.describe()
    assert run.report.blocks == expected.report.blocks, run.describe()
    if verbosity == "3":
        mine, theirs = paired_verdicts(run.report, expected.report)
        assert mine == theirs, verdict_difference(run.report, expected.report) + run.describe()
    if verbosity == "0":
        assert "[CONCURRENT]" not in run.output, run.describe()
    else:
        assert started_workers(run) == [2], run.describe()


# --- entry points ----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["test", "concurrenttest"])
def test_help_lists_the_runners_options(command):
    run = run_manage(command, "--help")

    assert run.returncode == 0, run.describe()
    for flag in ("--workers", "--timeout", "--junitxml", "--keepdb", "--shuffle", "--parallel"):
        assert flag in run.stdout, run.describe()


def test_guide_command_with_runner_alias(tmp_path, backend):
    """The guide's CI command, with TEST_RUNNER left at Django's default."""
    report = tmp_path / "test-results.xml"
    run = run_manage(
        "test",
        "--settings",
        "testproject.variants.default_runner",
        f"--runner={CONCURRENT_RUNNER}",
        f"--junitxml={report}",
        "--workers",
        "2",
        "library",
        backend=backend,
    )

    assert run.returncode == 0, run.describe()
    assert started_workers(run) == [2], run.describe()
    root = validated_junit(report)
    assert len(list(root.iter("testcase"))) > 10


def test_runner_alias_selects_the_runner(backend):
    run = run_manage(
        "test", "--runner", BASELINE_RUNNER, "-v", "2", "library.tests.test_isbn", backend=backend
    )

    assert run.returncode == 0, run.describe()
    assert "[CONCURRENT]" not in run.output, run.describe()
    assert run.report.ran, run.describe()


def test_projects_own_test_command_listed_first_still_wins():
    run = run_manage("test", "--settings", "testproject.variants.own_test_command", "library")

    assert "OWN-TEST-COMMAND ran" in run.stdout, run.describe()
    assert "[CONCURRENT]" not in run.output, run.describe()
