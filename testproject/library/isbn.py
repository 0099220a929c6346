"""ISBN-10 and ISBN-13 normalisation, checksums and conversion."""

from __future__ import annotations

SEPARATORS = " -"


def normalize(raw: str) -> str:
    """Drop spaces and hyphens and upper-case the ISBN-10 check digit 'x'."""
    return "".join(char for char in raw if char not in SEPARATORS).upper()


def isbn10_check_digit(first_nine: str) -> str:
    """Check digit for nine ISBN-10 digits: weights 10..2, modulo 11, 10 written 'X'."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def isbn13_check_digit(first_twelve: str) -> str:
    """Check digit for twelve ISBN-13 digits: alternating weights 1 and 3, modulo 10."""
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(first_twelve))
    return str((10 - total % 10) % 10)


def is_valid_isbn10(value: str) -> bool:
    isbn = normalize(value)
    if len(isbn) != 10 or not isbn[:9].isdigit():
        return False
    return isbn10_check_digit(isbn[:9]) == isbn[9]


def is_valid_isbn13(value: str) -> bool:
    isbn = normalize(value)
    if len(isbn) != 13 or not isbn.isdigit() or isbn[:3] not in ("978", "979"):
        return False
    return isbn13_check_digit(isbn[:12]) == isbn[12]


def is_valid(value: str) -> bool:
    return is_valid_isbn10(value) or is_valid_isbn13(value)


def to_isbn13(value: str) -> str:
    """The ISBN-13 form of a valid ISBN-10 or ISBN-13; ValueError otherwise."""
    isbn = normalize(value)
    if is_valid_isbn13(isbn):
        return isbn
    if not is_valid_isbn10(isbn):
        raise ValueError(f"not a valid ISBN: {value!r}")
    body = "978" + isbn[:9]
    return body + isbn13_check_digit(body)
