"""App configuration of the textmine app."""

from __future__ import annotations

from django.apps import AppConfig


class TextmineConfig(AppConfig):
    name = "textmine"
