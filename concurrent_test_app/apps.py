"""The Django app: adding ``concurrent_test_app`` to INSTALLED_APPS gives ``concurrenttest``."""

from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class ConcurrentTestAppConfig(AppConfig):
    """App configuration of django-concurrent-test: configuration checks at start-up."""

    name = "concurrent_test_app"
    verbose_name = "Concurrent test runner"

    def ready(self) -> None:
        """Record the configured DEBUG and register the system checks (no database query)."""
        from . import checks as our_checks
        from .safety import remember_configured_debug

        # Django's test set-up forces DEBUG = False later; production detection needs
        # the value the project configured.
        remember_configured_debug()
        for check in our_checks.ALL_CHECKS:
            checks.register(check, "concurrent_test")
