"""The demo plus ``scenarios.worker_setting``, whose workers end up with other settings."""

from testproject.settings import *
from testproject.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "scenarios.worker_setting"]
