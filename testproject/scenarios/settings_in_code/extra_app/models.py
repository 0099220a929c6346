"""A model of an app installed at run time (no migrations: Django syncs it for tests)."""

from django.db import models


class Note(models.Model):
    """Saved by the scenario's tests."""

    text = models.CharField(max_length=50)
