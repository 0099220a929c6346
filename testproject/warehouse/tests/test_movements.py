"""Receiving, shipping and transfers, committed as the application commits them."""

from __future__ import annotations

from django.test import TestCase, TransactionTestCase

from warehouse.models import Movement
from warehouse.services import InsufficientStock, receive, ship, stock_level, transfer
from warehouse.tests import seed


class ReceivingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.north, cls.south = seed.warehouses("NORTH", "SOUTH")
        cls.items = seed.items(120)

    def test_receipts_add_up_per_warehouse(self):
        for number, item in enumerate(self.items):
            receive(self.north, item, number + 1)
            receive(self.south, item, 2)
        for number, item in enumerate(self.items):
            self.assertEqual(stock_level(item, self.north), number + 1)
            self.assertEqual(stock_level(item), number + 3)

    def test_receipt_needs_positive_quantity(self):
        with self.assertRaisesMessage(ValueError, "positive quantity"):
            receive(self.north, self.items[0], 0)
        self.assertFalse(Movement.objects.exists())

    def test_receipts_keep_their_reference(self):
        for item in self.items:
            receive(self.north, item, 5, reference=f"PO-{item.pk}")
        references = set(Movement.objects.values_list("reference", flat=True))
        self.assertEqual(references, {f"PO-{item.pk}" for item in self.items})


class ShippingTests(TransactionTestCase):
    """Committed shipments: each one locks its item, as production does."""

    def setUp(self):
        (self.north,) = seed.warehouses("NORTH")
        self.items = seed.items(60)
        for item in self.items:
            receive(self.north, item, 10)

    def test_shipping_takes_stock(self):
        for item in self.items:
            for _ in range(3):
                ship(self.north, item, 2)
        for item in self.items:
            self.assertEqual(stock_level(item, self.north), 4)

    def test_cannot_ship_more_than_held(self):
        for item in self.items:
            ship(self.north, item, 10)
            with self.assertRaises(InsufficientStock):
                ship(self.north, item, 1)
        self.assertEqual(
            Movement.objects.filter(kind=Movement.Kind.SHIPMENT).count(), len(self.items)
        )

    def test_refused_shipment_leaves_nothing(self):
        before = Movement.objects.count()
        for item in self.items:
            with self.assertRaises(InsufficientStock):
                ship(self.north, item, 11)
        self.assertEqual(Movement.objects.count(), before)


class TransferTests(TransactionTestCase):
    def setUp(self):
        self.north, self.south, self.east = seed.warehouses("NORTH", "SOUTH", "EAST")
        self.items = seed.items(60)
        for item in self.items:
            receive(self.north, item, 12)

    def test_transfer_moves_units(self):
        for item in self.items:
            transfer(item, self.north, self.south, 5)
            transfer(item, self.south, self.east, 2)
        for item in self.items:
            levels = [stock_level(item, w) for w in (self.north, self.south, self.east)]
            self.assertEqual(levels, [7, 3, 2])
            self.assertEqual(stock_level(item), 12)

    def test_refused_transfer_moves_nothing(self):
        for item in self.items:
            with self.assertRaises(InsufficientStock):
                transfer(item, self.north, self.south, 13)
        self.assertFalse(Movement.objects.filter(kind=Movement.Kind.TRANSFER).exists())

    def test_transfer_pairs_share_a_reference(self):
        for item in self.items:
            transfer(item, self.north, self.east, 1)
        pairs = Movement.objects.filter(kind=Movement.Kind.TRANSFER).values_list(
            "reference", "quantity"
        )
        self.assertEqual(len(pairs), 2 * len(self.items))
        self.assertEqual(sum(quantity for _, quantity in pairs), 0)
        self.assertEqual({reference for reference, _ in pairs}, {"transfer NORTH->EAST"})
