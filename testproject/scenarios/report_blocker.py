"""A passing test that puts a directory where the run's report is to be written.

The path comes from BLOCK_REPORT_PATH: the report passes the check before the run,
then cannot be written at its end.
"""

from __future__ import annotations

import os

from django.test import SimpleTestCase


class BlockReportTests(SimpleTestCase):
    def test_blocks_the_report_path(self):
        os.makedirs(os.environ["BLOCK_REPORT_PATH"], exist_ok=True)


class PassingTests(SimpleTestCase):
    def test_passes(self):
        pass
