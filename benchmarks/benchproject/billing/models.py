"""Billing models: what a customer owes and what they paid."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class TaxRate(models.Model):
    country = models.CharField(max_length=2, unique=True)
    rate = models.DecimalField(max_digits=5, decimal_places=4)

    class Meta:
        ordering = ["country"]


class Invoice(models.Model):
    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(max_length=20, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    tax = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    paid = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount_non_negative")
        ]

    @property
    def gross(self):
        return self.amount + self.tax


class Payment(models.Model):
    class Method(models.TextChoices):
        CARD = "card", "Card"
        TRANSFER = "transfer", "Bank transfer"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    method = models.CharField(max_length=16, choices=Method.choices)
    reference = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
