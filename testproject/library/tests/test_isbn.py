"""Pure-logic tests of ISBN checksums, normalisation and the model validator."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from library import isbn
from library.validators import validate_isbn


class Isbn10Tests(SimpleTestCase):
    def test_valid_numeric_check_digit(self):
        self.assertTrue(isbn.is_valid_isbn10("0306406152"))

    def test_valid_x_check_digit(self):
        self.assertTrue(isbn.is_valid_isbn10("080442957X"))

    def test_lower_case_x_is_accepted(self):
        self.assertTrue(isbn.is_valid_isbn10("080442957x"))

    def test_hyphens_are_ignored(self):
        self.assertTrue(isbn.is_valid_isbn10("0-306-40615-2"))

    def test_wrong_check_digit(self):
        self.assertFalse(isbn.is_valid_isbn10("0306406153"))

    def test_too_short(self):
        self.assertFalse(isbn.is_valid_isbn10("030640615"))

    def test_x_only_allowed_last(self):
        self.assertFalse(isbn.is_valid_isbn10("X306406152"))

    def test_check_digit_ten_is_x(self):
        self.assertEqual(isbn.isbn10_check_digit("080442957"), "X")


class Isbn13Tests(SimpleTestCase):
    def test_valid_978(self):
        self.assertTrue(isbn.is_valid_isbn13("9780306406157"))

    def test_valid_979(self):
        self.assertTrue(isbn.is_valid_isbn13("9791090636071"))

    def test_wrong_prefix(self):
        self.assertFalse(isbn.is_valid_isbn13("9770306406157"))

    def test_wrong_check_digit(self):
        self.assertFalse(isbn.is_valid_isbn13("9780306406158"))

    def test_letters_rejected(self):
        self.assertFalse(isbn.is_valid_isbn13("978030640615X"))

    def test_check_digit_zero(self):
        self.assertEqual(isbn.isbn13_check_digit("978000000004"), "0")

    def test_to_isbn13_from_isbn10(self):
        self.assertEqual(isbn.to_isbn13("0-306-40615-2"), "9780306406157")

    def test_to_isbn13_keeps_isbn13(self):
        self.assertEqual(isbn.to_isbn13("978-0-306-40615-7"), "9780306406157")

    def test_to_isbn13_rejects_invalid(self):
        with self.assertRaisesMessage(ValueError, "not a valid ISBN"):
            isbn.to_isbn13("1234567890")


class NormalizeAndValidateIsbnTests(SimpleTestCase):
    def test_normalize_strips_spaces_and_hyphens(self):
        self.assertEqual(isbn.normalize(" 0 306-40615 2 "), "0306406152")

    def test_normalize_upper_cases(self):
        self.assertEqual(isbn.normalize("080442957x"), "080442957X")

    def test_is_valid_accepts_both_lengths(self):
        self.assertTrue(isbn.is_valid("0306406152"))
        self.assertTrue(isbn.is_valid("9780306406157"))

    def test_is_valid_rejects_empty(self):
        self.assertFalse(isbn.is_valid(""))

    def test_validator_accepts_valid(self):
        self.assertIsNone(validate_isbn("9780306406157"))

    def test_validator_error_code(self):
        with self.assertRaises(ValidationError) as caught:
            validate_isbn("12345")
        self.assertEqual(caught.exception.code, "invalid_isbn")

    def test_validator_message_names_value(self):
        with self.assertRaisesMessage(ValidationError, "12345 is not a valid ISBN"):
            validate_isbn("12345")
