"""The test module that imports the PDF plugin."""

from django.test import SimpleTestCase

from scenarios.preload import pdf_plugin  # noqa: F401 - imported for its registration
from scenarios.preload.plugins import REGISTERED


class PdfPluginTests(SimpleTestCase):
    def test_pdf_plugin_is_registered(self):
        self.assertIn("pdf", REGISTERED)
