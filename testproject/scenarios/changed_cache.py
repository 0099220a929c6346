"""--changed and a value cached across tests (issue #28): four classes read one cached rate.

Only the first class of each process executes ``cached_rate.compute_rate``; the others
read the cache. An edit of compute_rate changes every class's verdict.
"""

from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase

from scenarios.cached_rate import vat_rate


class FirstTests(SimpleTestCase):
    def test_rate(self):
        self.assertEqual(vat_rate(), Decimal("0.20"))


class SecondTests(SimpleTestCase):
    def test_rate(self):
        self.assertEqual(vat_rate(), Decimal("0.20"))


class ThirdTests(SimpleTestCase):
    def test_rate(self):
        self.assertEqual(vat_rate(), Decimal("0.20"))


class FourthTests(SimpleTestCase):
    def test_rate(self):
        self.assertEqual(vat_rate(), Decimal("0.20"))
