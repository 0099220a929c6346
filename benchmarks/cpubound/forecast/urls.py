"""JSON endpoints of the forecast app."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("<str:name>/summary/", views.summary, name="forecast-summary"),
    path("<str:name>/predict/<int:horizon>/", views.predict, name="forecast-predict"),
]
