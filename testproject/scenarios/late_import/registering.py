"""A test module whose import fails in a worker, as one registering into a cleared registry does.

Its import raises wherever it runs in a child process, standing in for an import that
fails only when it comes late (after a test cleared the registry it registers into).
The runner must report its tests as errors with the import's traceback and go on.
"""

import multiprocessing

from django.test import SimpleTestCase

if multiprocessing.parent_process() is not None:
    raise RuntimeError("the plugin registry was cleared before this module registered")


class RegisteredTests(SimpleTestCase):
    def test_one(self):
        self.assertTrue(True)

    def test_two(self):
        self.assertTrue(True)
