"""Order placement: committed stock changes and all-or-nothing rollbacks."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.test import TestCase, TransactionTestCase

from shop.models import Customer, Order, OrderLine, Product
from shop.services import OutOfStock, cancel_order, place_order


class PlaceOrderTests(TransactionTestCase):
    def setUp(self):
        self.customer = Customer.objects.create(name="Dana", email="dana@example.com")
        self.lamp = Product.objects.create(
            sku="LMP-0100", name="Lamp", price=Decimal("40.00"), stock=3
        )
        self.bulb = Product.objects.create(
            sku="BLB-0200", name="Bulb", price=Decimal("2.50"), stock=1
        )

    def test_order_takes_stock(self):
        place_order(self.customer, [(self.lamp, 2)])
        self.lamp.refresh_from_db()
        self.assertEqual(self.lamp.stock, 1)

    def test_order_records_unit_price(self):
        order = place_order(self.customer, [(self.bulb, 1)])
        self.assertEqual(order.lines.get().unit_price, Decimal("2.50"))

    def test_order_total(self):
        order = place_order(self.customer, [(self.lamp, 2), (self.bulb, 1)])
        self.assertEqual(order.total(), Decimal("82.50"))

    def test_out_of_stock_rolls_back_everything(self):
        with self.assertRaisesMessage(OutOfStock, "BLB-0200"):
            place_order(self.customer, [(self.lamp, 1), (self.bulb, 2)])
        self.lamp.refresh_from_db()
        self.assertEqual(self.lamp.stock, 3)
        self.assertFalse(Order.objects.exists())

    def test_last_item_only_once(self):
        place_order(self.customer, [(self.bulb, 1)])
        with self.assertRaises(OutOfStock):
            place_order(self.customer, [(self.bulb, 1)])
        self.assertEqual(Order.objects.count(), 1)

    def test_cancel_restocks(self):
        order = place_order(self.customer, [(self.lamp, 3)])
        cancel_order(order)
        self.lamp.refresh_from_db()
        self.assertEqual((self.lamp.stock, order.status), (3, Order.Status.CANCELLED))

    def test_each_test_starts_from_setup_rows(self):
        self.assertEqual(Product.objects.count(), 2)
        self.assertFalse(OrderLine.objects.exists())


class StockUpdateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.customer = Customer.objects.create(name="Eve", email="eve@example.com")
        cls.chair = Product.objects.create(
            sku="CHR-0300", name="Chair", price=Decimal("80.00"), stock=5
        )

    def test_place_order_inside_test_transaction(self):
        place_order(self.customer, [(self.chair, 2)])
        self.chair.refresh_from_db()
        self.assertEqual(self.chair.stock, 3)

    def test_stock_restored_between_tests(self):
        self.assertEqual(Product.objects.get(pk=self.chair.pk).stock, 5)

    def test_savepoint_rollback_on_out_of_stock(self):
        with self.assertRaises(OutOfStock):
            place_order(self.customer, [(self.chair, 6)])
        self.assertFalse(Order.objects.exists())

    def test_on_commit_callbacks_run(self):
        placed = []
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            order = place_order(self.customer, [(self.chair, 1)])
            transaction.on_commit(lambda: placed.append(order.pk))
        self.assertEqual((len(callbacks), placed), (1, [order.pk]))

    def test_cancel_inside_test_transaction(self):
        order = place_order(self.customer, [(self.chair, 5)])
        cancel_order(order)
        self.chair.refresh_from_db()
        self.assertEqual(self.chair.stock, 5)

    def test_zero_quantity_line(self):
        order = place_order(self.customer, [(self.chair, 0)])
        self.assertEqual(order.total(), Decimal("0.00"))
