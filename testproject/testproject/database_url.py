"""Build the ``default`` and ``other`` DATABASES aliases from an optional DATABASE_URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

POSTGRES_SCHEMES = ("postgres", "postgresql")
OTHER_SUFFIX = "_other"


def sqlite_databases(base_dir: Path) -> dict[str, dict[str, Any]]:
    """Two SQLite files; TEST NAME stays unset so Django tests in memory."""
    return {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": base_dir / "db.sqlite3"},
        "other": {"ENGINE": "django.db.backends.sqlite3", "NAME": base_dir / "other.sqlite3"},
    }


def postgres_databases(url: str) -> dict[str, dict[str, Any]]:
    """Both aliases on the server named by ``url``; ``other`` gets the ``_other`` suffix."""
    parts = urlsplit(url)
    # The URL carries a password, so errors name the offending part, never the URL.
    if parts.scheme not in POSTGRES_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {parts.scheme!r}: expected one of "
            f"{', '.join(POSTGRES_SCHEMES)} (e.g. postgres://user:pass@host:5432/name)"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name or "/" in name:
        raise ImproperlyConfigured(
            f"DATABASE_URL path {parts.path!r}: expected one database name, "
            "e.g. postgres://user:pass@host:5432/name"
        )
    try:
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL port: {error}") from None
    default = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port) if port else "",
    }
    return {"default": default, "other": {**default, "NAME": name + OTHER_SUFFIX}}


def databases_from_url(url: str | None, base_dir: Path) -> dict[str, dict[str, Any]]:
    """PostgreSQL when ``url`` is given, otherwise SQLite files under ``base_dir``."""
    if url:
        return postgres_databases(url)
    return sqlite_databases(base_dir)
