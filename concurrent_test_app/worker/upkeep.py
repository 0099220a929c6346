"""Connection upkeep in a worker: retry connecting, recycle busy connections, replace dead ones."""

# Upkeep runs only between units, never inside a test (a TestCase's transaction lives on
# its connection).

from __future__ import annotations

import time
from dataclasses import dataclass, field


def with_connect_retries(call, retries: int, delay: float, log=None):
    """``call()``, retried on a database OperationalError (a server restarting, say).

    Waits ``delay`` seconds before the first retry and doubles it each time; the last
    failure propagates with the database's own message.
    """
    from django.db import OperationalError

    for attempt in range(retries + 1):
        try:
            return call()
        except OperationalError as error:
            if attempt == retries:
                raise
            if log is not None:
                log(f"Retry {attempt + 1} of {retries} in {delay:g}s: {str(error).strip()}")
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class ConnectionKeeper:
    """Counts queries per alias and closes connections that did too much or went bad.

    ``max_operations``: a connection that served more queries than this is closed after
    the unit (Django reconnects lazily). ``health_check_interval``: a connection idle for
    longer than this is checked with ``is_usable()`` and closed if broken, so a database
    restart between two units does not fail the next one.
    """

    max_operations: int
    health_check_interval: float
    operations: dict[str, int] = field(default_factory=dict)
    last_used: dict[str, float] = field(default_factory=dict)
    recycled: int = 0
    replaced: int = 0

    def install(self) -> None:
        """Attach a counting wrapper to every connection."""
        from django.db import connections

        for alias in connections:
            connections[alias].execute_wrappers.append(self._counter(alias))

    def _counter(self, alias: str):
        def count(execute, sql, params, many, context):
            self.operations[alias] = self.operations.get(alias, 0) + 1
            self.last_used[alias] = time.monotonic()
            return execute(sql, params, many, context)

        return count

    def between_units(self) -> None:
        """Recycle over-used connections and replace broken idle ones."""
        from django.db import connections

        now = time.monotonic()
        for alias in connections:
            connection = connections[alias]
            if connection.connection is None:
                self.operations[alias] = 0  # closed already: the next one starts afresh
                continue
            if self.operations.get(alias, 0) > self.max_operations:
                connection.close()
                self.operations[alias] = 0
                self.recycled += 1
            elif now - self.last_used.get(alias, now) > self.health_check_interval:
                if not connection.is_usable():
                    connection.close()
                    self.replaced += 1
                self.last_used[alias] = now
