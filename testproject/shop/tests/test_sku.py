"""Pure-logic tests of SKU normalisation and validation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from shop.sku import is_valid_sku, normalize_sku, validate_sku


class SkuTests(SimpleTestCase):
    def test_canonical_sku_valid(self):
        self.assertTrue(is_valid_sku("ABC-1234"))

    def test_lower_case_invalid(self):
        self.assertFalse(is_valid_sku("abc-1234"))

    def test_missing_hyphen_invalid(self):
        self.assertFalse(is_valid_sku("ABC1234"))

    def test_too_many_digits_invalid(self):
        self.assertFalse(is_valid_sku("ABC-12345"))

    def test_normalize_upper_cases_and_trims(self):
        self.assertEqual(normalize_sku("  abc-1234 "), "ABC-1234")

    def test_normalize_inserts_hyphen(self):
        self.assertEqual(normalize_sku("abc1234"), "ABC-1234")

    def test_normalize_leaves_other_lengths(self):
        self.assertEqual(normalize_sku("ab12"), "AB12")

    def test_validator_accepts_valid(self):
        self.assertIsNone(validate_sku("XYZ-0001"))

    def test_validator_rejects_with_code(self):
        with self.assertRaises(ValidationError) as caught:
            validate_sku("nope")
        self.assertEqual(caught.exception.code, "invalid_sku")
