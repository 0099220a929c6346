"""Registers at import time; a sequential run imports it at discovery, before any reset.

Slow to import (tables built at import time), as the modules were that workers used to
leave to the unit needing them.
"""

import time

from django.test import SimpleTestCase

from scenarios.cleared_registry import registry

time.sleep(0.3)
registry.register("reports")


class RegisteredModuleTests(SimpleTestCase):
    def test_module_loaded(self):
        self.assertTrue(True)


class SecondRegisteredModuleTests(SimpleTestCase):
    def test_module_loaded(self):
        self.assertTrue(True)
