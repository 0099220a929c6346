"""Importing supplier feeds; each test waits on a simulated HTTP call."""

from __future__ import annotations

from django.test import TestCase

from catalog.feeds import fetch_feed
from catalog.models import Product

from .factories import make_category


def import_feed(items, category) -> tuple[int, int]:
    """Upsert feed items by SKU; return (created, updated)."""
    existing = Product.objects.in_bulk([item.sku for item in items], field_name="sku")
    new, changed = [], []
    for item in items:
        product = existing.get(item.sku)
        if product is None:
            new.append(
                Product(
                    sku=item.sku,
                    name=item.name,
                    category=category,
                    price=item.price,
                    stock=item.stock,
                )
            )
        elif (product.price, product.stock) != (item.price, item.stock):
            product.price, product.stock = item.price, item.stock
            changed.append(product)
    Product.objects.bulk_create(new)
    Product.objects.bulk_update(changed, ["price", "stock"])
    return len(new), len(changed)


class SupplierFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.category = make_category("feeds")
        import_feed(fetch_feed("acme", 100, latency=0.05), cls.category)

    def test_initial_import(self):
        self.assertEqual(Product.objects.filter(sku__startswith="ACM-").count(), 100)

    def test_reimport_changes_nothing(self):
        self.assertEqual(import_feed(fetch_feed("acme", 100), self.category), (0, 0))

    def test_growing_feed_creates_new_rows(self):
        self.assertEqual(import_feed(fetch_feed("acme", 150), self.category), (50, 0))

    def test_price_change_is_updated(self):
        Product.objects.filter(sku="ACM-00003").update(price=0)
        self.assertEqual(import_feed(fetch_feed("acme", 100), self.category), (0, 1))

    def test_second_supplier(self):
        created, _ = import_feed(fetch_feed("globex", 80, latency=0.15), self.category)
        self.assertEqual(created, 80)

    def test_feed_is_deterministic(self):
        self.assertEqual(
            fetch_feed("initech", 20, latency=0.05), fetch_feed("initech", 20, latency=0.05)
        )

    def test_stock_is_never_negative(self):
        self.assertTrue(all(item.stock >= 0 for item in fetch_feed("umbrella", 300, latency=0.2)))

    def test_slow_supplier(self):
        created, _ = import_feed(fetch_feed("hooli", 40, latency=0.2), self.category)
        self.assertEqual(created, 40)
