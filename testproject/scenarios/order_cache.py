"""Order dependence: a cache filled on first use, under whatever settings are active then.

Django's order runs the victim (``BVictimTests``) first, so the cache holds the real
setting and a sequential run passes; after the polluter (``CPolluterTests``) it holds the
overridden one. Placement as in ``order_flag``.
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


class ASlowNeighbourTests(TestCase):
    def test_takes_a_while(self):
        time.sleep(float(os.environ.get("ORDER_SLEEP", "2")))


class BVictimTests(TestCase):
    def test_prices_in_euros(self):
        self.assertEqual(Customer.objects.count(), 0)  # on its own clone
        self.assertEqual(currency(), "EUR", "ORDER-VICTIM: the cached currency is stale")


class CPolluterTests(TestCase):
    concurrent_split = False

    @override_settings(SHOP_CURRENCY="USD")
    def test_formats_in_dollars(self):
        self.assertIn(currency(), ("EUR", "USD"))

    def test_something_else(self):
        pass
