"""The demo with ``scenarios.buildhook``: a migration a test can pause mid-build."""

from testproject.settings import *
from testproject.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "scenarios.buildhook"]
