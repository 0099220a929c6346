"""Settings of the demo project: three apps, two database aliases, the concurrent runner."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from testproject.database_url import databases_from_url

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "django-insecure-demo-project-key-not-for-production"
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    # For StaticLiveServerTestCase (scenarios.kinds): it serves the apps' static files.
    "django.contrib.staticfiles",
    "concurrent_test_app",
    "library",
    "shop",
]

ROOT_URLCONF = "testproject.urls"
STATIC_URL = "static/"

# SQLite by default; DATABASE_URL=postgres://user:pass@host:port/name (or mysql://…) moves both
# aliases to that server (``other`` becomes ``name_other``).
DATABASES = databases_from_url(os.environ.get("DATABASE_URL"), BASE_DIR)

# The warehouse app: several seconds of database work, so that the README's first run shows
# what concurrency buys. This project's own test suite, which runs the demo hundreds of
# times, leaves it out (tests/conftest.py sets DEMO_WAREHOUSE=off).
DEMO_WAREHOUSE = os.environ.get("DEMO_WAREHOUSE", "on")
if DEMO_WAREHOUSE not in ("on", "off"):
    raise ImproperlyConfigured(f"DEMO_WAREHOUSE={DEMO_WAREHOUSE!r}: expected 'on' or 'off'")
if DEMO_WAREHOUSE == "on":
    INSTALLED_APPS.append("warehouse")

USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEST_RUNNER = "concurrent_test_app.runner.ConcurrentTestRunner"

# A plain TransactionTestCase flushes and post_migrate recreates content types and
# permissions under new primary keys; restoring serialized copies of them in a later
# serialized_rollback class then fails with IntegrityError (Django ticket #23727).
# Leaving both apps out of the serialization makes the outcome independent of the
# order in which classes run on a database.
TEST_NON_SERIALIZED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]

# PASSWORD_HASHERS is deliberately left at Django's default: the worker hook
# switches to MD5 at runtime, which is what test_worker_setup checks.
CONCURRENT_TEST = {
    "WORKER_SETUP": "testproject.worker_setup.configure_worker",
}
