"""The error types the runner raises; every one derives from ConcurrentTestException.

Errors a user must fix before a run can start (bad configuration, missing permission,
a refused unsafe operation) are also Django ``CommandError``s with exit status 2, so
``manage.py test`` prints one line and stops before any test runs.
"""

from __future__ import annotations

from django.core.management import CommandError


class ConcurrentTestException(Exception):
    """Base class of every error raised by django-concurrent-test."""


class _UsageError(ConcurrentTestException, CommandError):
    """A problem the user must fix; ``manage.py`` exits with status 2."""

    def __init__(self, message: str) -> None:
        # Exit status 2 mirrors argparse's usage errors: the run never started.
        super().__init__(message, returncode=2)


class ConfigurationException(_UsageError):
    """A setting, environment variable or option has a value the runner cannot accept."""


class PermissionException(_UsageError):
    """The database user lacks a permission the run needs (e.g. CREATEDB)."""


class SecurityException(_UsageError):
    """The runner refused an operation that could touch a database it did not create."""


class DatabaseCloneException(ConcurrentTestException):
    """A worker database could not be created from the test database."""


class DatabaseTemplateException(ConcurrentTestException):
    """The template database the workers are cloned from could not be prepared."""


class WorkerStartException(ConcurrentTestException):
    """A worker process failed to start or to verify its database."""


class WorkerCrashException(ConcurrentTestException):
    """Reported as the error of the test a worker was running when it died."""


class WorkerTimeoutException(ConcurrentTestException):
    """Reported as the error of a test that ran longer than the timeout."""
