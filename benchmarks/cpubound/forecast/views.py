"""Summaries and predictions of a series, as JSON."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Series
from .services import describe, holt_winters, values_of


def summary(request, name: str) -> JsonResponse:
    series = get_object_or_404(Series, name=name)
    return JsonResponse({"name": series.name, **describe(values_of(series))})


def predict(request, name: str, horizon: int) -> JsonResponse:
    series = get_object_or_404(Series, name=name)
    values = values_of(series)
    forecast = holt_winters(values, series.seasonality, horizon)
    return JsonResponse({"name": series.name, "forecast": [round(v, 3) for v in forecast]})
