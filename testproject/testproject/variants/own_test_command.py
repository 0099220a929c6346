"""The demo with an app that ships its own ``test`` command, listed before ours."""

from testproject.settings import *
from testproject.settings import INSTALLED_APPS

INSTALLED_APPS = ["owntest", *INSTALLED_APPS]
