"""Run a Django test suite concurrently in spawn workers, each on its own database clone."""

__version__ = "1.0.0.dev0"
