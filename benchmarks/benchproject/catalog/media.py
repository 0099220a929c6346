"""CDN client for product images; each call simulates an HTTP round trip with a sleep."""

from __future__ import annotations

import hashlib
import time


class CdnClient:
    latency = 0.15
    base_url = "https://cdn.example.com/products/"

    def __init__(self, latency: float | None = None):
        if latency is not None:
            self.latency = latency
        self.stored: dict[str, bytes] = {}

    def upload(self, name: str, data: bytes) -> str:
        time.sleep(self.latency)
        if not data:
            raise ValueError(f"{name}: empty upload")
        key = hashlib.md5(data).hexdigest()[:10] + "-" + name
        self.stored[key] = data
        return self.base_url + key

    def exists(self, url: str) -> bool:
        time.sleep(self.latency)
        return url.removeprefix(self.base_url) in self.stored
