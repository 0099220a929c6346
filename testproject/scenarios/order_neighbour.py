"""A test that needs the test right before it in Django's order to have run in its process.

``BUsesTests`` reads what ``APreparesTests`` left in this module, as a suite's later test
sometimes relies on an earlier one's side effect; a sequential run passes. Dealing units
one by one puts the two in different workers on a first run, and longest-first planning
does on a warm run (B, the longest, alone; A joins C and D); a contiguous segment keeps
them together: A B | C D, first run (2 tests each) and warm (1.7 s against 1.2 s).
"""

import time

from django.test import SimpleTestCase

PREPARED: list[str] = []


class APreparesTests(SimpleTestCase):
    def test_prepares(self):
        time.sleep(0.2)
        PREPARED.append("ready")


class BUsesTests(SimpleTestCase):
    def test_uses_what_its_predecessor_prepared(self):
        time.sleep(1.5)  # before the check: a failing run stores the same time
        self.assertEqual(PREPARED, ["ready"], "NEIGHBOUR-VICTIM: its predecessor ran elsewhere")


class CTests(SimpleTestCase):
    def test_third(self):
        time.sleep(0.6)


class DTests(SimpleTestCase):
    def test_fourth(self):
        time.sleep(0.6)
