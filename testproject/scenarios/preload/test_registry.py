"""A test that only passes when every test module was imported first.

That holds in Django's sequential run (discovery imports all test modules before the
first test) and in its forked ``--parallel`` workers; spawned workers preload what the
parent imported to keep it true.
"""

from django.test import SimpleTestCase

from scenarios.preload.plugins import REGISTERED


class RegistryTests(SimpleTestCase):
    def test_every_plugin_is_registered(self):
        self.assertEqual(REGISTERED, ["pdf"])
