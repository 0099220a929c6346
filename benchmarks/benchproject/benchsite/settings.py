"""Settings of the benchmark project: SQLite by default, PostgreSQL or MySQL from DATABASE_URL."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "benchmark-only-not-secret"
# The runner may refuse concurrency where a project looks like production; this is not one.
DEBUG = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "concurrent_test_app",
    "catalog",
    "orders",
    "billing",
]

MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "benchsite.urls"


def database_from_url(url: str) -> dict:
    """Turn postgres:// (or mysql://) user:pass@host:port/name into a DATABASES entry."""
    parsed = urlparse(url)
    engines = {"postgres": "postgresql", "postgresql": "postgresql", "mysql": "mysql"}
    if parsed.scheme not in engines:
        raise ValueError(f"DATABASE_URL={url!r}: expected a postgres:// or mysql:// URL")
    name = unquote(parsed.path.lstrip("/")) or "bench"
    return {
        "ENGINE": f"django.db.backends.{engines[parsed.scheme]}",
        "NAME": name,
        # NAME_test rather than Django's test_NAME: on a shared server every database the
        # benchmarks create (test database, clones, templates, xdist's _gwN) starts with NAME.
        "TEST": {"NAME": f"{name}_test"},
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    # A file NAME, so the test database is Django's default in-memory SQLite.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Tests create many users; the default PBKDF2 hasher would dominate their run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
