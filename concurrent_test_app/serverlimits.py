"""A database server's connection limit: how to recognise it and what a run needs.

A role's ``CONNECTION LIMIT``, ``max_connections`` or MySQL's ``max_user_connections``
refuses the connection that clones a database or that a worker opens. The run then
says the server's own words and how many connections it would need, and goes on
sequentially on the connections it already has, leaving nothing behind.
"""

from __future__ import annotations

# What PostgreSQL (53300, and the role or database limits) and MySQL/MariaDB (1040, 1203)
# say when a connection is refused for the number already open.
LIMIT_MESSAGES = (
    "too many connections",
    "too many clients",
    "max_user_connections",
)


def connection_limit(error: BaseException | str) -> str | None:
    """The server's message when ``error`` (or what caused it) is a connection limit."""
    current = error
    seen = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = str(current)
        if any(words in text.lower() for words in LIMIT_MESSAGES):
            return _server_words(text)
        if isinstance(current, str):
            return None
        current = current.__cause__ or current.__context__
    return None


def _server_words(text: str) -> str:
    """The line of ``text`` that holds the limit message, without the client's preamble."""
    for line in text.strip().splitlines():
        if any(words in line.lower() for words in LIMIT_MESSAGES):
            # psycopg: 'connection to server at "h", port 5432 failed: FATAL:  too many …'
            return line.split("failed: ", 1)[-1].replace("FATAL:  ", "").strip()
    return text.strip()


def needed(workers: int, aliases: int) -> str:
    """How many connections a run of ``workers`` over ``aliases`` database aliases opens."""
    total = workers * aliases + 1
    return (
        f"the run needs {total} connections: {workers} workers × {aliases} database "
        f"alias{'es' if aliases != 1 else ''} + 1 for this process"
    )
