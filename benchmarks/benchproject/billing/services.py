"""Issuing invoices, taking payments and reconciling them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum

from orders.models import Order

from .gateway import PaymentGateway
from .models import Invoice, Payment, TaxRate

CENT = Decimal("0.01")


def tax_rate_for(country: str) -> Decimal:
    rate = TaxRate.objects.filter(country=country).values_list("rate", flat=True).first()
    return rate if rate is not None else Decimal(0)


def invoice_number(order: Order) -> str:
    return f"INV-{order.pk:08d}"


@transaction.atomic
def issue_invoice(order: Order, country: str) -> Invoice:
    tax = (order.total * tax_rate_for(country)).quantize(CENT, rounding=ROUND_HALF_UP)
    return Invoice.objects.create(
        order=order, number=invoice_number(order), amount=order.total, tax=tax
    )


def amount_paid(invoice: Invoice) -> Decimal:
    return invoice.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def pay_by_card(invoice: Invoice, token: str, gateway: PaymentGateway | None = None) -> Payment:
    """Charge the outstanding amount; the gateway call stays outside the transaction."""
    outstanding = invoice.gross - amount_paid(invoice)
    reference = (gateway or PaymentGateway()).charge(outstanding, token)
    with transaction.atomic():
        payment = Payment.objects.create(
            invoice=invoice, amount=outstanding, method=Payment.Method.CARD, reference=reference
        )
        reconcile(invoice)
    return payment


@transaction.atomic
def reconcile(invoice: Invoice) -> bool:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    invoice.paid = amount_paid(invoice) >= invoice.gross
    invoice.save(update_fields=["paid"])
    return invoice.paid
