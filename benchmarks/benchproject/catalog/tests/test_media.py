"""Product image uploads; every CDN call waits on a simulated HTTP round trip."""

from __future__ import annotations

from django.test import SimpleTestCase

from catalog.media import CdnClient


class ProductImageTests(SimpleTestCase):
    def setUp(self):
        self.cdn = CdnClient()

    def test_upload_returns_cdn_url(self):
        self.assertTrue(self.cdn.upload("chair.jpg", b"jpeg").startswith(CdnClient.base_url))

    def test_upload_then_exists(self):
        self.assertTrue(self.cdn.exists(self.cdn.upload("lamp.jpg", b"jpeg")))

    def test_unknown_url(self):
        self.assertFalse(self.cdn.exists(CdnClient.base_url + "missing.jpg"))

    def test_empty_upload_is_refused(self):
        with self.assertRaises(ValueError):
            self.cdn.upload("empty.jpg", b"")

    def test_same_content_same_key(self):
        self.assertEqual(self.cdn.upload("a.jpg", b"x"), self.cdn.upload("a.jpg", b"x"))

    def test_content_changes_key(self):
        self.assertNotEqual(self.cdn.upload("a.jpg", b"x"), self.cdn.upload("a.jpg", b"y"))

    def test_gallery_upload(self):
        urls = [CdnClient.upload(self.cdn, f"gallery-{i}.jpg", bytes([i + 1])) for i in range(4)]
        self.assertEqual(len(set(urls)), 4)

    def test_slow_cdn(self):
        self.assertTrue(CdnClient(latency=0.2).upload("big.png", b"png" * 1000).endswith("big.png"))
