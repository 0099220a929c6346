"""The root URLconf that ``run_changed.py`` sets at run time."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("changed/", lambda request: HttpResponse("changed"), name="scenario-changed")]
