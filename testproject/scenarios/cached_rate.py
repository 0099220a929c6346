"""A value computed once per process and cached: what scenarios.changed_cache reads."""

from __future__ import annotations

import functools
from decimal import Decimal


def compute_rate() -> Decimal:
    """The VAT rate; the mutation test edits this body."""
    return Decimal("0.20")


@functools.cache
def vat_rate() -> Decimal:
    """compute_rate() once per process: later callers execute none of its lines."""
    return compute_rate()
