"""Order dependence: a class-level flag that a sibling class sets.

Django's order runs the victim (``BVictimTests``) before the polluter (``CPolluterTests``),
so a sequential run passes. tests/test_order_dependence.py gives the runner timings that
put the polluter and then the victim in one worker, while ``ASlowNeighbourTests`` keeps
the other worker busy.
"""

from __future__ import annotations

import os
import time

from django.test import TestCase
from shop.models import Customer


class Widget:
    configured = False  # set by the first test that configures a widget, never reset


class ASlowNeighbourTests(TestCase):
    def test_takes_a_while(self):
        time.sleep(float(os.environ.get("ORDER_SLEEP", "2")))


class BVictimTests(TestCase):
    def test_expects_a_fresh_widget(self):
        self.assertEqual(Customer.objects.count(), 0)  # on its own clone
        self.assertFalse(Widget.configured, "ORDER-VICTIM: an earlier test configured Widget")


class CPolluterTests(TestCase):
    concurrent_split = False  # one unit: the report names the test within it

    def test_reads_the_widget(self):
        self.assertIn(Widget.configured, (True, False))

    def test_configures_the_widget(self):
        Widget.configured = True
