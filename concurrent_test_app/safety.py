"""Refusing to be dangerous: production detection and protection of real databases.

The production rule, first match wins:
    1. ``CONCURRENT_TEST["ALLOW_PRODUCTION"]`` (or DJANGO_TEST_ALLOW_PRODUCTION) is true:
       not production, knowingly.
    2. An explicit marker: DJANGO_ENV, DJANGO_ENVIRONMENT, ENVIRONMENT or APP_ENV equals
       ``production`` or ``prod`` (any case): production, even in CI.
    3. The settings' own production signature: ``DEBUG = False`` as configured (before
       Django's test set-up forces it) together with ``SECURE_SSL_REDIRECT = True`` or
       ``SECURE_HSTS_SECONDS > 0``: production, unless the ``CI`` variable is set, as
       every common CI service does (a CI job with a database service is not production).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from .exceptions import SecurityException

MARKER_VARIABLES = ("DJANGO_ENV", "DJANGO_ENVIRONMENT", "ENVIRONMENT", "APP_ENV")
PRODUCTION_VALUES = frozenset({"production", "prod"})
_CONFIGURED_DEBUG: list[bool] = []  # filled once, before the test environment changes DEBUG


def remember_configured_debug() -> None:
    """Record ``settings.DEBUG`` as the project configured it (call before tests set up)."""
    from django.conf import settings

    if not _CONFIGURED_DEBUG:
        _CONFIGURED_DEBUG.append(bool(settings.DEBUG))


def configured_debug() -> bool:
    """``DEBUG`` as configured, read now if it was not recorded earlier."""
    remember_configured_debug()
    return _CONFIGURED_DEBUG[0]


def production_reason(
    settings,
    environ: Mapping[str, str] | None = None,
    debug: bool | None = None,
    allow: bool = False,
) -> str | None:
    """Why this environment looks like production, or None (see the module's rule)."""
    environ = os.environ if environ is None else environ
    if allow:
        return None
    for name in MARKER_VARIABLES:
        value = environ.get(name, "")
        if value.strip().lower() in PRODUCTION_VALUES:
            return f"{name}={value!r}"
    debug = configured_debug() if debug is None else debug
    ssl_redirect = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
    hsts = getattr(settings, "SECURE_HSTS_SECONDS", 0) or 0
    if not debug and (ssl_redirect or hsts > 0) and not _truthy(environ.get("CI", "")):
        which = "SECURE_SSL_REDIRECT = True" if ssl_redirect else f"SECURE_HSTS_SECONDS = {hsts}"
        return f"DEBUG = False with {which}"
    return None


def refuse_real_names(test_names: Mapping[str, str], protected: set[str]) -> None:
    """Raise SecurityException if a test database would take a configured NAME."""
    for alias, name in test_names.items():
        if name in protected:
            raise SecurityException(
                f"Refusing to run: the test database of alias {alias!r} would be {name!r}, "
                "which is the NAME of a configured database. Django would create and drop "
                "it. Set DATABASES[...]['TEST']['NAME'] to a name of its own."
            )


def _truthy(value: str) -> bool:
    return value.strip().lower() not in ("", "0", "false", "no", "off")
