"""Reconciliation under real commits and rollbacks (TransactionTestCase)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.test import TransactionTestCase

from billing.models import Invoice, Payment
from billing.services import pay_by_card, reconcile

from .factories import make_invoices


class ReconciliationTests(TransactionTestCase):
    def setUp(self):
        self.invoices = make_invoices("REC", 5)

    def test_exact_payment(self):
        Payment.objects.create(invoice=self.invoices[0], amount=Decimal("1.00"), method="transfer")
        self.assertTrue(reconcile(self.invoices[0]))

    def test_overpayment_counts_as_paid(self):
        Payment.objects.create(invoice=self.invoices[1], amount=Decimal("50.00"), method="transfer")
        self.assertTrue(reconcile(self.invoices[1]))

    def test_payment_rolled_back_with_outer_transaction(self):
        try:
            with transaction.atomic():
                pay_by_card(self.invoices[2], "tok_visa")
                raise RuntimeError("bookkeeping failed")
        except RuntimeError:
            pass
        self.assertFalse(Payment.objects.exists())
        self.assertFalse(Invoice.objects.get(pk=self.invoices[2].pk).paid)

    def test_card_payment_commits(self):
        pay_by_card(self.invoices[3], "tok_visa")
        self.assertEqual(Payment.objects.count(), 1)

    def test_split_payments(self):
        for amount in ("1.00", "1.50", "1.50"):
            Payment.objects.create(
                invoice=self.invoices[3], amount=Decimal(amount), method="transfer"
            )
        self.assertTrue(reconcile(self.invoices[3]))

    def test_only_this_tests_invoices_exist(self):
        self.assertEqual(Invoice.objects.count(), 5)
