"""Product model rules and tagging."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.test import TestCase

from catalog.models import Product, Tag

from .factories import make_category, make_products, make_tags


class ProductModelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.category = make_category("model-tests")
        cls.products = make_products("MOD", cls.category, 20)
        cls.sale, cls.new, cls.eco = make_tags("model-sale", "model-new", "model-eco")
        for product in cls.products[:10]:
            product.tags.add(cls.sale)
        for product in cls.products[5:15]:
            product.tags.add(cls.new)

    def test_str_contains_sku_and_name(self):
        self.assertEqual(str(self.products[0]), "MOD-00001 MOD product 1")

    def test_defaults(self):
        product = Product.objects.create(
            sku="MOD-NEW", name="fresh", category=self.category, price=Decimal("2.50")
        )
        self.assertTrue(product.is_active)
        self.assertEqual(product.stock, 0)
        self.assertEqual(product.description, "")
        self.assertIsNone(product.weight_kg)

    def test_sku_is_unique(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Product.objects.create(sku="MOD-00001", name="dup", category=self.category, price=1)

    def test_timestamps_are_set(self):
        product = Product.objects.get(sku="MOD-00002")
        self.assertIsNotNone(product.created_at)
        self.assertGreaterEqual(product.updated_at, product.created_at)

    def test_tag_counts(self):
        self.assertEqual(self.sale.products.count(), 10)
        self.assertEqual(self.new.products.count(), 10)
        self.assertEqual(self.eco.products.count(), 0)

    def test_products_with_both_tags(self):
        both = Product.objects.filter(tags=self.sale).filter(tags=self.new)
        self.assertEqual(both.count(), 5)

    def test_removing_a_tag(self):
        self.products[0].tags.remove(self.sale)
        self.assertEqual(self.sale.products.count(), 9)

    def test_tag_name_is_unique(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Tag.objects.create(name="model-sale")

    def test_default_ordering_by_sku(self):
        skus = list(Product.objects.filter(category=self.category).values_list("sku", flat=True))
        self.assertEqual(skus, sorted(skus))

    def test_prefetch_tags_uses_two_queries(self):
        with self.assertNumQueries(2):
            names = [
                [t.name for t in p.tags.all()]
                for p in Product.objects.filter(category=self.category).prefetch_related("tags")
            ]
        self.assertEqual(len(names), 20)
