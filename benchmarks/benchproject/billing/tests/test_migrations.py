"""The data migrations' seed functions, run again against the test database."""

from __future__ import annotations

import importlib
from decimal import Decimal

from django.apps import apps
from django.test import TestCase

from billing.models import TaxRate
from catalog.models import Category

seed_tax_rates = importlib.import_module("billing.migrations.0004_seed_tax_rates")
seed_categories = importlib.import_module("catalog.migrations.0005_seed_root_categories")


class SeedMigrationTests(TestCase):
    """Deletes the seeded rows first: a TransactionTestCase elsewhere may have flushed them."""

    def test_tax_rates_seed(self):
        TaxRate.objects.filter(country__in=seed_tax_rates.SEEDED_RATES).delete()
        seed_tax_rates.seed(apps, None)
        rates = dict(
            TaxRate.objects.filter(country__in=["DE", "FR", "NL"]).values_list("country", "rate")
        )
        self.assertEqual(
            rates, {"DE": Decimal("0.1900"), "FR": Decimal("0.2000"), "NL": Decimal("0.2100")}
        )

    def test_tax_rates_unseed(self):
        seed_tax_rates.unseed(apps, None)
        self.assertFalse(TaxRate.objects.filter(country__in=seed_tax_rates.SEEDED_RATES).exists())

    def test_categories_seed_is_idempotent(self):
        seed_categories.seed(apps, None)
        seed_categories.seed(apps, None)
        self.assertEqual(
            Category.objects.filter(slug__in=["uncategorised", "gift-cards"]).count(), 2
        )

    def test_categories_unseed(self):
        seed_categories.seed(apps, None)
        seed_categories.unseed(apps, None)
        self.assertFalse(Category.objects.filter(slug="uncategorised").exists())
