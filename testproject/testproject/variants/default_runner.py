"""The demo with Django's own TEST_RUNNER: the concurrent runner only when asked for."""

from testproject.settings import *

TEST_RUNNER = "django.test.runner.DiscoverRunner"
