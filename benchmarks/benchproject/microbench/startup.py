"""One test that needs no database: a run of it is the start-up every runner must pay."""

from __future__ import annotations

from django.test import SimpleTestCase


class StartupOnly(SimpleTestCase):
    def test_nothing(self):
        pass
