"""The README's SQL works: the permission fix it prints and the rollback's template clean-up.

A database user without CREATEDB is refused with the README's message; the README's
``ALTER ROLE`` (for that user instead of the example's ``app``) lets the same run pass;
the rollback's query finds the kept template and its ``DROP DATABASE`` removes it.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from conftest import require_backend
from helpers import postgres_params, run_manage
from test_readme import readme_blocks


def _sql_blocks() -> list[str]:
    blocks = [block.text for block in readme_blocks() if block.kind == "sql"]
    assert len(blocks) == 2, "the permission fix and the rollback"
    return blocks


def _statements(block: str) -> list[str]:
    return [statement.strip() for statement in block.split(";") if statement.strip()]


@pytest.fixture
def superuser():
    require_backend("postgres")
    import psycopg2

    connection = psycopg2.connect(**postgres_params(dbname="postgres"))
    connection.autocommit = True
    yield connection.cursor()
    connection.close()


@pytest.fixture
def unprivileged(superuser):
    """A role that may log in but not create databases, and the databases it uses."""
    role, name = f"readme_app_{os.getpid()}", f"readme_perm_{os.getpid()}"
    superuser.execute(f"CREATE ROLE \"{role}\" LOGIN NOCREATEDB PASSWORD 'readme'")
    for database in (name, name + "_other"):
        superuser.execute(f'CREATE DATABASE "{database}"')
    params = postgres_params()
    url = f"postgres://{quote(role)}:readme@{params['host']}:{params['port']}/{name}"
    try:
        yield role, name, url
    finally:
        superuser.execute(
            "SELECT datname FROM pg_database JOIN pg_roles ON datdba = pg_roles.oid "
            "WHERE rolname = %s",
            [role],
        )
        owned = [row[0] for row in superuser.fetchall()]
        for database in [*owned, name, name + "_other"]:
            superuser.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        superuser.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_permission_fix_and_template_cleanup_of_the_readme(superuser, unprivileged):
    role, name, url = unprivileged
    grant, rollback = _sql_blocks()
    env = {"DATABASE_URL": url}

    refused = run_manage("concurrenttest", "--workers", "2", backend="postgres", env=env)
    assert refused.returncode == 2, refused.describe()
    assert "PermissionException: Missing permission: CREATE (alias 'default': database user" in (
        refused.stderr
    ), refused.describe()
    assert f'Ask a DBA to run: ALTER ROLE "{role}" CREATEDB;' in refused.stderr
    # The README's sample of that message, for this role instead of "app".
    (sample,) = [b.text for b in readme_blocks() if b.kind == "output" and "postgres" in b.args]
    assert " ".join(sample.replace("'app'", f"'{role}'").replace('"app"', f'"{role}"').split()) in (
        " ".join(refused.stderr.split())
    )

    # The README's statement, for this role instead of the example's "app".
    assert '"app"' in grant
    for statement in _statements(grant.replace('"app"', f'"{role}"')):
        superuser.execute(statement)

    passed = run_manage("concurrenttest", "--workers", "2", backend="postgres", env=env)
    assert passed.returncode == 0, passed.describe()
    assert "[CONCURRENT] Starting production-grade concurrent test run" in passed.stdout

    # The rollback: its query lists the kept templates, its DROPs remove them.
    templates = {f"test_{name}_template", f"test_{name}_other_template"}
    listing, *drops = _statements(rollback.replace("test_demo", f"test_{name}"))
    superuser.execute(listing)
    assert templates <= {row[0] for row in superuser.fetchall()}
    assert len(drops) == len(templates)
    for drop in drops:
        superuser.execute(drop)
    superuser.execute("SELECT datname FROM pg_database WHERE datname = ANY(%s)", [list(templates)])
    assert superuser.fetchall() == []
