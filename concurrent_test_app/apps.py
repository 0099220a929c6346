"""The Django app: adding ``concurrent_test_app`` to INSTALLED_APPS gives ``concurrenttest``."""

from __future__ import annotations

from django.apps import AppConfig


class ConcurrentTestAppConfig(AppConfig):
    """App configuration of django-concurrent-test."""

    name = "concurrent_test_app"
    verbose_name = "Concurrent test runner"
