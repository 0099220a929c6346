"""Model field validators of the library app."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from library import isbn


def validate_isbn(value: str) -> None:
    """Reject anything that is not a valid ISBN-10 or ISBN-13."""
    if not isbn.is_valid(value):
        raise ValidationError(
            "%(value)s is not a valid ISBN-10 or ISBN-13.",
            code="invalid_isbn",
            params={"value": value},
        )
