"""Workers import what the parent imported before their first test, as forked ones would.

Each of the two units below runs in its own worker; one of them passes only if the
module the other one's test module imports is already loaded in its worker.
"""

from __future__ import annotations

from test_options import assert_same_verdicts, concurrent, sequential

LABEL = "scenarios.preload"


def test_workers_see_modules_other_test_modules_imported(backend):
    expected = sequential(LABEL, backend=backend)
    run = concurrent(LABEL, backend=backend)

    assert expected.returncode == 0, expected.describe()
    assert_same_verdicts(run, expected)
    assert run.report.outcome_of(
        "scenarios.preload.test_registry.RegistryTests.test_every_plugin_is_registered"
    ) == ["ok"], run.describe()
