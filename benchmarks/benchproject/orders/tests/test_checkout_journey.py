"""End-to-end checkout journeys: the suite's long class (several seconds in total).

Each journey scores fraud risk (CPU), charges the card and books the parcel
(two simulated HTTP calls) and writes orders, invoices and payments.
"""

from __future__ import annotations

from decimal import Decimal

from django.test import TestCase

from billing.gateway import PaymentDeclined, PaymentGateway
from billing.models import Invoice, Payment, TaxRate
from billing.services import issue_invoice, pay_by_card
from catalog.models import Product
from catalog.tests.factories import make_category, make_products
from orders.fraud import risk_score
from orders.models import Order
from orders.services import mark_paid, place_order, ship_order

from .factories import make_customer, make_order


class CheckoutJourneyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.products = make_products("JRN", make_category("journey"), 50, stock=100)
        TaxRate.objects.create(country="SE", rate=Decimal("0.25"))
        cls.customer = make_customer("journey")
        # A purchase history, so the fraud model has something to compare with.
        for index in range(0, 30, 3):
            make_order(cls.customer, [(cls.products[index], 1)], status=Order.Status.SHIPPED)

    def checkout(self, items, country="SE", token="tok_visa"):
        order = place_order(self.customer, items)
        history = [
            float(total)
            for total in self.customer.orders.order_by("pk").values_list("total", flat=True)
        ]
        self.assertTrue(0 <= risk_score(self.customer.pk, history) <= 1)
        invoice = issue_invoice(order, country)
        pay_by_card(invoice, token)
        mark_paid(order)
        tracking = ship_order(order, country)
        return order, Invoice.objects.get(pk=invoice.pk), tracking

    def test_single_item(self):
        _, invoice, _ = self.checkout({self.products[1].pk: 1})
        self.assertEqual(invoice.gross, Decimal("2.50"))

    def test_invoice_paid(self):
        _, invoice, _ = self.checkout({self.products[2].pk: 2})
        self.assertTrue(invoice.paid)

    def test_order_shipped(self):
        order, _, _ = self.checkout({self.products[4].pk: 1})
        self.assertEqual(Order.objects.get(pk=order.pk).status, Order.Status.SHIPPED)

    def test_tracking(self):
        _, _, tracking = self.checkout({self.products[5].pk: 1}, country="IT")
        self.assertTrue(tracking.startswith("TRK"))

    def test_payment_recorded(self):
        _, invoice, _ = self.checkout({self.products[7].pk: 3})
        self.assertEqual(invoice.payments.get().amount, invoice.gross)

    def test_stock_taken(self):
        self.checkout({self.products[8].pk: 10})
        self.assertEqual(Product.objects.get(pk=self.products[8].pk).stock, 90)

    def test_loyalty_points(self):
        self.checkout({self.products[40].pk: 1})
        self.customer.refresh_from_db()
        self.assertEqual(self.customer.loyalty_points, 41)

    def test_multi_item_basket(self):
        _, invoice, _ = self.checkout({p.pk: 1 for p in self.products[10:20]})
        self.assertEqual(invoice.amount, Decimal(sum(range(11, 21))))

    def test_untaxed_country(self):
        _, invoice, _ = self.checkout({self.products[11].pk: 1}, country="US")
        self.assertEqual(invoice.tax, Decimal(0))

    def test_tax_rounding(self):
        _, invoice, _ = self.checkout({self.products[12].pk: 1})
        self.assertEqual(invoice.tax, Decimal("3.25"))

    def test_declined_card_leaves_invoice_open(self):
        order = place_order(self.customer, {self.products[13].pk: 1})
        invoice = issue_invoice(order, "SE")
        with self.assertRaises(PaymentDeclined):
            pay_by_card(invoice, "tok_declined_insufficient_funds")
        self.assertFalse(Invoice.objects.get(pk=invoice.pk).paid)

    def test_retry_after_decline(self):
        order = place_order(self.customer, {self.products[14].pk: 1})
        invoice = issue_invoice(order, "SE")
        with self.assertRaises(PaymentDeclined):
            pay_by_card(invoice, "tok_declined_expired")
        pay_by_card(invoice, "tok_mastercard")
        self.assertTrue(Invoice.objects.get(pk=invoice.pk).paid)

    def test_two_checkouts(self):
        self.checkout({self.products[15].pk: 1})
        self.checkout({self.products[16].pk: 1})
        self.assertEqual(self.customer.orders.filter(status=Order.Status.SHIPPED).count(), 12)

    def test_invoice_number_from_order(self):
        order, invoice, _ = self.checkout({self.products[17].pk: 1})
        self.assertEqual(invoice.number, f"INV-{order.pk:08d}")

    def test_big_spender_is_risky(self):
        order = place_order(self.customer, {self.products[49].pk: 90})
        history = [
            float(t) for t in self.customer.orders.order_by("pk").values_list("total", flat=True)
        ]
        self.assertGreater(risk_score(self.customer.pk, history), 0.99)
        self.assertEqual(order.total, Decimal("4500.00"))

    def test_slow_gateway(self):
        order = place_order(self.customer, {self.products[18].pk: 1})
        invoice = issue_invoice(order, "SE")
        pay_by_card(invoice, "tok_visa", gateway=PaymentGateway(latency=0.3))
        self.assertTrue(Invoice.objects.get(pk=invoice.pk).paid)

    def test_refund_after_shipping(self):
        _, invoice, _ = self.checkout({self.products[19].pk: 1})
        reference = PaymentGateway().refund(invoice.payments.get().reference, invoice.gross)
        self.assertTrue(reference.startswith("re_"))

    def test_payments_per_customer(self):
        self.checkout({self.products[20].pk: 1})
        self.checkout({self.products[21].pk: 1})
        self.assertEqual(Payment.objects.filter(invoice__order__customer=self.customer).count(), 2)

    def test_new_customer_has_neutral_risk(self):
        newcomer = make_customer("journey-newcomer")
        place_order(newcomer, {self.products[22].pk: 1})
        self.assertEqual(risk_score(newcomer.pk, [1.0]), 0.5)

    def test_history_is_unchanged_by_checkout(self):
        self.checkout({self.products[23].pk: 2})
        self.assertEqual(self.customer.orders.exclude(invoice__isnull=False).count(), 10)
