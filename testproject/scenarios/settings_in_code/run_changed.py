"""A runtests.py that imports a settings module, then changes settings before Django's set-up."""

import os
import sys

from common import run_tests

if __name__ == "__main__":
    os.environ["DJANGO_SETTINGS_MODULE"] = "testproject.settings"
    os.environ["SCENARIO_FLAVOUR"] = "changed"
    import django
    from django.conf import settings

    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "scenarios.settings_in_code.extra_app"]
    settings.ROOT_URLCONF = "scenarios.settings_in_code.urls"
    settings.SCENARIO_FLAVOUR = "changed"
    settings.LANGUAGE_CODE = "fr"
    django.setup()
    sys.exit(run_tests())
