"""A cache filled on first use, whose first user in Django's order fills it correctly.

``AFirstUserTests`` reads the currency under the real settings first, so the cache holds
"EUR" before ``BPolluterTests`` overrides the setting: in Django's order the override
comes too late to matter and a sequential run passes the victim (``CVictimTests``).
tests/test_order_dependence.py gives the runner estimates that put the first user alone
in one worker's share (it takes a while) and the other two in the other's, where the
overridden setting fills the cache: the victim fails after a polluter that Django's order
runs before it, and still passes sequentially.
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.test import TestCase, override_settings
from shop.models import Customer

_cache: dict[str, str] = {}


def currency() -> str:
    """The shop's currency, read from settings once and cached (never invalidated)."""
    if "currency" not in _cache:
        _cache["currency"] = getattr(settings, "SHOP_CURRENCY", "EUR")
    return _cache["currency"]


class AFirstUserTests(TestCase):
    def test_prices_the_catalogue(self):
        self.assertEqual(currency(), "EUR")
        time.sleep(float(os.environ.get("ORDER_SLEEP", "2")))


class BPolluterTests(TestCase):
    concurrent_split = False

    def test_something_else(self):
        pass

    @override_settings(SHOP_CURRENCY="USD")
    def test_formats_in_dollars(self):
        self.assertIn(currency(), ("EUR", "USD"))


class CVictimTests(TestCase):
    def test_invoices_in_euros(self):
        self.assertEqual(Customer.objects.count(), 0)  # on its own clone
        self.assertEqual(currency(), "EUR", "ORDER-VICTIM: the cached currency is stale")
