"""The order JSON endpoint through the test client."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from catalog.tests.factories import make_category, make_products

from .factories import make_customer, make_order


class OrderApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        products = make_products("OAPI", make_category("order-api"), 5)
        cls.order = make_order(make_customer("order-api"), [(p, 2) for p in products])

    def get(self, order_id):
        return self.client.get(reverse("order-detail", args=[order_id]))

    def test_detail(self):
        data = self.get(self.order.pk).json()
        self.assertEqual(
            (data["customer"], data["status"], data["total"]), ("order-api", "pending", "30.00")
        )

    def test_lines(self):
        self.assertEqual(len(self.get(self.order.pk).json()["lines"]), 5)

    def test_unknown_order(self):
        self.assertEqual(self.get(self.order.pk + 10_000).status_code, 404)

    def test_query_count(self):
        with self.assertNumQueries(3):
            self.get(self.order.pk)

    def test_status_change_is_visible(self):
        self.order.status = "paid"
        self.order.save()
        self.assertEqual(self.get(self.order.pk).json()["status"], "paid")

    def test_line_prices_are_strings(self):
        prices = [line["unit_price"] for line in self.get(self.order.pk).json()["lines"]]
        self.assertEqual(sorted(prices), ["1.00", "2.00", "3.00", "4.00", "5.00"])
