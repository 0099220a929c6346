"""App configuration of the forecast app."""

from __future__ import annotations

from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "forecast"
