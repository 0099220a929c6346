"""Tests that pass only where the settings are the ones the scenario's script made."""

from __future__ import annotations

import os

from django.apps import apps
from django.conf import settings
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

FLAVOUR = os.environ.get("SCENARIO_FLAVOUR", "")


class SettingsTests(SimpleTestCase):
    def test_the_scripts_setting_is_here(self):
        self.assertEqual(settings.SCENARIO_FLAVOUR, FLAVOUR)

    def test_the_language_is_the_scripts(self):
        self.assertEqual(settings.LANGUAGE_CODE, "fr")


class ChangedAtRunTimeTests(TestCase):
    def test_the_app_installed_at_run_time_has_its_table(self):
        if FLAVOUR != "changed":
            self.skipTest("only run_changed.py installs the app")
        from scenarios.settings_in_code.extra_app.models import Note

        Note.objects.create(text="here")
        self.assertEqual(Note.objects.count(), 1)

    def test_the_root_urlconf_set_at_run_time_resolves(self):
        if FLAVOUR != "changed":
            self.skipTest("only run_changed.py sets the URLconf")
        self.assertEqual(reverse("scenario-changed"), "/changed/")
        self.assertTrue(apps.is_installed("scenarios.settings_in_code.extra_app"))


class HookTests(SimpleTestCase):
    def test_process_setup_ran_once_in_this_process_before_django_setup(self):
        from scenarios.settings_in_code.state import HOOK_CALLS

        if FLAVOUR != "hooked":
            self.skipTest("only run_hooked.py sets process_setup")
        self.assertEqual(HOOK_CALLS, [(("from-the-parent",), False)])
