"""Checks that CONCURRENT_TEST["WORKER_SETUP"] ran in the process running these tests."""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth.hashers import get_hasher, make_password
from django.test import SimpleTestCase

from testproject import settings as settings_module
from testproject import worker_setup


def another_runner_requested() -> bool:
    """True when ``manage.py test --testrunner ...`` swapped in a runner without the hook."""
    return any(arg == "--testrunner" or arg.startswith("--testrunner=") for arg in sys.argv)


class WorkerSetupHookTests(SimpleTestCase):
    def setUp(self):
        if worker_setup.configured_worker_id is None and another_runner_requested():
            self.skipTest(
                "--testrunner chose a runner that does not call CONCURRENT_TEST['WORKER_SETUP']"
            )

    def test_hook_ran_in_this_process(self):
        self.assertIsNotNone(
            worker_setup.configured_worker_id,
            "testproject.worker_setup.configure_worker was never called in this process",
        )
        self.assertGreaterEqual(worker_setup.configured_worker_id, 0)

    def test_hook_switched_to_md5(self):
        self.assertEqual(get_hasher().algorithm, "md5")

    def test_new_passwords_use_md5(self):
        self.assertTrue(make_password("secret").startswith("md5$"))

    def test_settings_object_carries_hook_value(self):
        self.assertEqual(settings.PASSWORD_HASHERS, worker_setup.FAST_HASHERS)


class SettingsModuleTests(SimpleTestCase):
    """What settings.py itself declares, independent of the hook."""

    def test_settings_module_keeps_default_hashers(self):
        # Only the hook may switch to MD5, otherwise the hook tests prove nothing.
        self.assertFalse(hasattr(settings_module, "PASSWORD_HASHERS"))

    def test_worker_setup_is_configured(self):
        self.assertEqual(
            settings.CONCURRENT_TEST["WORKER_SETUP"], "testproject.worker_setup.configure_worker"
        )

    def test_concurrent_runner_is_the_default(self):
        self.assertEqual(settings.TEST_RUNNER, "concurrent_test_app.runner.ConcurrentTestRunner")

    def test_both_aliases_configured(self):
        self.assertEqual(set(settings.DATABASES), {"default", "other"})
