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

from concurrent_test_app.planning import HEAVY_IMPORT_SECONDS

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
# Not test*.py, so that the demo's default discovery does not find them.
SLOW_IMPORT = (SLOW_MODULE, "scenarios.slow_import.quick")


def _workers_by_class(junit_path) -> dict[str, str]:
    suites = ElementTree.parse(junit_path).getroot().iter("testsuite")
    return {
        suite.get("name"): suite.find("properties/property[@name='worker']").get("value")
        for suite in suites
    }


def test_a_slow_import_is_timed_even_when_preloaded_and_then_kept_in_one_worker(tmp_path):
    timings, junit = tmp_path / "timings.json", tmp_path / "junit.xml"
    args = ("--timings-file", str(timings), "--junitxml", str(junit), *SLOW_IMPORT)

    first = concurrent(*args, backend="sqlite")
    assert first.returncode == 0, first.describe()
    first_store = timings.read_text()
    modules = json.loads(first_store)["modules"]
    # Imported while idle or inside its unit, the half-second import is on record.
    assert modules[SLOW_MODULE][0] >= HEAVY_IMPORT_SECONDS, modules

    second = concurrent(*args, backend="sqlite")
    assert second.returncode == 0, second.describe()
    # The plan counts the import in the unit that now pays for it, beside the
    # classes' stored times (each chunk's estimate is printed to 2 decimals).
    chunks = re.findall(r"Chunk \d+: \d+ tests, estimated time: ([\d.]+)s", second.stdout)
    stored = json.loads(first_store).get("units", {}).values()
    expected = sum(entry[0] for entry in stored) + modules[SLOW_MODULE][0]
    assert len(chunks) == 2 and abs(sum(map(float, chunks)) - expected) < 0.02, second.stdout
    workers = _workers_by_class(junit)
    slow = {
        workers[f"{SLOW_MODULE}.{name}"]
        for name in ("FirstSlowModuleTests", "SecondSlowModuleTests")
    }
    assert len(slow) == 1 and "," not in slow.pop(), workers
