"""The demo with a root URLconf that includes an app built from a setting (scenarios.urlconf_setting)."""

from testproject.settings import *

ROOT_URLCONF = "scenarios.urlconf_setting.root"
SCENARIO_EXTRA_ROUTES = True
