"""Order model rules."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.test import TestCase

from catalog.tests.factories import make_category, make_products
from orders.models import Order, OrderLine

from .factories import make_customer, make_order


class OrderModelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.products = make_products("ORDM", make_category("order-models"), 10)
        cls.customer = make_customer("order-models")
        cls.order = make_order(cls.customer, [(cls.products[0], 2), (cls.products[4], 1)])

    def test_total_is_sum_of_lines(self):
        self.assertEqual(self.order.total, Decimal("7.00"))

    def test_default_status_is_pending(self):
        self.assertEqual(self.order.status, Order.Status.PENDING)

    def test_line_subtotal(self):
        line = self.order.lines.get(product=self.products[0])
        self.assertEqual(line.subtotal, Decimal("2.00"))

    def test_same_product_twice_is_rejected(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            OrderLine.objects.create(
                order=self.order, product=self.products[0], quantity=1, unit_price=1
            )

    def test_newest_order_first(self):
        newer = make_order(self.customer, [(self.products[1], 1)])
        self.assertEqual(self.customer.orders.first(), newer)

    def test_deleting_order_deletes_lines(self):
        order_id = self.order.pk
        Order.objects.get(pk=order_id).delete()
        self.assertFalse(OrderLine.objects.filter(order_id=order_id).exists())

    def test_status_choices(self):
        self.assertEqual(set(Order.Status.values), {"pending", "paid", "shipped", "cancelled"})

    def test_note_defaults_to_blank(self):
        self.assertEqual(self.order.note, "")

    def test_shipped_at_is_empty_until_shipped(self):
        self.assertIsNone(self.order.shipped_at)

    def test_filter_by_status_uses_index_columns(self):
        make_order(self.customer, [(self.products[2], 1)], status=Order.Status.PAID)
        self.assertEqual(
            Order.objects.filter(customer=self.customer, status=Order.Status.PAID).count(), 1
        )
