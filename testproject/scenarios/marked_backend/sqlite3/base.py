"""Django's sqlite3 backend whose features carry the scenario's skip and expected failure."""

from __future__ import annotations

from django.db.backends.sqlite3 import base

from scenarios.marked_backend import with_planted_marks


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = with_planted_marks(base.DatabaseWrapper.features_class)
