"""Supplier feed client; the network round trip is simulated with a sleep."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from decimal import Decimal

# Typical latency of the suppliers' HTTP APIs, which the tests are waiting on.
DEFAULT_LATENCY = 0.1


@dataclass(frozen=True)
class FeedItem:
    sku: str
    name: str
    price: Decimal
    stock: int


def fetch_feed(supplier: str, size: int, latency: float = DEFAULT_LATENCY) -> list[FeedItem]:
    time.sleep(latency)
    rng = random.Random(supplier)
    return [
        FeedItem(
            sku=f"{supplier[:3].upper()}-{index:05d}",
            name=f"{supplier} item {index}",
            price=Decimal(rng.randrange(100, 100_000)) / 100,
            stock=rng.randrange(0, 500),
        )
        for index in range(size)
    ]
