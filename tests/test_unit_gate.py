"""Unit tests of the gate (concurrent or sequential, and why) and of the runner's phase map."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, replace

import pytest
from django.test.runner import DiscoverRunner

from concurrent_test_app import runner as runner_module
from concurrent_test_app.gate import (
    GateInputs,
    backend_reason,
    checks_permissions,
    sequential_reason,
)


@dataclass(frozen=True)
class FakeGroup:
    """A test database as the gate sees it: a vendor and its primary alias."""

    vendor: str
    primary: str = "default"


CONCURRENT = GateInputs(
    production=None,
    pdb=False,
    workers=2,
    units=2,
    settings_problem=None,
    groups=(FakeGroup("sqlite"), FakeGroup("postgresql", "other"), FakeGroup("mysql", "m")),
)


def test_a_run_with_nothing_against_it_is_concurrent():
    assert sequential_reason(CONCURRENT) is None


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"production": "DJANGO_ENV='prod'"},
         ("Concurrent testing not allowed in production; "
          "the environment looks like production (DJANGO_ENV='prod')")),
        ({"pdb": True}, "--pdb needs the tests in this process"),
        ({"workers": 1}, "1 worker requested"),
        ({"units": 1}, "1 test class(es) to run, nothing to distribute"),
        ({"units": 0}, "0 test class(es) to run, nothing to distribute"),
        ({"settings_problem": "setting X (function, configured in code) cannot be carried"},
         "setting X (function, configured in code) cannot be carried"),
        ({"groups": (FakeGroup("sqlite"), FakeGroup("oracle", "legacy"))},
         ("database backend 'oracle' (alias 'legacy') cannot be cloned; "
          "supported: sqlite, postgresql, mysql")),
        ({"worker_start_error": "worker 2 exited with status 1"},
         "a worker could not start: worker 2 exited with status 1"),
        ({"test_seconds": 0.25, "startup_seconds": 1.5},
         ("the tests take 0.25s by the timing store, less than starting the workers "
          "(1.50s last time); --workers N runs them concurrently")),
    ],
)  # fmt: skip
def test_each_reason_is_named(change, reason):
    assert sequential_reason(replace(CONCURRENT, **change)) == reason


def test_the_first_reason_in_the_documented_order_wins():
    everything = GateInputs(
        production="DEBUG = False with SECURE_SSL_REDIRECT = True",
        pdb=True,
        workers=1,
        units=1,
        settings_problem="setting X cannot be carried",
        groups=(FakeGroup("oracle"),),
        worker_start_error="boom",
    )
    seen = []
    inputs = everything
    for name in ["production", "pdb", "workers", "units", "settings_problem", "groups"]:
        seen.append(sequential_reason(inputs))
        inputs = replace(inputs, **{name: getattr(CONCURRENT, name)})  # that reason gone
    seen.append(sequential_reason(inputs))
    expected = ["Concurrent testing", "--pdb", "1 worker", "1 test class", "setting X",
                "database backend", "a worker could not start: boom"]  # fmt: skip
    assert [reason[: len(start)] for reason, start in zip(seen, expected, strict=True)] == expected
    assert sequential_reason(replace(inputs, worker_start_error=None)) is None


@pytest.mark.parametrize(
    "test_seconds, startup_seconds", [(None, 1.5), (0.25, None), (1.5, 1.5), (9.0, 1.5)]
)
def test_a_suite_is_small_only_when_both_figures_are_known_and_it_is(test_seconds, startup_seconds):
    run = replace(CONCURRENT, test_seconds=test_seconds, startup_seconds=startup_seconds)
    assert sequential_reason(run) is None


def test_the_early_check_before_discovery_knows_no_databases():
    # setup_test_environment asks with 2 units and no groups: only the earlier reasons count.
    early = replace(CONCURRENT, groups=())
    assert sequential_reason(early) is None
    assert backend_reason(()) is None
    assert backend_reason([FakeGroup("sqlite"), FakeGroup("mysql")]) is None


@pytest.mark.parametrize(
    "concurrent, keepdb, checked",
    [(True, False, True), (True, True, True), (False, False, True), (False, True, False)],
)
def test_permissions_are_checked_whenever_the_run_creates_databases(concurrent, keepdb, checked):
    assert checks_permissions(concurrent, keepdb) is checked


def _diagram() -> list[tuple[str, list[str]]]:
    """The runner docstring's hooks, in its order, each with the phases it names."""
    rows: list[tuple[str, list[str]]] = []
    for line in runner_module.__doc__.splitlines():
        match = re.match(r"\s+(?:[├└] )?(\w+)\s+(_\w+):", line)
        if match:
            rows.append((match[1], [match[2]]))
        else:
            continued = re.match(r"\s+│?\s+(_\w+):", line)
            if continued and rows:
                rows[-1][1].append(continued[1])
    return rows


def test_the_docstring_diagram_is_the_order_django_calls_the_hooks_and_their_phases():
    rows = _diagram()
    hooks = [hook for hook, _phases in rows]
    cls = runner_module.ConcurrentTestRunner
    django_order = inspect.getsource(DiscoverRunner.run_tests)
    overridden = {name for name in vars(cls) if f"self.{name}(" in django_order}
    assert hooks[0] == "run_tests"
    assert set(hooks[1:]) == overridden, "every hook we override is in the diagram"
    positions = [django_order.index(f"self.{hook}(") for hook in hooks[1:]]
    assert positions == sorted(positions), hooks
    for hook, phases in rows:
        source = inspect.getsource(getattr(cls, hook))
        calls = [source.index(f"self.{phase}(") for phase in phases]
        assert calls == sorted(calls), (hook, phases)
        for phase in phases:
            assert callable(getattr(cls, phase)), phase


def test_every_step_the_diagram_names_is_a_method_of_the_runner():
    named = set(re.findall(r"\b(_[a-z]\w+)\b", runner_module.__doc__))
    assert {"_create_clones", "_verify_workers", "_run_in_pool"} <= named
    missing = {name for name in named if not hasattr(runner_module.ConcurrentTestRunner, name)}
    assert missing == set()
