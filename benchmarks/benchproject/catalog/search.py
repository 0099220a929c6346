"""In-process product search: trigram ranking and catalogue fingerprints (CPU-bound)."""

from __future__ import annotations

import hashlib
from collections import Counter


def trigrams(text: str) -> Counter:
    padded = f"  {text.lower()} "
    return Counter(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(left: str, right: str) -> float:
    """Dice coefficient of the two strings' trigram multisets."""
    a, b = trigrams(left), trigrams(right)
    shared = sum((a & b).values())
    total = sum(a.values()) + sum(b.values())
    return 2 * shared / total if total else 0.0


def rank(query: str, names: list[str], limit: int = 10) -> list[tuple[str, float]]:
    scored = [(name, similarity(query, name)) for name in names]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]


def fingerprint(rows: list[tuple], rounds: int = 1) -> str:
    """A stable digest of catalogue rows, re-hashed `rounds` times like a feed checksum."""
    digest = hashlib.sha256()
    for row in sorted(rows):
        digest.update(repr(row).encode())
    value = digest.digest()
    for _ in range(rounds):
        value = hashlib.sha256(value).digest()
    return value.hex()
