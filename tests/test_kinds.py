"""Every kind of test a Django project may hold gives the verdicts of a sequential run.

LiveServerTestCase, StaticLiveServerTestCase, serialized_rollback,
``databases = "__all__"``, mirrored aliases and TEST DEPENDENCIES, setUpTestData with
mutable attributes, async tests, plain unittest classes, doctests and the load_tests
protocol: each scenario runs under Django's DiscoverRunner and ``concurrenttest
--workers 2``, compared as in test_options.
"""

from __future__ import annotations

from conftest import ALL_BACKENDS, backend_fixture
from helpers import concurrent, sequential
from test_options import assert_same_verdicts

# Parity is compared on every database of the matrix, MySQL/MariaDB included.
backend = backend_fixture(ALL_BACKENDS)


def test_test_kinds(backend):
    expected = sequential("scenarios.kinds", backend=backend)
    run = concurrent("scenarios.kinds", backend=backend)

    assert_same_verdicts(run, expected)
    assert run.returncode == 0, run.describe()
    ids = run.report.ids
    for name in ("FirstLiveServerTests", "SecondLiveServerTests", "AsyncDatabaseTests"):
        assert f"scenarios.kinds.{name}.test_" in " ".join(sorted(ids)), run.describe()
    for name in ("FirstLiveServerTests", "SecondLiveServerTests"):
        test_id = f"scenarios.kinds.{name}.test_live_server_answers"
        assert run.report.outcome_of(test_id) == ["ok"], run.describe()
    # StaticLiveServerTestCase: each class's own server answers and serves the
    # apps' static files through the finders.
    for name in ("FirstStaticLiveServerTests", "SecondStaticLiveServerTests"):
        for test in ("test_live_server_answers", "test_static_file_is_served"):
            test_id = f"scenarios.kinds.{name}.{test}"
            assert run.report.outcome_of(test_id) == ["ok"], run.describe()


def test_load_tests_protocol_and_doctests(backend):
    labels = ("scenarios.loadtests",)
    expected = sequential(*labels, backend=backend)
    run = concurrent(*labels, backend=backend)

    assert_same_verdicts(run, expected)
    assert run.report.outcome_of("scenarios.loadtests.add") == ["ok"], run.describe()
    assert ("FAIL", "scenarios.loadtests.broken") in run.report.blocks, run.describe()
    assert "LOADTESTS-DOCTEST-MARKER" in run.stderr, run.describe()
    assert not any("LeftOutTests" in test_id for test_id in run.report.ids), run.describe()


def test_mirror_and_dependencies(backend):
    labels = ("--settings", "testproject.variants.multidb", "scenarios.multidb")
    expected = sequential(*labels, backend=backend)
    run = concurrent(*labels, backend=backend)

    assert_same_verdicts(run, expected)
    assert run.returncode == 0, run.describe()
    assert len(run.report.ids) == 4, run.describe()
