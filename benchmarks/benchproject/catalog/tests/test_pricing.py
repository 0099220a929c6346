"""Price changes and their history."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F
from django.test import TestCase

from catalog.models import PriceChange, Product
from catalog.services import change_price

from .factories import make_category, make_products


class PriceChangeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.category = make_category("pricing")
        cls.products = make_products("PRC", cls.category, 30)
        for product in cls.products[:10]:
            change_price(product, product.price + 1)

    def test_history_recorded_for_changed_products(self):
        self.assertEqual(PriceChange.objects.filter(product__category=self.category).count(), 10)

    def test_change_updates_product(self):
        product = Product.objects.get(sku="PRC-00020")
        change_price(product, Decimal("99.99"))
        product.refresh_from_db()
        self.assertEqual(product.price, Decimal("99.99"))

    def test_change_records_old_and_new(self):
        product = Product.objects.get(sku="PRC-00021")
        change = change_price(product, Decimal("5.00"))
        self.assertEqual((change.old_price, change.new_price), (Decimal("21.00"), Decimal("5.00")))

    def test_latest_change_first(self):
        product = Product.objects.get(sku="PRC-00022")
        change_price(product, Decimal("1.00"))
        change_price(product, Decimal("2.00"))
        self.assertEqual(product.price_changes.first().new_price, Decimal("2.00"))

    def test_unchanged_products_have_no_history(self):
        self.assertFalse(PriceChange.objects.filter(product__sku="PRC-00030").exists())

    def test_history_is_deleted_with_product(self):
        product = Product.objects.get(sku="PRC-00001")
        product.delete()
        self.assertFalse(PriceChange.objects.filter(product_id=product.pk).exists())

    def test_raised_prices(self):
        raised = PriceChange.objects.filter(
            product__category=self.category, new_price__gt=F("old_price")
        )
        self.assertEqual(raised.count(), 10)

    def test_many_changes(self):
        product = Product.objects.get(sku="PRC-00025")
        for cents in range(100, 2100, 100):
            change_price(product, Decimal(cents) / 100)
        self.assertEqual(product.price_changes.count(), 20)
