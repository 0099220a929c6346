"""Issuing invoices and looking up tax rates."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Sum
from django.test import TestCase

from billing.models import Invoice, TaxRate
from billing.services import amount_paid, invoice_number, issue_invoice, tax_rate_for
from orders.models import Order

from .factories import make_invoices


class InvoiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        TaxRate.objects.create(country="DK", rate=Decimal("0.25"))
        cls.invoices = make_invoices("INVT", 40, country="DK")

    def test_number_format(self):
        invoice = self.invoices[0]
        self.assertEqual(invoice.number, invoice_number(invoice.order))
        self.assertRegex(invoice.number, r"^INV-\d{8}$")

    def test_amount_is_order_total(self):
        self.assertEqual(self.invoices[9].amount, Decimal("10.00"))

    def test_tax(self):
        self.assertEqual(self.invoices[9].tax, Decimal("2.50"))

    def test_tax_rounds_half_up(self):
        self.assertEqual(self.invoices[0].tax, Decimal("0.25"))

    def test_gross(self):
        self.assertEqual(self.invoices[3].gross, Decimal("5.00"))

    def test_unpaid_by_default(self):
        self.assertFalse(
            Invoice.objects.filter(pk__in=[i.pk for i in self.invoices], paid=True).exists()
        )

    def test_nothing_paid_yet(self):
        self.assertEqual(amount_paid(self.invoices[5]), Decimal(0))

    def test_one_invoice_per_order(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            issue_invoice(self.invoices[1].order, "DK")

    def test_negative_amount_is_rejected(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Invoice.objects.filter(pk=self.invoices[2].pk).update(amount=Decimal(-1))

    def test_invoiced_order_cannot_be_deleted(self):
        with self.assertRaises(ProtectedError):
            Order.objects.get(pk=self.invoices[4].order_id).delete()

    def test_total_invoiced(self):
        total = Invoice.objects.filter(pk__in=[i.pk for i in self.invoices]).aggregate(
            v=Sum("amount")
        )["v"]
        self.assertEqual(total, Decimal(sum(range(1, 41))))

    def test_ordering_by_number(self):
        numbers = list(
            Invoice.objects.filter(pk__in=[i.pk for i in self.invoices]).values_list(
                "number", flat=True
            )
        )
        self.assertEqual(numbers, sorted(numbers))


class TaxRateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        TaxRate.objects.bulk_create(
            [
                TaxRate(country="IT", rate=Decimal("0.22")),
                TaxRate(country="ES", rate=Decimal("0.21")),
            ]
        )

    def test_known_country(self):
        self.assertEqual(tax_rate_for("IT"), Decimal("0.2200"))

    def test_unknown_country_is_untaxed(self):
        self.assertEqual(tax_rate_for("QQ"), Decimal(0))

    def test_country_is_unique(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            TaxRate.objects.create(country="IT", rate=Decimal("0.10"))

    def test_rate_change(self):
        TaxRate.objects.filter(country="ES").update(rate=Decimal("0.10"))
        self.assertEqual(tax_rate_for("ES"), Decimal("0.1000"))

    def test_invoice_uses_rate(self):
        (invoice,) = make_invoices("TAXR", 1, country="ES")
        self.assertEqual(invoice.tax, Decimal("0.21"))

    def test_rates_ordered_by_country(self):
        countries = list(
            TaxRate.objects.filter(country__in=["IT", "ES"]).values_list("country", flat=True)
        )
        self.assertEqual(countries, ["ES", "IT"])
