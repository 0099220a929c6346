"""Settings package of the benchmark project."""
