"""A worker's settings are the parent's, however the parent got them (issue #26).

The scripts of ``scenarios.settings_in_code`` make their settings in code, as reusable
apps' ``runtests.py`` do: ``settings.configure(...)``, changes after the settings module
is imported (an app installed, another root URLconf), Django's ``process_setup`` hook.
Each runs concurrently with Django's sequential verdicts, first and warm; a setting that
cannot be carried, or a worker whose settings end up different, makes the run sequential
and names the setting.
"""

from __future__ import annotations

import sys

import pytest
from helpers import concurrent, fallback_reasons, run_in_testproject
from test_options import assert_same_verdicts

SCRIPTS = "scenarios/settings_in_code"
DJANGO_RUNNER = "django.test.runner.DiscoverRunner"


def _script(name: str, backend: str, env: dict | None = None):
    command = [sys.executable, f"{SCRIPTS}/run_{name}.py"]
    return run_in_testproject(command, (f"run_{name}.py",), backend, env, timeout=300)


@pytest.mark.parametrize("name", ["configured", "changed", "hooked"])
def test_settings_made_in_code_reach_every_worker(name, backend, tmp_path):
    expected = _script(name, backend, {"SCENARIO_RUNNER": DJANGO_RUNNER})
    assert expected.returncode == 0, expected.describe()
    env = {"DJANGO_TEST_TIMINGS_FILE": str(tmp_path / "timings.json")}
    for _warm in (False, True):
        run = _script(name, backend, env)
        assert "Workers prove" in run.stdout, run.describe()
        assert_same_verdicts(run, expected)


def test_a_setting_that_cannot_be_carried_makes_the_run_sequential(tmp_path):
    expected = _script("unpicklable", "sqlite", {"SCENARIO_RUNNER": DJANGO_RUNNER})
    run = _script("unpicklable", "sqlite", {"DJANGO_TEST_TIMINGS_FILE": str(tmp_path / "t.json")})
    reasons = fallback_reasons(run)
    assert len(reasons) == 1 and "setting SCENARIO_CALLBACK" in reasons[0], run.describe()
    assert "cannot be carried to a spawn worker" in reasons[0], run.describe()
    assert_same_verdicts(run, expected, workers=None)


def test_a_worker_whose_settings_differ_refuses_to_run_tests(baseline, tmp_path):
    args = ("--settings", "testproject.variants.worker_setting", "scenarios.worker_check.cases")
    expected = baseline(*args)
    run = concurrent(*args, "--timings-file", str(tmp_path / "timings.json"), backend="sqlite")
    reasons = fallback_reasons(run)
    assert len(reasons) == 1, run.describe()
    assert "its settings differ from the parent's: SCENARIO_IN_A_CHILD" in reasons[0]
    assert_same_verdicts(run, expected, workers=None)
