"""Unit tests of benchmarks/realsuites: reading a run's console and building its command."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REALSUITES = Path(__file__).resolve().parent.parent / "benchmarks" / "realsuites"


def load(name: str):
    """A module of benchmarks/realsuites, loaded under a name no other module uses."""
    spec = importlib.util.spec_from_file_location(f"realsuites_{name}", REALSUITES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


parse = load("outcomes").parse
suites = load("suites")
DJANGO_RUNNER, OUR_RUNNER, SUITES, Run = (
    suites.DJANGO_RUNNER,
    suites.OUR_RUNNER,
    suites.SUITES,
    suites.Run,
)

SEQUENTIAL = """\
Found 3 test(s).
.F.
======================================================================
FAIL: test_b (app.tests.Case.test_b)
----------------------------------------------------------------------
AssertionError: 1 != 2

----------------------------------------------------------------------
Ran 3 tests in 0.012s

FAILED (failures=1, skipped=2, expected failures=3)
Ran 21 tests in 0.5s

OK
"""

OURS = """\
[CONCURRENT] Falling back to sequential testing: settings were configured in code
.E.
======================================================================
ERROR: test_a (app.tests.Case.test_a)
----------------------------------------------------------------------
Ran 3 tests in 0.010s
[CONCURRENT] Order check: test_a passes alone

FAILED (errors=1)
"""


def test_parse_reads_every_suite_of_a_script_and_its_failing_ids():
    report = parse(SEQUENTIAL, 1)
    assert report.ran == ("Ran 3 tests", "Ran 21 tests")
    assert report.verdicts == ("FAILED (failures=1, skipped=2, expected failures=3)", "OK")
    assert report.failing == {"FAIL: test_b (app.tests.Case.test_b)"}
    assert report.fallbacks == ()
    assert report.same_as(parse(SEQUENTIAL, 1))
    assert not report.same_as(parse(SEQUENTIAL, 0))


def test_differences_name_the_verdict_the_failing_ids_and_the_fallback():
    ours, reference = parse(OURS, 1), parse(SEQUENTIAL, 1)
    assert ours.verdicts == ("FAILED (errors=1)",)  # found past a line between
    assert ours.fallbacks == ("settings were configured in code",)
    found = "\n".join(ours.differences(reference))
    assert "Ran ('Ran 3 tests',) vs ('Ran 3 tests', 'Ran 21 tests')" in found
    assert "1 failing only here, e.g. ['ERROR: test_a (app.tests.Case.test_a)']" in found
    assert "1 failing only in the reference" in found


def test_a_run_without_verdict_says_so():
    assert parse("Ran 2 tests in 0.1s\n\nTraceback ...\n", None).verdicts == ("(no verdict)",)


@pytest.mark.parametrize(
    ("suite", "runner", "expected"),
    [
        ("django-tables2", OUR_RUNNER, ["manage.py", "test", "--noinput", "-v", "1"]),
        ("django-filter", DJANGO_RUNNER, ["runtests.py", "--noinput", "-v", "1"]),
        ("django", DJANGO_RUNNER, ["runtests.py", "--settings", "test_sqlite"]),
        ("django", OUR_RUNNER, ["runtests.py", "--settings", "concurrent_settings"]),
    ],
)
def test_commands_pass_the_runner_and_the_worker_count(suite, runner, expected):
    command = SUITES[suite].command(Run(runner, 2))
    assert command[: len(expected)] == expected
    assert command[command.index("--parallel") + 1] == "2"
    if suite != "django":
        assert command[command.index("--testrunner") + 1] == runner


def test_a_configured_suite_runs_through_the_driver_with_the_runner():
    command = SUITES["django-simple-history"].command(Run(OUR_RUNNER, 2))
    assert Path(command[0]).name == "drive_configured.py"
    assert command[1:] == ["runtests.py", "--runner", OUR_RUNNER, "--parallel", "2"]
