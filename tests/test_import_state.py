"""Workers start from a sequential run's import state, first run and warm (issue #15).

Each scenario depends on what discovery imported before the first test: a registry that
another test module fills at import time (scenarios.preload), and a module that registers
into a registry an earlier test resets (scenarios.cleared_registry: imported only when its
unit arrived, after the reset, its import would raise). ORDER_REPETITIONS sets how many
times each runs (10 for the issue's figures; 1 in CI).
"""

from __future__ import annotations

import os

import pytest
from helpers import concurrent
from test_options import assert_same_verdicts

REPETITIONS = int(os.environ.get("ORDER_REPETITIONS", "1"))
# Not test*.py, so that the demo's default discovery does not find them: run by module label.
CLEARED = ("scenarios.cleared_registry.a_resets", "scenarios.cleared_registry.b_registers")
SCENARIOS = {"preload": ("scenarios.preload",), "cleared_registry": CLEARED}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_import_state_scenarios_keep_sequential_verdicts(name, backend, baseline, tmp_path):
    labels = SCENARIOS[name]
    expected = baseline(*labels, backend=backend)
    assert expected.returncode == 0, expected.describe()
    args = ("--timings-file", str(tmp_path / "timings.json"), *labels)
    for repetition in range(REPETITIONS):
        (tmp_path / "timings.json").unlink(missing_ok=True)
        for _warm in (False, True):  # a first run, then one planned from its timings
            run = concurrent(*args, backend=backend)
            context = f"repetition {repetition}\n{run.describe()}"
            assert "Order-dependent" not in run.stdout, context
            # Imported late, the module's import raised: the worker died or its tests erred.
            assert "could not load" not in run.output and "died" not in run.output, context
            assert_same_verdicts(run, expected)
