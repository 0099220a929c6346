"""Fraud scoring of a checkout, a deliberately CPU-heavy pure-Python model."""

from __future__ import annotations

import math
import random


def risk_score(customer_id: int, amounts: list[float], samples: int = 90_000) -> float:
    """Monte Carlo estimate of how unusual the last amount is for this customer, in [0, 1]."""
    if len(amounts) < 2:
        return 0.5
    history, latest = amounts[:-1], amounts[-1]
    mean = sum(history) / len(history)
    spread = math.sqrt(sum((a - mean) ** 2 for a in history) / len(history)) or 1.0
    rng = random.Random(customer_id)
    above = sum(1 for _ in range(samples) if rng.gauss(mean, spread) >= latest)
    return 1 - above / samples
