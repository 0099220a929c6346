"""Workers import what the parent imported before their first test, as forked ones would.

Each of the two units below runs in its own worker; one of them passes only if the
module the other one's test module imports is already loaded in its worker.
"""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

from helpers import concurrent, sequential
from test_options import assert_same_verdicts

LABEL = "scenarios.preload"


def test_workers_see_modules_other_test_modules_imported(backend):
    expected = sequential(LABEL, backend=backend)
    run = concurrent(LABEL, backend=backend)

    assert expected.returncode == 0, expected.describe()
    assert_same_verdicts(run, expected)
    assert run.report.outcome_of(
        "scenarios.preload.test_registry.RegistryTests.test_every_plugin_is_registered"
    ) == ["ok"], run.describe()


SLOW_MODULE = "scenarios.slow_import.slow"
SLOW_IMPORT_SECONDS = 0.25  # the scenario module sleeps 0.5 s while it is imported
# Not test*.py, so that the demo's default discovery does not find them.
SLOW_IMPORT = (SLOW_MODULE, "scenarios.slow_import.quick")


def _workers_by_class(junit_path) -> dict[str, str]:
    suites = ElementTree.parse(junit_path).getroot().iter("testsuite")
    return {
        suite.get("name"): suite.find("properties/property[@name='worker']").get("value")
        for suite in suites
    }


def test_a_slow_import_is_timed_and_every_worker_imports_it_before_its_first_test(tmp_path):
    timings, junit = tmp_path / "timings.json", tmp_path / "junit.xml"
    args = ("--timings-file", str(timings), "--junitxml", str(junit), *SLOW_IMPORT)

    first = concurrent(*args, backend="sqlite")
    assert first.returncode == 0, first.describe()
    first_store = timings.read_text()
    modules = json.loads(first_store)["modules"]
    # Imported while the databases were being cloned, the half-second import is on record.
    assert modules[SLOW_MODULE][0] >= SLOW_IMPORT_SECONDS, modules

    second = concurrent(*args, backend="sqlite")
    assert second.returncode == 0, second.describe()
    # Every worker imported it before its first test (the quick module's import-state
    # test passes in whichever worker runs it), so no unit pays for the import: the
    # plan is the classes' stored times alone.
    chunks = re.findall(r"Chunk \d+: \d+ tests, estimated time: ([\d.]+)s", second.stdout)
    stored = json.loads(first_store).get("units", {}).values()
    expected = sum(entry[0] for entry in stored)
    assert len(chunks) == 2 and abs(sum(map(float, chunks)) - expected) < 0.02, second.stdout
    assert len(set(_workers_by_class(junit).values())) == 2, second.describe()


LATE_IMPORT = ("scenarios.late_import.registering", "scenarios.late_import.neighbours")


def test_a_unit_whose_module_fails_to_import_in_a_worker_errors_and_the_worker_goes_on():
    # Spawn, also when the suite runs under forkserver (SUITE_START_METHOD): the module
    # raises only in a multiprocessing child, and a forkserver, which imports it first,
    # is not one, so its workers would inherit it imported.
    run = concurrent(*LATE_IMPORT, backend="sqlite", env={"DJANGO_TEST_START_METHOD": "spawn"})

    assert run.returncode == 1, run.describe()
    assert "died" not in run.output, run.describe()
    for name in ("test_one", "test_two"):
        test_id = f"scenarios.late_import.registering.RegisteredTests.{name}"
        assert run.report.outcome_of(test_id) == ["ERROR"], run.describe()
    assert "RuntimeError: the plugin registry was cleared" in run.output, run.describe()
    assert run.output.count("could not load 2 tests") == 1, run.describe()
    for name in ("FirstNeighbourTests", "SecondNeighbourTests", "ThirdNeighbourTests"):
        test_id = f"scenarios.late_import.neighbours.{name}.test_one"
        assert run.report.outcome_of(test_id) == ["ok"], run.describe()
