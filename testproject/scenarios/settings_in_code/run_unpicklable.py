"""A runtests.py that sets a setting no worker can be given (a lambda) after the module's import."""

import os
import sys

from common import run_tests

if __name__ == "__main__":
    os.environ["DJANGO_SETTINGS_MODULE"] = "testproject.settings"
    os.environ["SCENARIO_FLAVOUR"] = "unpicklable"
    import django
    from django.conf import settings

    settings.SCENARIO_FLAVOUR = "unpicklable"
    settings.LANGUAGE_CODE = "fr"
    settings.SCENARIO_CALLBACK = lambda: "no worker can be given this"
    django.setup()
    sys.exit(run_tests())
