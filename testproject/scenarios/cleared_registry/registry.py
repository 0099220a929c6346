"""A registry that test modules register into at import time, and that a test may reset.

After ``reset()`` the registry is closed until the app starts again: a module that
registers then raises, as one registering into a cleared registry does in real suites.
"""

ENTRIES: list[str] = []
OPEN = [True]


def register(name: str) -> None:
    """Called by test modules at import time."""
    if not OPEN[0]:
        raise RuntimeError(f"cannot register {name!r}: the registry was reset by a test")
    ENTRIES.append(name)


def reset() -> None:
    """What a test that tears the app down does."""
    ENTRIES.clear()
    OPEN[0] = False
