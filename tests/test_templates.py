"""The template cache: migrate once, reuse while nothing changed, rebuild when it did."""

from __future__ import annotations

import pytest
from conftest import (
    ALL_BACKENDS,
    backend_fixture,
    postgres_databases,
    require_backend,
    unmarked_database,
)
from helpers import postgres_database_name, run_manage

# MySQL/MariaDB templates too (marked by a table inside them).
backend = backend_fixture(ALL_BACKENDS)

LABELS = ("library", "shop")
CACHED = "[CONCURRENT] Using cached database template"


def _run(backend, cache_dir, *extra, env=None):
    return run_manage(
        "concurrenttest", "--workers", "2", "--timings-file", str(cache_dir / "timings.json"),
        *extra, *LABELS, backend=backend, env=env,
    )  # fmt: skip


def test_second_run_skips_migrations(backend, tmp_path):
    first = _run(backend, tmp_path)
    assert first.returncode == 0, first.describe()
    # A PostgreSQL template is server-wide: an earlier test may have built it already.
    built = "Creating test database for alias 'default'" in first.output
    assert built or CACHED in first.stdout, first.describe()

    second = _run(backend, tmp_path)

    assert second.returncode == 0, second.describe()
    assert second.stdout.count(CACHED) == 2, second.describe()  # default and other
    assert "Creating test database" not in second.output, second.describe()
    assert "Applying " not in second.output, second.describe()
    assert second.report.ran == first.report.ran, second.describe()


def test_changed_installed_apps_rebuild_the_template(backend, tmp_path):
    assert _run(backend, tmp_path).returncode == 0

    changed = _run(backend, tmp_path, "--settings", "testproject.variants.extra_app")

    assert changed.returncode == 0, changed.describe()
    stale = [line for line in changed.stdout.splitlines() if "Template is stale" in line]
    assert len(stale) == 2, changed.describe()
    assert all("(installed apps, migrations, models changed)" in line for line in stale), (
        changed.describe()
    )
    assert CACHED not in changed.stdout, changed.describe()


def test_no_template_cache_migrates_every_time(backend, tmp_path):
    for _ in range(2):
        run = _run(backend, tmp_path, "--no-template-cache")
        assert run.returncode == 0, run.describe()
        assert CACHED not in run.stdout, run.describe()
        assert "Creating test database for alias 'default'" in run.output, run.describe()
    assert not (tmp_path / "templates").exists()


def test_foreign_database_with_the_template_name_is_refused():
    require_backend("postgres")
    foreign = f"test_{postgres_database_name()}_template"
    with unmarked_database(foreign):
        run = run_manage("concurrenttest", "--workers", "2", *LABELS, backend="postgres")

        assert run.returncode == 2, run.describe()
        assert f"Refusing to replace database {foreign!r}" in run.stderr, run.describe()
        assert postgres_databases().get(foreign, "missing") is None


@pytest.mark.parametrize("workers", ["1"])
def test_sequential_runs_do_not_use_templates(backend, tmp_path, workers):
    run = _run(backend, tmp_path, "--workers", workers)

    assert run.returncode == 0, run.describe()
    assert not (tmp_path / "templates").exists(), run.describe()
