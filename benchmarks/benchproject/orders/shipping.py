"""Carrier API client; each call simulates an HTTP round trip with a sleep."""

from __future__ import annotations

import hashlib
import time
from decimal import Decimal

ZONES = {"DE": 1, "NL": 1, "FR": 2, "IT": 2, "SE": 3, "US": 4}


class CarrierError(Exception):
    """Raised when the carrier rejects a request."""


class CarrierClient:
    latency = 0.1

    def __init__(self, latency: float | None = None):
        if latency is not None:
            self.latency = latency

    def quote(self, weight_kg: Decimal, country: str) -> Decimal:
        time.sleep(self.latency)
        zone = self._zone(country)
        return (
            Decimal("4.90") + Decimal(zone) * Decimal("2.50") + weight_kg * Decimal("0.80")
        ).quantize(Decimal("0.01"))

    def book(self, order_id: int, weight_kg: Decimal, country: str) -> str:
        time.sleep(self.latency)
        self._zone(country)
        digest = hashlib.sha1(f"{order_id}:{weight_kg}:{country}".encode()).hexdigest()
        return f"TRK{digest[:12].upper()}"

    def _zone(self, country: str) -> int:
        try:
            return ZONES[country]
        except KeyError:
            raise CarrierError(f"no delivery to {country!r}") from None
