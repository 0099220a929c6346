"""TEST_RUNNER is the concurrent runner, but the app is not installed."""

from testproject.settings import *
from testproject.settings import INSTALLED_APPS

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "concurrent_test_app"]
