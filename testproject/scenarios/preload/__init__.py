"""Tests that rely on a module another test module imported, as many real suites do."""
