"""The root URLconf of ``testproject.variants.urlconf_setting``."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("app/", include("scenarios.urlconf_setting.routes"))]
