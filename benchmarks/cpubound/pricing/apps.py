"""App configuration of the pricing app."""

from __future__ import annotations

from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "pricing"
