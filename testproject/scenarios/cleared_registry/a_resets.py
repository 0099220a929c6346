"""Runs first in Django's order and resets the registry (after every import, sequentially)."""

import time

from django.test import SimpleTestCase

from scenarios.cleared_registry import registry


class AResetsTheRegistryTests(SimpleTestCase):
    def test_resets(self):
        time.sleep(0.5)
        registry.reset()


class BSlowNeighbourTests(SimpleTestCase):
    def test_slow(self):
        time.sleep(1.0)
