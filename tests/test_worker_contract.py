"""A worker does before its first test what Django's own spawn worker does (issue #26).

Functional: the subtests of scenarios.subtest_params, whose parameter is a queryset that
raises when evaluated, and the backend marks of scenarios.backend_marks, each compared
with Django's sequential run on SQLite and PostgreSQL, a first and a warm run. Then one
real spawn worker, bound as the parent binds it, runs a test that reads its state: the
worker's number, the debug mode, the serialized contents, its clone's settings (seen
from a new thread too) and the backend's marks (README "What a worker does before its
first test"), and that it ran the system checks on its databases.
"""

from __future__ import annotations

import multiprocessing

from helpers import concurrent, fallback_reasons, sequential, started_workers
from test_options import assert_same_verdicts

from concurrent_test_app.events import (
    AliasBinding,
    Batch,
    Booted,
    Preload,
    Ready,
    RemoteError,
    Stop,
    TestEvents,
    Unit,
    UnitDone,
    Verify,
)
from concurrent_test_app.worker import WorkerSpec, worker_main

SUBTESTS = "scenarios.subtest_params"
MARKS = ("--settings", "testproject.variants.backend_marks", "scenarios.backend_marks")
# As Django's runtests.py sets it: only then does Django apply a backend's marks.
DJANGOS_SUITE = {"RUNNING_DJANGOS_TEST_SUITE": "true"}
SQLITE_IDENTITY = "SELECT file FROM pragma_database_list WHERE name = 'main'"
REFUSING_WORKERS = {"DJANGO_TEST_WORKER_SETUP": "scenarios.backend_marks.refuse_in_workers"}


def test_backend_skips_and_expected_failures_reach_the_workers(backend, tmp_path):
    expected = sequential(*MARKS, backend=backend, env=DJANGOS_SUITE)
    assert "skipped=1, expected failures=1" in expected.stderr, expected.describe()
    args = ("--timings-file", str(tmp_path / "timings.json"), *MARKS)
    for _warm in (False, True):  # a first run, then one planned from its timings
        assert_same_verdicts(concurrent(*args, backend=backend, env=DJANGOS_SUITE), expected)
    # Workers that cannot start: the run goes on in-process, on the cached template,
    # which create_test_db did not make in this process (so did not mark either).
    run = concurrent(*args, backend=backend, env={**DJANGOS_SUITE, **REFUSING_WORKERS})
    assert "a worker could not start" in " ".join(fallback_reasons(run)), run.describe()
    assert "Using cached database template" in run.stdout, run.describe()
    assert_same_verdicts(run, expected, workers=None)


def test_subtest_parameters_are_evaluated_only_when_the_subtest_fails(backend, tmp_path):
    expected = sequential(SUBTESTS, backend=backend)
    failing = f"{SUBTESTS}.QuerySetParameterTests.test_failing_subtest"
    # Django's own run fails it too (on 3.11+ while printing the subtest: its repr raises).
    assert "FAIL block" in _verdicts(expected)[failing], expected.describe()
    args = ("--timings-file", str(tmp_path / "timings.json"), SUBTESTS)
    for _warm in (False, True):  # a first run, then one planned from its timings
        run = concurrent(*args, backend=backend)
        assert started_workers(run) == [2] and not fallback_reasons(run), run.describe()
        assert _verdicts(run) == _verdicts(expected), run.describe() + expected.describe()
        assert run.report.summary == expected.report.summary, run.describe()
        assert run.report.ran == expected.report.ran == 3, run.describe()
        assert run.returncode == expected.returncode == 1, run.describe()
        # The failure itself is kept; the parameter is named by its type.
        assert "QUERYSET-SUBTEST-FAIL-MARKER" in run.stderr, run.describe()
        assert "(qs=<django.db.models.query.QuerySet: unpicklable" in run.stderr, run.describe()


def _verdicts(run) -> dict[str, list[str]]:
    """Each test's status lines and failure blocks, a subtest's counted as its test's.

    The subtest descriptions differ: Django's run prints the queryset after the test.
    """
    verdicts: dict[str, list[str]] = {}
    for test_id, outcome in run.report.outcomes:
        verdicts.setdefault(test_id.split(" ")[0], []).append(outcome)
    for kind, test_id in run.report.blocks:
        verdicts.setdefault(test_id.split(" ")[0], []).append(f"{kind} block")
    return {test: sorted(outcomes) for test, outcomes in verdicts.items()}


# --- one real spawn worker, probed by a test it runs ----------------------------------

NOT_OUTCOMES = {"startTest", "stopTest", "addDuration"}
PROBE_SETTINGS = """
SECRET_KEY = "probe"
INSTALLED_APPS = ["contract_probe"]
DATABASES = {"default": {"ENGINE": "contract_probe.backend", "NAME": "configured.sqlite3"}}
USE_TZ = True
DEBUG = False
"""
PROBE_BACKEND = """
from django.db.backends.sqlite3 import base
from django.utils.functional import cached_property


class Features(base.DatabaseWrapper.features_class):
    @cached_property
    def django_test_skips(self):
        return {"PROBE-SKIP": {"contract_probe.tests.ProbeTests.test_skipped_by_the_backend"}}


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = Features
"""
PROBE_CHECK = """
from django.core import checks

CHECKED = []  # the databases of each run of the system checks in this process


@checks.register(checks.Tags.database)
def record(app_configs, databases=None, **kwargs):
    CHECKED.append(sorted(databases or ()))
    return []
"""
PROBE_TESTS = """
import threading
import unittest

import django

import django.test.runner
from django.conf import settings
from django.core import mail
from django.db import connections

from contract_probe.models import CHECKED


class ProbeTests(unittest.TestCase):
    def test_state_at_first_test(self):
        seen = {}
        thread = threading.Thread(target=lambda: seen.update(name=connections["default"].settings_dict["NAME"]))
        thread.start()
        thread.join()
        self.assertEqual(
            {
                "worker id": django.test.runner._worker_id,
                "debug": settings.DEBUG,
                "test environment": (settings.EMAIL_BACKEND, mail.outbox),
                "serialized": connections["default"]._test_serialized_contents,
                "name": connections["default"].settings_dict["NAME"],
                "name in settings": settings.DATABASES["default"]["NAME"],
                "name in a new thread": seen["name"],
                "system checks": CHECKED,
            },
            {
                "worker id": 3,
                "debug": True,
                "test environment": ("django.core.mail.backends.locmem.EmailBackend", []),
                "serialized": "PROBE-SERIALIZED",
                "name": CLONE,
                "name in settings": CLONE,
                "name in a new thread": CLONE,
                # every check without databases while preloading (Django 6 leaves the
                # database-tagged ones out there), then the database ones once bound
                "system checks": [[], ["default"]] if django.VERSION < (6,) else [["default"]],
            },
        )

    def test_skipped_by_the_backend(self):
        self.fail("PROBE-NOT-SKIPPED")
"""


def test_a_worker_does_what_djangos_spawn_worker_does_before_its_first_test(tmp_path, monkeypatch):
    """Worker number, debug mode, serialized contents, its clone, backend marks, checks."""
    clone = tmp_path / "clone.sqlite3"
    package = tmp_path / "contract_probe"
    (package / "backend").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "backend" / "__init__.py").write_text("")
    (package / "backend" / "base.py").write_text(PROBE_BACKEND)
    (package / "models.py").write_text(PROBE_CHECK)
    (package / "tests.py").write_text(f"CLONE = {str(clone)!r}\n{PROBE_TESTS}")
    (tmp_path / "probe_settings.py").write_text(PROBE_SETTINGS)
    monkeypatch.syspath_prepend(str(tmp_path))  # a spawned child gets the parent's sys.path
    monkeypatch.setenv("RUNNING_DJANGOS_TEST_SUITE", "true")  # and its environment
    monkeypatch.chdir(tmp_path)
    order = Verify(
        (
            AliasBinding(
                "default", {"NAME": str(clone)}, str(clone.resolve()), SQLITE_IDENTITY, True
            ),
        ),
        {"default": "PROBE-SERIALIZED"},
        worker_id=3,
    )
    tests = (
        "contract_probe.tests.ProbeTests.test_state_at_first_test",
        "contract_probe.tests.ProbeTests.test_skipped_by_the_backend",
    )
    calls = _run_in_a_worker(WorkerSpec(3, "probe_settings", debug_mode=True), order, tests)

    # Each test's outcome calls; Python 3.12+ reports durations too (addDuration).
    outcomes = [[call for call in test if call[0] not in NOT_OUTCOMES] for test in calls]
    assert outcomes[0] == [("addSuccess", ())], calls[0]
    assert outcomes[1] == [("addSkip", ("PROBE-SKIP",))], calls[1]


def _run_in_a_worker(spec, order, tests) -> list[list[tuple]]:
    """Boot a real spawn worker, bind it by ``order``, run ``tests`` as one unit: each test's calls."""
    context = multiprocessing.get_context("spawn")
    parent_conn, child_conn = context.Pipe()
    process = context.Process(target=worker_main, args=(spec, child_conn), daemon=True)
    process.start()
    child_conn.close()
    try:
        parent_conn.send(Preload((), (), checks=("default",)))  # the parent ran its checks
        assert isinstance(_receive(parent_conn), Booted)
        parent_conn.send(order)
        ready = _receive(parent_conn)
        assert isinstance(ready, Ready), ready
        parent_conn.send(Unit(0, tuple(enumerate(tests))))
        calls: dict[int, list[tuple]] = {}
        message = _receive(parent_conn)
        while not isinstance(message, UnitDone):
            for part in message.messages if isinstance(message, Batch) else (message,):
                if isinstance(part, TestEvents):
                    shown = [(call.method, _shown(call.args)) for call in part.calls]
                    calls.setdefault(part.test, []).extend(shown)  # a late call comes alone
            message = _receive(parent_conn)
        parent_conn.send(Stop())
    finally:
        process.join(60)
        if process.is_alive():
            process.kill()
    return [calls[index] for index in range(len(tests))]


def _receive(conn):
    """The worker's next message (a generous bound: only a hung worker reaches it)."""
    assert conn.poll(120), "the worker sent nothing"
    return conn.recv()


def _shown(args: tuple) -> tuple:
    """Call arguments, an error as its formatted text (a failure's message shows there)."""
    return tuple(arg.formatted if isinstance(arg, RemoteError) else arg for arg in args)
