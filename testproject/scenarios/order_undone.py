"""Order dependence undone in between: the polluter runs first in Django's order, harmlessly.

``APolluterTests`` turns a flag on and leaves it on; ``BRestorerTests`` turns it off in its
``tearDown``, so in Django's order the victim (``CVictimTests``) finds it off and a
sequential run passes. tests/test_order_dependence.py gives the runner estimates that put
``APolluterTests`` alone in one worker's share and the other two in the other's: the first
worker is done at once and takes the victim from the end of the busy share, right after
the polluter. Where the polluter stands in Django's order says nothing here; only a
replay of that order does.
"""

from __future__ import annotations

import os
import time

from django.test import TestCase
from shop.models import Customer


class Maintenance:
    on = False  # switched on by a test, switched off again by another's tearDown


class APolluterTests(TestCase):
    concurrent_split = False  # one unit: the report names the test within it

    def test_reads_the_switch(self):
        self.assertIn(Maintenance.on, (True, False))

    def test_switches_maintenance_on(self):
        Maintenance.on = True


class BRestorerTests(TestCase):
    def tearDown(self):
        Maintenance.on = False

    def test_takes_a_while(self):
        time.sleep(float(os.environ.get("ORDER_SLEEP", "2")))


class CVictimTests(TestCase):
    def test_serves_outside_maintenance(self):
        self.assertEqual(Customer.objects.count(), 0)  # on its own clone
        self.assertFalse(Maintenance.on, "ORDER-VICTIM: maintenance was left on")
