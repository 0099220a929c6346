"""A runtests.py that hands spawn workers Django's process_setup hook, as Django's own does."""

import os
import sys

from common import demo_settings, run_tests


def set_up(argument):
    """Configure the settings and Django; in the parent, and in each spawn worker."""
    import django
    from django.apps import apps
    from django.conf import settings

    from scenarios.settings_in_code.state import HOOK_CALLS

    HOOK_CALLS.append(((argument,), apps.ready))
    os.environ["SCENARIO_FLAVOUR"] = "hooked"
    if not settings.configured:
        settings.configure(
            **{**demo_settings(), "SCENARIO_FLAVOUR": "hooked", "LANGUAGE_CODE": "fr"}
        )
    django.setup()


if __name__ == "__main__":
    set_up("from-the-parent")
    from django.conf import settings
    from django.test.utils import get_runner

    settings.TEST_RUNNER = os.environ.get(
        "SCENARIO_RUNNER", "concurrent_test_app.runner.ConcurrentTestRunner"
    )
    runner_class = get_runner(settings)
    runner_class.parallel_test_suite.process_setup = set_up
    runner_class.parallel_test_suite.process_setup_args = ("from-the-parent",)
    sys.exit(run_tests(runner_class))
