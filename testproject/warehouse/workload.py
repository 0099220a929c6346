"""How much data the warehouse tests make: the demo's full size, or light for our own suite.

The project's test suite runs the demo hundreds of times to check verdicts, signals and
reports; it sets ``DEMO_WORKLOAD=light`` so those runs stay quick. The tests and their
count are the same either way, only the number of rows differs.
"""

from __future__ import annotations

from django.conf import settings

LIGHT_DIVISOR = 20


def rows(full: int) -> int:
    """``full`` rows under the full workload; a twentieth (at least 2) under light."""
    if settings.DEMO_WORKLOAD == "light":
        return max(2, full // LIGHT_DIVISOR)
    return full
