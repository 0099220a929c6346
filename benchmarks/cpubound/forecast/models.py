"""Demand series, their observations and the forecasts fitted to them."""

from __future__ import annotations

from django.db import models


class Series(models.Model):
    name = models.CharField(max_length=60, unique=True)
    unit = models.CharField(max_length=12, default="units")
    seasonality = models.PositiveSmallIntegerField(default=7)


class Observation(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="observations")
    period = models.PositiveIntegerField()
    value = models.FloatField()
    is_outlier = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "period"], name="observation_unique")
        ]


class Forecast(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="forecasts")
    method = models.CharField(max_length=20)
    horizon = models.PositiveSmallIntegerField()
    error = models.FloatField(null=True)
    parameters = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True, null=True)
