"""The catalogue's JSON endpoints through the test client."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from catalog.models import Product

from .factories import make_category, make_products, make_tags


class ProductApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kitchen = make_category("api-kitchen")
        cls.garden = make_category("api-garden")
        make_products("KIT", cls.kitchen, 30)
        make_products("GAR", cls.garden, 12)
        (cls.tag,) = make_tags("api-bestseller")
        Product.objects.get(sku="KIT-00001").tags.add(cls.tag)
        Product.objects.filter(sku="GAR-00012").update(is_active=False)

    def test_list_returns_active_products(self):
        data = self.client.get(reverse("product-list"), {"category": "api-garden"}).json()
        self.assertEqual(data["count"], 11)

    def test_list_limit(self):
        data = self.client.get(
            reverse("product-list"), {"category": "api-kitchen", "limit": 5}
        ).json()
        self.assertEqual(len(data["results"]), 5)
        self.assertEqual(data["count"], 30)

    def test_list_is_ordered_by_sku(self):
        data = self.client.get(reverse("product-list"), {"category": "api-kitchen"}).json()
        skus = [row["sku"] for row in data["results"]]
        self.assertEqual(skus, sorted(skus))

    def test_list_query_count(self):
        with self.assertNumQueries(3):
            self.client.get(reverse("product-list"), {"category": "api-kitchen"})

    def test_detail(self):
        data = self.client.get(reverse("product-detail", args=["KIT-00001"])).json()
        self.assertEqual(data["price"], "1.00")
        self.assertEqual(data["tags"], ["api-bestseller"])
        self.assertEqual(data["category"], "api-kitchen")

    def test_detail_of_inactive_is_404(self):
        self.assertEqual(
            self.client.get(reverse("product-detail", args=["GAR-00012"])).status_code, 404
        )

    def test_detail_of_unknown_is_404(self):
        self.assertEqual(self.client.get(reverse("product-detail", args=["NOPE"])).status_code, 404)

    def test_detail_reflects_price_change(self):
        Product.objects.filter(sku="KIT-00002").update(price="7.25")
        self.assertEqual(
            self.client.get(reverse("product-detail", args=["KIT-00002"])).json()["price"], "7.25"
        )

    def test_content_type_is_json(self):
        response = self.client.get(reverse("product-list"))
        self.assertEqual(response["Content-Type"], "application/json")

    def test_limit_is_capped(self):
        make_products("BULK", self.kitchen, 220)
        data = self.client.get(
            reverse("product-list"), {"category": "api-kitchen", "limit": 1000}
        ).json()
        self.assertEqual(len(data["results"]), 200)
