"""Payment gateway client; each call simulates an HTTP round trip with a sleep."""

from __future__ import annotations

import hashlib
import time
from decimal import Decimal


class PaymentDeclined(Exception):
    """Raised when the gateway refuses a charge."""


class PaymentGateway:
    latency = 0.12

    def __init__(self, latency: float | None = None):
        if latency is not None:
            self.latency = latency

    def charge(self, amount: Decimal, token: str) -> str:
        time.sleep(self.latency)
        if token.startswith("tok_declined"):
            raise PaymentDeclined(f"card {token} declined")
        if amount <= 0:
            raise ValueError(f"cannot charge {amount}")
        return "ch_" + hashlib.sha256(f"{token}:{amount}".encode()).hexdigest()[:16]

    def refund(self, reference: str, amount: Decimal) -> str:
        time.sleep(self.latency)
        return "re_" + hashlib.sha256(f"{reference}:{amount}".encode()).hexdigest()[:16]
