"""Depots, the lanes between them and the vehicles that drive them."""

from __future__ import annotations

from django.db import models


class Region(models.Model):
    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=80)
    fuel_price = models.DecimalField(max_digits=6, decimal_places=3, default="1.650")

    def __str__(self) -> str:
        return self.code


class Depot(models.Model):
    name = models.CharField(max_length=80)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="depots")
    latitude = models.FloatField()
    longitude = models.FloatField()
    capacity = models.PositiveIntegerField(default=100)
    is_open = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["region", "is_open"], name="depot_region_open")]

    def __str__(self) -> str:
        return self.name


class Lane(models.Model):
    origin = models.ForeignKey(Depot, on_delete=models.CASCADE, related_name="lanes_out")
    destination = models.ForeignKey(Depot, on_delete=models.CASCADE, related_name="lanes_in")
    km = models.FloatField()
    minutes = models.PositiveIntegerField()
    toll = models.DecimalField(max_digits=8, decimal_places=2, default="0.00")
    is_ferry = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination"], name="lane_unique_pair")
        ]


class Vehicle(models.Model):
    code = models.CharField(max_length=12, unique=True)
    depot = models.ForeignKey(Depot, on_delete=models.CASCADE, related_name="vehicles")
    payload_kg = models.PositiveIntegerField()
    km_per_litre = models.FloatField(default=9.5)
