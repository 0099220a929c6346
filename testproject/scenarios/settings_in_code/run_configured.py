"""A runtests.py that configures its settings in code, as reusable apps do."""

import os
import sys

from common import demo_settings, run_tests

if __name__ == "__main__":
    os.environ["SCENARIO_FLAVOUR"] = "configured"
    import django
    from django.conf import settings

    settings.configure(
        **{**demo_settings(), "SCENARIO_FLAVOUR": "configured", "LANGUAGE_CODE": "fr"}
    )
    django.setup()
    sys.exit(run_tests())
