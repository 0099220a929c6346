"""A straggler class with cheap fixtures is cut into pieces on the next run, same verdicts."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from helpers import concurrent, sequential
from test_options import assert_same_verdicts

LABEL = "scenarios.long_class"
LONG = "scenarios.long_class.LongJourneyTests"


def _workers_of(junit_path, suite_name: str) -> set[str]:
    for suite in ElementTree.parse(junit_path).getroot().iter("testsuite"):
        if suite.get("name") == suite_name:
            return set(suite.find("properties/property[@name='worker']").get("value").split(","))
    raise AssertionError(f"no testsuite {suite_name} in {junit_path}")


def test_a_long_class_is_split_over_workers_once_its_timings_are_known(backend, tmp_path):
    timings, junit = tmp_path / "timings.json", tmp_path / "junit.xml"
    args = ("--timings-file", str(timings), "--junitxml", str(junit), LABEL)
    expected = sequential(LABEL, backend=backend)

    first = concurrent(*args, backend=backend)
    assert_same_verdicts(first, expected)
    assert "Split " not in first.stdout, first.describe()  # nothing known yet
    assert _workers_of(junit, LONG) in ({"1"}, {"2"}), first.describe()

    second = concurrent(*args, backend=backend)
    assert_same_verdicts(second, expected)
    assert f"[CONCURRENT] Split {LONG} into 2 units: " in second.stdout, second.describe()
    assert _workers_of(junit, LONG) == {"1", "2"}, second.describe()
    # Stored under the class, pieces summed: the next run splits it again.
    units = json.loads(timings.read_text())["units"]
    assert units[LONG][0] >= 1.8 and not [key for key in units if "[" in key], units


def test_a_long_class_with_its_own_setupclass_is_never_split_automatically(tmp_path):
    label = "scenarios.class_state"
    args = ("--timings-file", str(tmp_path / "timings.json"), label)
    expected = sequential(label, backend="sqlite")
    assert expected.returncode == 0, expected.describe()

    concurrent(*args, backend="sqlite")
    second = concurrent(*args, backend="sqlite")
    assert "Split " not in second.stdout, second.describe()
    assert_same_verdicts(second, expected)
