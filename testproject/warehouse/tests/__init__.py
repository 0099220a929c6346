"""Tests of the warehouse app: the demo's database-heavy part, where concurrency pays."""
