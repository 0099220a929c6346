"""Billing app: invoices, payments and tax rates."""
