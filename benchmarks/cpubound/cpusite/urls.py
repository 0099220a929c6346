"""URLs of the CPU-bound project: the forecast app's JSON endpoints."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("forecast/", include("forecast.urls"))]
