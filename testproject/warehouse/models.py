"""Models of the warehouse app: a stock level is the sum of an item's movements."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Warehouse(models.Model):
    code = models.CharField(max_length=6, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Item(models.Model):
    sku = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=100)
    unit_cost = models.DecimalField(max_digits=10, decimal_places=2)
    reorder_level = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sku"]

    def __str__(self) -> str:
        return self.sku


class Movement(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Receipt"
        SHIPMENT = "shipment", "Shipment"
        TRANSFER = "transfer", "Transfer"
        ADJUSTMENT = "adjustment", "Adjustment"

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="movements")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="movements")
    quantity = models.IntegerField()  # positive in, negative out
    kind = models.CharField(max_length=10, choices=Kind.choices)
    moved_at = models.DateTimeField(default=timezone.now)
    reference = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["moved_at", "pk"]
        indexes = [models.Index(fields=["item", "warehouse", "moved_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+d} {self.item} @ {self.warehouse}"


class StockCount(models.Model):
    """A physical count of one item in one warehouse, reconciled against the movements."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="counts")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="counts")
    counted = models.PositiveIntegerField()
    counted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["counted_at", "pk"]
