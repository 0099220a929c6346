"""Placing and cancelling orders through the service layer."""

from __future__ import annotations

from decimal import Decimal

from django.test import TestCase

from catalog.models import Product
from catalog.services import OutOfStock
from catalog.tests.factories import make_category, make_products
from orders.models import Order
from orders.services import OrderError, cancel_order, mark_paid, place_order

from .factories import make_customer


class PlaceOrderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.products = make_products("PLC", make_category("placing"), 40, stock=10)
        cls.customer = make_customer("placing")

    def stock_of(self, product):
        return Product.objects.get(pk=product.pk).stock

    def test_order_total(self):
        order = place_order(self.customer, {self.products[0].pk: 3, self.products[1].pk: 1})
        self.assertEqual(order.total, Decimal("5.00"))

    def test_stock_is_taken(self):
        place_order(self.customer, {self.products[2].pk: 4})
        self.assertEqual(self.stock_of(self.products[2]), 6)

    def test_lines_keep_price_at_time_of_order(self):
        order = place_order(self.customer, {self.products[3].pk: 1})
        Product.objects.filter(pk=self.products[3].pk).update(price=100)
        self.assertEqual(order.lines.get().unit_price, Decimal("4.00"))

    def test_empty_order_is_rejected(self):
        with self.assertRaises(OrderError):
            place_order(self.customer, {})

    def test_out_of_stock_rolls_back_whole_order(self):
        with self.assertRaises(OutOfStock):
            place_order(self.customer, {self.products[4].pk: 1, self.products[5].pk: 11})
        self.assertEqual(self.stock_of(self.products[4]), 10)
        self.assertFalse(Order.objects.filter(customer=self.customer).exists())

    def test_exact_stock_is_allowed(self):
        place_order(self.customer, {self.products[6].pk: 10})
        self.assertEqual(self.stock_of(self.products[6]), 0)

    def test_note_is_saved(self):
        order = place_order(self.customer, {self.products[7].pk: 1}, note="leave at door")
        self.assertEqual(Order.objects.get(pk=order.pk).note, "leave at door")

    def test_many_lines(self):
        order = place_order(self.customer, {p.pk: 1 for p in self.products[10:40]})
        self.assertEqual(order.lines.count(), 30)
        self.assertEqual(order.total, Decimal(sum(range(11, 41))))

    def test_mark_paid(self):
        order = mark_paid(place_order(self.customer, {self.products[8].pk: 2}))
        self.assertEqual(Order.objects.get(pk=order.pk).status, Order.Status.PAID)

    def test_paying_awards_loyalty_points(self):
        mark_paid(place_order(self.customer, {self.products[20].pk: 2}))
        self.customer.refresh_from_db()
        self.assertEqual(self.customer.loyalty_points, 42)

    def test_paying_twice_is_rejected(self):
        order = mark_paid(place_order(self.customer, {self.products[9].pk: 1}))
        with self.assertRaises(OrderError):
            mark_paid(order)

    def test_two_orders_share_stock(self):
        place_order(self.customer, {self.products[11].pk: 6})
        with self.assertRaises(OutOfStock):
            place_order(self.customer, {self.products[11].pk: 6})

    def test_orders_per_customer(self):
        for product in self.products[30:35]:
            place_order(self.customer, {product.pk: 1})
        self.assertEqual(self.customer.orders.count(), 5)

    def test_order_query_count(self):
        with self.assertNumQueries(16):
            place_order(self.customer, {self.products[12].pk: 1, self.products[13].pk: 1})


class CancelOrderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.products = make_products("CNL", make_category("cancelling"), 6, stock=5)
        cls.customer = make_customer("cancelling")

    def test_cancel_restocks(self):
        order = place_order(self.customer, {self.products[0].pk: 5})
        cancel_order(order)
        self.assertEqual(Product.objects.get(pk=self.products[0].pk).stock, 5)

    def test_cancel_sets_status(self):
        order = cancel_order(place_order(self.customer, {self.products[1].pk: 1}))
        self.assertEqual(Order.objects.get(pk=order.pk).status, Order.Status.CANCELLED)

    def test_cancel_paid_order(self):
        order = mark_paid(place_order(self.customer, {self.products[2].pk: 1}))
        self.assertEqual(cancel_order(order).status, Order.Status.CANCELLED)

    def test_cannot_cancel_twice(self):
        order = cancel_order(place_order(self.customer, {self.products[3].pk: 1}))
        with self.assertRaises(OrderError):
            cancel_order(order)

    def test_cannot_cancel_shipped(self):
        order = place_order(self.customer, {self.products[4].pk: 1})
        Order.objects.filter(pk=order.pk).update(status=Order.Status.SHIPPED)
        order.refresh_from_db()
        with self.assertRaises(OrderError):
            cancel_order(order)

    def test_cancel_multi_line_order(self):
        order = place_order(self.customer, {p.pk: 2 for p in self.products})
        cancel_order(order)
        self.assertEqual(
            set(Product.objects.filter(sku__startswith="CNL-").values_list("stock", flat=True)), {5}
        )
