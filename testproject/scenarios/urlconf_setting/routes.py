"""An app's URL patterns, built from ``SCENARIO_EXTRA_ROUTES`` when first imported."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.urls import path


def page(request):
    """Any page: the scenario is about which routes exist, not what they serve."""
    return HttpResponse("ok")


urlpatterns = [path("home/", page, name="scenario-home")]
if settings.SCENARIO_EXTRA_ROUTES:
    urlpatterns.append(path("extra/", page, name="scenario-extra"))
