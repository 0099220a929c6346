"""The demo with one more installed app: its test templates must be rebuilt."""

from testproject.settings import *
from testproject.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.sessions"]
