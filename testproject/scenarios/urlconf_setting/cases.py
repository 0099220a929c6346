"""The scenario's tests: one class makes the first request under an override, six reverse."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings
from django.urls import reverse


class AFirstRequestWithoutExtraRoutes(SimpleTestCase):
    """Django's order runs it first: its request is the first to resolve a URL."""

    @override_settings(SCENARIO_EXTRA_ROUTES=False)
    def test_home_page(self):
        self.assertEqual(self.client.get("/app/home/").status_code, 200)


class BReversesTheExtraRoute(SimpleTestCase):
    """Passes when the URLconf was built with the default setting, as the checks build it."""

    def test_reverse_extra(self):
        self.assertEqual(reverse("scenario-extra"), "/app/extra/")

    def test_request_extra(self):
        self.assertEqual(self.client.get("/app/extra/").status_code, 200)


class CReversesTheExtraRoute(SimpleTestCase):
    """Passes when the URLconf was built with the default setting, as the checks build it."""

    def test_reverse_extra(self):
        self.assertEqual(reverse("scenario-extra"), "/app/extra/")

    def test_request_extra(self):
        self.assertEqual(self.client.get("/app/extra/").status_code, 200)


class DReversesTheExtraRoute(SimpleTestCase):
    """Passes when the URLconf was built with the default setting, as the checks build it."""

    def test_reverse_extra(self):
        self.assertEqual(reverse("scenario-extra"), "/app/extra/")

    def test_request_extra(self):
        self.assertEqual(self.client.get("/app/extra/").status_code, 200)


class EReversesTheExtraRoute(SimpleTestCase):
    """Passes when the URLconf was built with the default setting, as the checks build it."""

    def test_reverse_extra(self):
        self.assertEqual(reverse("scenario-extra"), "/app/extra/")

    def test_request_extra(self):
        self.assertEqual(self.client.get("/app/extra/").status_code, 200)


class FReversesTheExtraRoute(SimpleTestCase):
    """Passes when the URLconf was built with the default setting, as the checks build it."""

    def test_reverse_extra(self):
        self.assertEqual(reverse("scenario-extra"), "/app/extra/")

    def test_request_extra(self):
        self.assertEqual(self.client.get("/app/extra/").status_code, 200)


class GReversesTheExtraRoute(SimpleTestCase):
    """Passes when the URLconf was built with the default setting, as the checks build it."""

    def test_reverse_extra(self):
        self.assertEqual(reverse("scenario-extra"), "/app/extra/")

    def test_request_extra(self):
        self.assertEqual(self.client.get("/app/extra/").status_code, 200)
