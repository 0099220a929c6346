"""App configuration of the warehouse app."""

from __future__ import annotations

from django.apps import AppConfig


class WarehouseConfig(AppConfig):
    name = "warehouse"
    default_auto_field = "django.db.models.BigAutoField"
