"""Django system checks of django-concurrent-test (``manage.py check`` shows them)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning

from . import config as config_module
from .exceptions import ConfigurationException
from .safety import production_reason

RUNNER_PREFIX = "concurrent_test_app."


def check_configuration(app_configs=None, **kwargs) -> list:
    """E001: every option resolves to an accepted value."""
    try:
        config_module.resolve()
    except ConfigurationException as error:
        return [
            Error(
                f"Invalid django-concurrent-test configuration: {error}",
                hint=(
                    "Fix or unset that value; the documentation's Configuration page "
                    "(docs/ref/options.rst) lists every option and its values."
                ),
                id="concurrent_test.E001",
            )
        ]
    return []


def check_clonable_databases(app_configs=None, **kwargs) -> list:
    """W001: a database engine the runner cannot clone makes test runs sequential."""
    # Imported here: apps.ready() imports this module in every worker too, and the
    # worker has no use for the backends' parent-side code.
    from .backends import backend_for, engine_vendor

    warnings = []
    for alias, database in settings.DATABASES.items():
        engine = database.get("ENGINE", "")
        clonable = backend_for(engine_vendor(engine)) is not None
        if not clonable and not database.get("TEST", {}).get("MIRROR"):
            warnings.append(
                Warning(
                    f"Database alias {alias!r} uses {engine!r}, which the concurrent test "
                    "runner cannot clone: runs that use it will be sequential.",
                    hint="Run the tests on SQLite, PostgreSQL or MySQL/MariaDB to run them "
                    "concurrently.",
                    id="concurrent_test.W001",
                )
            )
    return warnings


def check_app_installed(app_configs=None, **kwargs) -> list:
    """W002: TEST_RUNNER is ours but the app is missing from INSTALLED_APPS."""
    runner = getattr(settings, "TEST_RUNNER", "") or ""
    if runner.startswith(RUNNER_PREFIX) and "concurrent_test_app" not in settings.INSTALLED_APPS:
        return [
            Warning(
                f"TEST_RUNNER is {runner!r} but 'concurrent_test_app' is not in INSTALLED_APPS.",
                hint="Add 'concurrent_test_app' to INSTALLED_APPS to get the concurrenttest "
                "command and these checks.",
                id="concurrent_test.W002",
            )
        ]
    return []


def check_production(app_configs=None, **kwargs) -> list:
    """W003: production-looking settings make test runs sequential."""
    try:
        allow = config_module.resolve().allow_production
    except ConfigurationException:
        return []  # E001 reports it
    reason = production_reason(settings, allow=allow)
    if reason:
        return [
            Warning(
                f"The environment looks like production ({reason}): concurrent test runs "
                "will fall back to sequential.",
                hint="If this is not production, remove the marker or set "
                "CONCURRENT_TEST = {'ALLOW_PRODUCTION': True}.",
                id="concurrent_test.W003",
            )
        ]
    return []


ALL_CHECKS = (
    check_configuration,
    check_clonable_databases,
    check_app_installed,
    check_production,
)
