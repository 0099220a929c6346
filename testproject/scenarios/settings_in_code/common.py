"""What the scenario scripts share: the demo's settings as values, and running the tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
if str(PROJECT_DIR) not in sys.path:  # the scripts run from their own folder
    sys.path.insert(0, str(PROJECT_DIR))
LABEL = "scenarios.settings_in_code.cases"


def demo_settings() -> dict:
    """The demo's settings module as keyword arguments for ``settings.configure``."""
    from testproject import settings as demo

    return {name: getattr(demo, name) for name in dir(demo) if name.isupper()}


def run_tests(runner_class=None) -> int:
    """Run the scenario's tests with SCENARIO_RUNNER (default: ours, 2 workers); exit status."""
    from django.conf import settings
    from django.test.utils import get_runner

    settings.TEST_RUNNER = os.environ.get(
        "SCENARIO_RUNNER", "concurrent_test_app.runner.ConcurrentTestRunner"
    )
    runner_class = runner_class or get_runner(settings)
    options = {"verbosity": 2, "interactive": False}
    if "concurrent_test_app" in settings.TEST_RUNNER:
        options["workers"] = 2
    failures = runner_class(**options).run_tests(sys.argv[1:] or [LABEL])
    return 1 if failures else 0
