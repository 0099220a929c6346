"""Order placement under real commits and rollbacks (TransactionTestCase)."""

from __future__ import annotations

from django.db import transaction
from django.test import TransactionTestCase

from catalog.models import Category, Product
from catalog.services import OutOfStock
from catalog.tests.factories import make_category, make_products
from orders.models import Customer, Order, OrderLine
from orders.services import cancel_order, mark_paid, place_order

from .factories import make_customer


class OrderTransactionTests(TransactionTestCase):
    def setUp(self):
        self.products = make_products("OTX", make_category("order-tx"), 8, stock=3)
        self.customer = make_customer("order-tx")

    def test_failed_order_leaves_no_rows(self):
        with self.assertRaises(OutOfStock):
            place_order(self.customer, {self.products[0].pk: 1, self.products[1].pk: 4})
        self.assertEqual((Order.objects.count(), OrderLine.objects.count()), (0, 0))

    def test_failed_order_keeps_stock(self):
        with self.assertRaises(OutOfStock):
            place_order(self.customer, {self.products[0].pk: 2, self.products[1].pk: 9})
        self.assertEqual(Product.objects.get(pk=self.products[0].pk).stock, 3)

    def test_successful_order_is_committed(self):
        place_order(self.customer, {self.products[2].pk: 3})
        self.assertEqual(Order.objects.count(), 1)

    def test_pay_and_cancel(self):
        order = mark_paid(place_order(self.customer, {self.products[3].pk: 2}))
        cancel_order(order)
        self.assertEqual(Product.objects.get(pk=self.products[3].pk).stock, 3)

    def test_loyalty_points_committed(self):
        mark_paid(place_order(self.customer, {self.products[7].pk: 3}))
        self.assertEqual(Customer.objects.get(pk=self.customer.pk).loyalty_points, 24)

    def test_rollback_of_outer_transaction(self):
        try:
            with transaction.atomic():
                place_order(self.customer, {self.products[4].pk: 1})
                raise RuntimeError("checkout aborted")
        except RuntimeError:
            pass
        self.assertFalse(Order.objects.exists())

    def test_on_commit_after_order(self):
        sent = []
        with transaction.atomic():
            order = place_order(self.customer, {self.products[5].pk: 1})
            transaction.on_commit(lambda: sent.append(order.pk))
        self.assertEqual(sent, [order.pk])

    def test_database_is_clean_at_start(self):
        self.assertEqual((Order.objects.count(), Product.objects.count()), (0, 8))


class OrderNumberingTests(TransactionTestCase):
    """Invoices print order ids, so numbering must restart in a fresh database."""

    reset_sequences = True

    def setUp(self):
        # Sequences restart at 1, so no category may be inserted while the seeded ones
        # still exist (they do when this is the first TransactionTestCase to run).
        category, _ = Category.objects.get_or_create(
            slug="uncategorised", defaults={"name": "Uncategorised"}
        )
        self.products = make_products("NUM", category, 3, stock=50)
        self.customer = make_customer("numbering")

    def test_first_order_is_number_one(self):
        self.assertEqual(place_order(self.customer, {self.products[0].pk: 1}).pk, 1)

    def test_numbers_are_consecutive(self):
        ids = [place_order(self.customer, {self.products[1].pk: 1}).pk for _ in range(5)]
        self.assertEqual(ids, [1, 2, 3, 4, 5])

    def test_first_product_is_number_one(self):
        self.assertEqual(self.products[0].pk, 1)

    def test_lines_numbered_from_one(self):
        order = place_order(self.customer, {self.products[0].pk: 1, self.products[2].pk: 1})
        self.assertEqual(sorted(order.lines.values_list("pk", flat=True)), [1, 2])
