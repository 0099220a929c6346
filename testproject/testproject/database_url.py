"""Build the ``default`` and ``other`` DATABASES aliases from an optional DATABASE_URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
    "mariadb": "django.db.backends.mysql",
}
OTHER_SUFFIX = "_other"


def sqlite_databases(base_dir: Path) -> dict[str, dict[str, Any]]:
    """Two SQLite files; TEST NAME stays unset so Django tests in memory."""
    return {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": base_dir / "db.sqlite3"},
        "other": {"ENGINE": "django.db.backends.sqlite3", "NAME": base_dir / "other.sqlite3"},
    }


def server_databases(url: str) -> dict[str, dict[str, Any]]:
    """Both aliases on the server named by ``url``; ``other`` gets the ``_other`` suffix."""
    parts = urlsplit(url)
    # The URL carries a password, so errors name the offending part, never the URL.
    if parts.scheme not in ENGINES:
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {parts.scheme!r}: expected one of {', '.join(ENGINES)} "
            "(e.g. postgres://user:pass@host:5432/name or mysql://user:pass@host:3306/name)"
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
        "ENGINE": ENGINES[parts.scheme],
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port) if port else "",
    }
    if default["ENGINE"] == ENGINES["mysql"]:
        # utf8mb4 everywhere: the scenarios store non-ASCII text. Django's test
        # database gets the same charset (TEST CHARSET), so do the worker clones.
        default["OPTIONS"] = {"charset": "utf8mb4"}
        default["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
    other = {**default, "NAME": name + OTHER_SUFFIX}
    # Nested dicts of their own: Django fills in TEST per alias.
    other.update({key: dict(value) for key, value in default.items() if isinstance(value, dict)})
    return {"default": default, "other": other}


def databases_from_url(url: str | None, base_dir: Path) -> dict[str, dict[str, Any]]:
    """PostgreSQL or MySQL/MariaDB when ``url`` is given, otherwise SQLite files under ``base_dir``."""
    if url:
        return server_databases(url)
    return sqlite_databases(base_dir)
