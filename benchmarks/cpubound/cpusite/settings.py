"""Settings of the CPU-bound project: its own four apps; SQLite, or PostgreSQL from DATABASE_URL.

The database settings come from benchsite (a symlink to benchproject's), so both projects
read DATABASE_URL alike; the apps, the URLs and the SQLite file are this project's own.
"""

from __future__ import annotations

from pathlib import Path

from benchsite.settings import *
from benchsite.settings import DATABASES

BASE_DIR = Path(__file__).resolve().parent.parent

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "concurrent_test_app",
    "routing",
    "pricing",
    "textmine",
    "forecast",
]

ROOT_URLCONF = "cpusite.urls"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES = {"default": {**DATABASES["default"], "NAME": BASE_DIR / "db.sqlite3"}}
