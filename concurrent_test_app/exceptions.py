"""The error types the runner raises; every one derives from ConcurrentTestException."""

from __future__ import annotations

from django.core.management import CommandError


class ConcurrentTestException(Exception):
    """Base class of every error raised by django-concurrent-test."""


class ConfigurationError(ConcurrentTestException, CommandError):
    """A setting, environment variable or option has a value the runner cannot accept."""

    def __init__(self, message: str) -> None:
        # Exit status 2 mirrors argparse's usage errors: the run never started.
        super().__init__(message, returncode=2)


class DatabaseCloneException(ConcurrentTestException):
    """A worker database could not be created from the test database."""


class DatabaseTemplateException(ConcurrentTestException):
    """The template database the workers are cloned from could not be prepared."""


class PermissionException(ConcurrentTestException):
    """The database user lacks a permission the runner needs (e.g. CREATE)."""


class SecurityException(ConcurrentTestException):
    """The runner refused an operation that could touch a non-test database."""


class WorkerStartError(ConcurrentTestException):
    """A worker process failed to start or to verify its database."""
