"""A plugin registry that fills up as plugin modules are imported."""

REGISTERED: list[str] = []


def register(name: str) -> None:
    """Record a plugin; called by plugin modules at import time."""
    REGISTERED.append(name)
