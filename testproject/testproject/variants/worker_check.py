"""The demo plus ``scenarios.worker_check``, whose system check fails only in workers."""

from testproject.settings import *
from testproject.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "scenarios.worker_check"]
