"""Stock keeping unit codes: three letters, a hyphen, four digits (``ABC-1234``)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

SKU_PATTERN = re.compile(r"[A-Z]{3}-[0-9]{4}")


def normalize_sku(raw: str) -> str:
    """Trim, upper-case and insert the hyphen a hurried typist left out."""
    sku = raw.strip().upper()
    if len(sku) == 7 and "-" not in sku:
        sku = f"{sku[:3]}-{sku[3:]}"
    return sku


def is_valid_sku(value: str) -> bool:
    return SKU_PATTERN.fullmatch(value) is not None


def validate_sku(value: str) -> None:
    """Model validator: only the canonical ``ABC-1234`` form is stored."""
    if not is_valid_sku(value):
        raise ValidationError(
            "%(value)s is not a SKU like ABC-1234.", code="invalid_sku", params={"value": value}
        )
