"""The system checks' exact messages, under override_settings, in this process."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTPROJECT = Path(__file__).resolve().parent.parent / "testproject"


@pytest.fixture(scope="module", autouse=True)
def django_settings():
    """Configure Django with the demo's settings (no database is touched)."""
    sys.path.insert(0, str(TESTPROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testproject.settings")
    import django

    django.setup()
    yield


def _ids_and_messages(results):
    return [(result.id, result.msg, result.hint) for result in results]


def test_invalid_configuration_is_an_error(monkeypatch):
    from django.test import override_settings

    from concurrent_test_app.checks import check_configuration

    monkeypatch.delenv("DJANGO_TEST_WORKERS", raising=False)
    with override_settings(CONCURRENT_TEST={"WORKERS": "many"}):
        assert _ids_and_messages(check_configuration()) == [
            (
                "concurrent_test.E001",
                (
                    "Invalid django-concurrent-test configuration: "
                    "settings.CONCURRENT_TEST['WORKERS']='many': expected a positive integer or 'auto'"
                ),
                (
                    "Fix or unset that value; the documentation's Configuration page "
                    "(docs/ref/options.rst) lists every option and its values."
                ),
            )
        ]
    with override_settings(CONCURRENT_TEST={"WORKERS": 2}):
        assert check_configuration() == []


def test_unclonable_engine_warns():
    from django.test import override_settings

    from concurrent_test_app.checks import check_clonable_databases

    databases = {"default": {"ENGINE": "django.db.backends.oracle", "NAME": "shop"}}
    with override_settings(DATABASES=databases):
        assert _ids_and_messages(check_clonable_databases()) == [
            (
                "concurrent_test.W001",
                (
                    "Database alias 'default' uses 'django.db.backends.oracle', which the "
                    "concurrent test runner cannot clone: runs that use it will be sequential."
                ),
                "Run the tests on SQLite, PostgreSQL or MySQL/MariaDB to run them concurrently.",
            )
        ]
    for engine in ("django.db.backends.sqlite3", "django.db.backends.mysql"):
        with override_settings(DATABASES={"default": {"ENGINE": engine, "NAME": "x"}}):
            assert check_clonable_databases() == [], engine


def test_runner_without_app_warns():
    from django.test import override_settings

    from concurrent_test_app.checks import check_app_installed

    runner = "concurrent_test_app.runner.ConcurrentTestRunner"
    with override_settings(TEST_RUNNER=runner, INSTALLED_APPS=["django.contrib.auth"]):
        assert _ids_and_messages(check_app_installed()) == [
            (
                "concurrent_test.W002",
                f"TEST_RUNNER is {runner!r} but 'concurrent_test_app' is not in INSTALLED_APPS.",
                (
                    "Add 'concurrent_test_app' to INSTALLED_APPS to get the concurrenttest "
                    "command and these checks."
                ),
            )
        ]
    with override_settings(TEST_RUNNER="django.test.runner.DiscoverRunner"):
        assert check_app_installed() == []


def test_production_settings_warn(monkeypatch):
    from django.test import override_settings

    from concurrent_test_app import safety
    from concurrent_test_app.checks import check_production

    monkeypatch.setattr(safety, "_CONFIGURED_DEBUG", [False])
    monkeypatch.delenv("CI", raising=False)
    for name in safety.MARKER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0):
        assert check_production() == []
    with override_settings(SECURE_HSTS_SECONDS=3600, SECURE_SSL_REDIRECT=False):
        assert _ids_and_messages(check_production()) == [
            (
                "concurrent_test.W003",
                (
                    "The environment looks like production (DEBUG = False with "
                    "SECURE_HSTS_SECONDS = 3600): concurrent test runs will fall back to sequential."
                ),
                (
                    "If this is not production, remove the marker or set "
                    "CONCURRENT_TEST = {'ALLOW_PRODUCTION': True}."
                ),
            )
        ]
        with override_settings(CONCURRENT_TEST={"ALLOW_PRODUCTION": True}):
            assert check_production() == []


@pytest.mark.parametrize(
    ("environ", "debug", "ssl", "expected"),
    [
        ({"DJANGO_ENV": "Production"}, True, False, "DJANGO_ENV='Production'"),
        ({"APP_ENV": "prod", "CI": "true"}, True, False, "APP_ENV='prod'"),
        ({"ENVIRONMENT": "staging"}, True, False, None),
        ({}, False, True, "DEBUG = False with SECURE_SSL_REDIRECT = True"),
        ({"CI": "true"}, False, True, None),  # a CI job is not production by signature
        ({}, True, True, None),  # DEBUG on: not production
        ({}, False, False, None),
    ],
)
def test_production_rule(environ, debug, ssl, expected):
    from types import SimpleNamespace

    from concurrent_test_app.safety import production_reason

    settings = SimpleNamespace(SECURE_SSL_REDIRECT=ssl, SECURE_HSTS_SECONDS=0)
    assert production_reason(settings, environ=environ, debug=debug) == expected
    assert production_reason(settings, environ=environ, debug=debug, allow=True) is None


def test_long_and_unsafe_postgres_names():
    from concurrent_test_app.backends.common import server_clone_name as postgres_clone_name
    from concurrent_test_app.exceptions import SecurityException

    assert postgres_clone_name("test_shop", 3) == "test_shop_w3"
    long_name = "test_" + "x" * 70
    first, second = postgres_clone_name(long_name, 1), postgres_clone_name(long_name, 2)
    assert len(first.encode()) <= 63 and len(second.encode()) <= 63
    assert first != second and first.endswith("_w1")
    with pytest.raises(SecurityException, match="double quotes"):
        postgres_clone_name('test_"evil', 1)


def test_mysql_clone_names():
    from concurrent_test_app.backends import CloneContext
    from concurrent_test_app.backends.mysql import MYSQL
    from concurrent_test_app.databases import DatabaseGroup
    from concurrent_test_app.exceptions import SecurityException

    kept, fresh = CloneContext(keepdb=True), CloneContext(keepdb=False)
    group = DatabaseGroup(("default",), "test_shop")
    assert MYSQL.plan_clone(group, 2, kept).name == "test_shop_w2"
    clone = MYSQL.plan_clone(group, 1, fresh)
    assert clone.name == clone.identity == f"test_shop_p{os.getpid()}_w1"
    long_group = DatabaseGroup(("default",), "test_" + "x" * 70)
    assert len(MYSQL.plan_clone(long_group, 1, fresh).name) <= 64
    with pytest.raises(SecurityException, match="backticks"):
        MYSQL.plan_clone(DatabaseGroup(("default",), "test_`evil"), 1, kept)
