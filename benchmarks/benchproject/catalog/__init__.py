"""Catalog app: categories, products, tags and price history."""
