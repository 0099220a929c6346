"""Shipping quotes and bookings; every carrier call waits on a simulated HTTP round trip."""

from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase, TestCase

from catalog.models import Product
from catalog.tests.factories import make_category, make_products
from orders.models import Order
from orders.services import OrderError, mark_paid, place_order, ship_order
from orders.shipping import CarrierClient, CarrierError

from .factories import make_customer


class ShippingQuoteTests(SimpleTestCase):
    carrier = CarrierClient(latency=0.1)

    def test_domestic_quote(self):
        self.assertEqual(self.carrier.quote(Decimal(1), "DE"), Decimal("8.20"))

    def test_heavier_parcel_costs_more(self):
        self.assertGreater(
            self.carrier.quote(Decimal(10), "DE"), self.carrier.quote(Decimal(1), "DE")
        )

    def test_far_zone_costs_more(self):
        self.assertGreater(
            self.carrier.quote(Decimal(1), "US"), self.carrier.quote(Decimal(1), "FR")
        )

    def test_unknown_country(self):
        with self.assertRaises(CarrierError):
            self.carrier.quote(Decimal(1), "XX")

    def test_quote_has_cents(self):
        self.assertEqual(self.carrier.quote(Decimal("0.333"), "IT").as_tuple().exponent, -2)

    def test_zero_weight(self):
        self.assertEqual(self.carrier.quote(Decimal(0), "NL"), Decimal("7.40"))

    def test_booking_reference(self):
        self.assertRegex(self.carrier.book(1, Decimal(2), "SE"), r"^TRK[0-9A-F]{12}$")

    def test_booking_is_idempotent(self):
        self.assertEqual(
            self.carrier.book(7, Decimal(2), "SE"), self.carrier.book(7, Decimal(2), "SE")
        )

    def test_booking_unknown_country(self):
        with self.assertRaises(CarrierError):
            self.carrier.book(1, Decimal(1), "ZZ")

    def test_slow_carrier(self):
        self.assertEqual(CarrierClient(latency=0.2).quote(Decimal(1), "DE"), Decimal("8.20"))

    def test_all_zones(self):
        quotes = [
            CarrierClient(latency=0.05).quote(Decimal(1), c) for c in ("DE", "FR", "SE", "US")
        ]
        self.assertEqual(quotes, sorted(quotes))

    def test_fast_carrier(self):
        self.assertTrue(CarrierClient(latency=0.05).book(3, Decimal(1), "FR").startswith("TRK"))


class ShipOrderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.products = make_products("SHP", make_category("shipping"), 10, stock=20)
        Product.objects.filter(pk=cls.products[0].pk).update(weight_kg=Decimal("2.500"))
        cls.customer = make_customer("shipping")

    def paid_order(self, index: int = 0, quantity: int = 1) -> Order:
        return mark_paid(place_order(self.customer, {self.products[index].pk: quantity}))

    def test_ship_paid_order(self):
        order = self.paid_order()
        ship_order(order, "DE")
        self.assertEqual(Order.objects.get(pk=order.pk).status, Order.Status.SHIPPED)

    def test_shipped_at_is_set(self):
        order = self.paid_order(1)
        ship_order(order, "FR")
        self.assertIsNotNone(Order.objects.get(pk=order.pk).shipped_at)

    def test_pending_order_cannot_ship(self):
        order = place_order(self.customer, {self.products[2].pk: 1})
        with self.assertRaises(OrderError):
            ship_order(order, "DE")

    def test_tracking_number(self):
        self.assertTrue(ship_order(self.paid_order(3), "NL").startswith("TRK"))

    def test_failed_booking_keeps_order_paid(self):
        order = self.paid_order(4)
        with self.assertRaises(CarrierError):
            ship_order(order, "XX")
        self.assertEqual(Order.objects.get(pk=order.pk).status, Order.Status.PAID)

    def test_heavy_parcel(self):
        order = self.paid_order(0, quantity=8)
        ship_order(order, "US", carrier=CarrierClient(latency=0.15))
        self.assertEqual(Order.objects.get(pk=order.pk).status, Order.Status.SHIPPED)

    def test_ship_several(self):
        orders = [self.paid_order(i) for i in (5, 6, 7)]
        for order in orders:
            ship_order(order, "IT", carrier=CarrierClient(latency=0.05))
        self.assertEqual(Order.objects.filter(customer=self.customer, status="shipped").count(), 3)

    def test_shipping_twice_is_rejected(self):
        order = self.paid_order(8)
        ship_order(order, "DE")
        with self.assertRaises(OrderError):
            ship_order(order, "DE")
