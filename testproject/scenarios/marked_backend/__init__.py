"""Database backends that name tests to skip or expect to fail, as Django's own do.

``ENGINE = "scenarios.marked_backend.sqlite3"`` (or ``.postgresql``) is Django's backend
with one entry more in ``features.django_test_skips`` and one in
``django_test_expected_failures``, both naming tests of ``scenarios.backend_marks``.
Django applies them only while ``RUNNING_DJANGOS_TEST_SUITE=true`` (its runtests.py sets
it), and only to tests of apps in INSTALLED_APPS: ``testproject.variants.backend_marks``
installs ``scenarios`` and these engines.
"""

from __future__ import annotations

from django.utils.functional import cached_property

MARKED = "scenarios.backend_marks"
SKIP_REASON = "BACKEND-SKIP-MARKER: this backend skips it"
SKIPPED = f"{MARKED}.SkippedByBackendTests.test_skipped_by_the_backend"
EXPECTED_TO_FAIL = f"{MARKED}.ExpectedToFailOnBackendTests.test_expected_to_fail_on_the_backend"


def with_planted_marks(features_class):
    """``features_class`` with the scenario's skip and expected failure added."""

    class PlantedFeatures(features_class):
        @cached_property
        def django_test_skips(self):
            return {**super().django_test_skips, SKIP_REASON: {SKIPPED}}

        @cached_property
        def django_test_expected_failures(self):
            return {*super().django_test_expected_failures, EXPECTED_TO_FAIL}

    return PlantedFeatures
