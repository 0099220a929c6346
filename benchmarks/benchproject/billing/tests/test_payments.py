"""Card payments and refunds; every gateway call waits on a simulated HTTP round trip."""

from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase, TestCase

from billing.gateway import PaymentDeclined, PaymentGateway
from billing.models import Invoice, Payment
from billing.services import amount_paid, pay_by_card, reconcile

from .factories import make_invoices


class CardPaymentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.invoices = make_invoices("PAY", 12)

    def test_payment_marks_invoice_paid(self):
        pay_by_card(self.invoices[0], "tok_visa")
        self.assertTrue(Invoice.objects.get(pk=self.invoices[0].pk).paid)

    def test_payment_amount_is_outstanding(self):
        self.assertEqual(pay_by_card(self.invoices[1], "tok_visa").amount, Decimal("2.00"))

    def test_partial_payment_then_card(self):
        Payment.objects.create(invoice=self.invoices[2], amount=Decimal("1.00"), method="transfer")
        self.assertEqual(pay_by_card(self.invoices[2], "tok_visa").amount, Decimal("2.00"))

    def test_declined(self):
        with self.assertRaises(PaymentDeclined):
            pay_by_card(self.invoices[3], "tok_declined_stolen")
        self.assertFalse(Payment.objects.filter(invoice=self.invoices[3]).exists())

    def test_reference_is_stored(self):
        payment = pay_by_card(self.invoices[4], "tok_amex")
        self.assertTrue(Payment.objects.get(pk=payment.pk).reference.startswith("ch_"))

    def test_method_is_card(self):
        self.assertEqual(pay_by_card(self.invoices[5], "tok_visa").method, Payment.Method.CARD)

    def test_amount_paid_after_payment(self):
        pay_by_card(self.invoices[6], "tok_visa")
        self.assertEqual(amount_paid(self.invoices[6]), Decimal("7.00"))

    def test_transfer_then_reconcile(self):
        Payment.objects.create(invoice=self.invoices[7], amount=Decimal("8.00"), method="transfer")
        self.assertTrue(reconcile(self.invoices[7]))

    def test_underpaid_is_not_reconciled(self):
        Payment.objects.create(invoice=self.invoices[8], amount=Decimal("1.00"), method="transfer")
        self.assertFalse(reconcile(self.invoices[8]))

    def test_slow_gateway(self):
        pay_by_card(self.invoices[9], "tok_visa", gateway=PaymentGateway(latency=0.2))
        self.assertTrue(Invoice.objects.get(pk=self.invoices[9].pk).paid)

    def test_fast_gateway(self):
        pay_by_card(self.invoices[10], "tok_visa", gateway=PaymentGateway(latency=0.05))
        self.assertEqual(self.invoices[10].payments.count(), 1)

    def test_paying_several_invoices(self):
        for invoice in self.invoices[11:]:
            pay_by_card(invoice, "tok_visa")
        self.assertEqual(Payment.objects.filter(invoice__in=self.invoices[11:]).count(), 1)


class GatewayContractTests(SimpleTestCase):
    gateway = PaymentGateway(latency=0.1)

    def test_charge_reference(self):
        self.assertRegex(self.gateway.charge(Decimal(10), "tok_visa"), r"^ch_[0-9a-f]{16}$")

    def test_charge_is_idempotent(self):
        self.assertEqual(
            self.gateway.charge(Decimal(5), "tok_a"), self.gateway.charge(Decimal(5), "tok_a")
        )

    def test_zero_charge_is_refused(self):
        with self.assertRaises(ValueError):
            self.gateway.charge(Decimal(0), "tok_visa")

    def test_declined_token(self):
        with self.assertRaises(PaymentDeclined):
            self.gateway.charge(Decimal(5), "tok_declined_generic")

    def test_refund_reference(self):
        self.assertTrue(self.gateway.refund("ch_123", Decimal(5)).startswith("re_"))

    def test_partial_refunds_differ(self):
        self.assertNotEqual(
            self.gateway.refund("ch_1", Decimal(1)), self.gateway.refund("ch_1", Decimal(2))
        )

    def test_slow_refund(self):
        self.assertTrue(PaymentGateway(latency=0.2).refund("ch_9", Decimal(9)).startswith("re_"))

    def test_different_tokens_differ(self):
        self.assertNotEqual(
            self.gateway.charge(Decimal(5), "tok_a"), self.gateway.charge(Decimal(5), "tok_b")
        )
