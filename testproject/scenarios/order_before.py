"""Order dependence that is a real failure: Django's order runs the polluter first.

``APolluterTests`` registers a plugin and never removes it; ``BVictimTests`` expects an
empty registry, so a sequential run fails it, and so must a concurrent one, even though
the victim passes alone. ``CSlowNeighbourTests`` keeps the other worker busy.
"""

from __future__ import annotations

import os
import time

from django.test import TestCase
from shop.models import Customer

REGISTRY: list[str] = []


class APolluterTests(TestCase):
    concurrent_split = False

    def test_lists_plugins(self):
        self.assertIsInstance(REGISTRY, list)

    def test_registers_a_plugin(self):
        REGISTRY.append("legacy")


class BVictimTests(TestCase):
    def test_registry_starts_empty(self):
        self.assertEqual(Customer.objects.count(), 0)  # on its own clone
        self.assertEqual(REGISTRY, [], "ORDER-VICTIM: a plugin was left registered")


class CSlowNeighbourTests(TestCase):
    def test_takes_a_while(self):
        time.sleep(float(os.environ.get("ORDER_SLEEP", "2")))
