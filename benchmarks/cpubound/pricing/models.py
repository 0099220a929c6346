"""Price lists, discount rules and the quotes computed from them."""

from __future__ import annotations

from django.db import models


class PriceList(models.Model):
    name = models.CharField(max_length=60, unique=True)
    currency = models.CharField(max_length=3, default="EUR")
    vat_rate = models.DecimalField(max_digits=5, decimal_places=4, default="0.2000")


class Item(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="items")
    sku = models.CharField(max_length=20)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    weight_g = models.PositiveIntegerField(default=0)
    category = models.CharField(max_length=20, default="general", db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["price_list", "sku"], name="item_unique_sku")
        ]


class Rule(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="rules")
    min_quantity = models.PositiveIntegerField(default=1)
    percent_off = models.DecimalField(max_digits=5, decimal_places=2)
    category = models.CharField(max_length=20, blank=True, default="")
    priority = models.PositiveSmallIntegerField(default=100)


class Quote(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="quotes")
    reference = models.CharField(max_length=20, unique=True)
    net = models.DecimalField(max_digits=12, decimal_places=2, default="0.00")
    gross = models.DecimalField(max_digits=12, decimal_places=2, default="0.00")
    lines = models.PositiveIntegerField(default=0)
