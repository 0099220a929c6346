"""URL configuration: the demo project serves no pages, it only carries tests."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
