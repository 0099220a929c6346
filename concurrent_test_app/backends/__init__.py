"""The database backends the runner can clone, each behind the one ``Backend`` interface.

Outside this package no code asks which vendor a database is: it asks its backend
(``backend_for``). A worker gets what it needs from its backend in its ``AliasBinding``.
"""

from __future__ import annotations

from .mysql import MYSQL
from .postgresql import POSTGRESQL
from .protocol import Backend, CloneContext, WorkerSide
from .sqlite import SQLITE

BACKENDS: dict[str, Backend] = {backend.vendor: backend for backend in (SQLITE, POSTGRESQL, MYSQL)}
CLONABLE_VENDORS = tuple(BACKENDS)
# The last part of a Django ENGINE, for settings read before any connection exists.
ENGINE_VENDORS = {
    "sqlite3": "sqlite",
    "postgresql": "postgresql",
    "postgis": "postgresql",
    "mysql": "mysql",
}

__all__ = ["BACKENDS", "CLONABLE_VENDORS", "Backend", "CloneContext", "WorkerSide"]


def backend_for(vendor: str) -> Backend | None:
    """The backend of a connection's ``vendor``, or None when we cannot clone it."""
    return BACKENDS.get(vendor)


def backend_of(connection) -> Backend:
    """The backend of ``connection`` (one the runner already accepted)."""
    return BACKENDS[connection.vendor]


def engine_vendor(engine: str) -> str:
    """The vendor a Django ENGINE setting names (the ENGINE itself when unknown)."""
    return ENGINE_VENDORS.get(engine.rsplit(".", 1)[-1], engine)
