"""Refuse to run a worker by hand: the runner starts workers."""

import sys

if __name__ == "__main__":  # pragma: no cover - only ``python -m concurrent_test_app.worker``
    sys.exit("concurrent_test_app.worker is started by the runner, not run directly")
