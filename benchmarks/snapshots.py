"""Time a CI job on a new database server: restore the template from a snapshot, or migrate.

    python benchmarks/snapshots.py [--db sqlite,postgres,mysql] [--suite migration-heavy]
                                   [--runs 3] [--pg-url URL] [--mysql-url URL] [--json PATH]

Per database, every round runs these variants in turn (interleaved, so a machine that slows
down part-way affects them alike):

    django-parallel-2  Django's runner, --parallel 2: it migrates its test database every run
    ours-warm-auto     ours, the template on the server (a developer's second run)
    ours-fresh-auto    ours, the templates dropped first, snapshot and timing store kept:
                       a CI job with a warm cache on a new database server
    ours-migrate-auto  the same without snapshots (--no-template-snapshots): it migrates

Before the first round one untimed run builds the template and writes its snapshot. The
restore time is what the runner printed (``Restored database template … (<s>s)``); the
migration time is the migrating variant's median minus the warm one's.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from measure import run_command
from run import (
    BENCHMARKS_DIR,
    DJANGO_RUNNER,
    OUR_RUNNER,
    SUITES,
    environment_for,
    machine_info,
    pg_settings,
    redact,
    suite_pg_url,
)

DEFAULT_JSON = BENCHMARKS_DIR / "results" / "snapshots-latest.json"
RESTORED = re.compile(r"Restored database template from snapshot \S+ \((\d+\.\d)s\)")
TEMPLATE_MARKER = "django-concurrent-test template"


@dataclass(frozen=True)
class Variant:
    """One timed command and what to do to the server before it."""

    name: str
    args: tuple[str, ...]
    drop_templates: bool = False
    env: tuple[tuple[str, str], ...] = ()


def _ours(*extra: str) -> tuple[str, ...]:
    return (
        "manage.py",
        "test",
        "--noinput",
        "--testrunner",
        OUR_RUNNER,
        "--workers",
        "auto",
        *extra,
    )


VARIANTS = (
    Variant(
        "django-parallel-2",
        (
            "manage.py",
            "test",
            "--noinput",
            "-v",
            "0",
            "--testrunner",
            DJANGO_RUNNER,
            "--parallel",
            "2",
        ),
    ),
    Variant("ours-warm-auto", _ours()),
    Variant("ours-fresh-auto", _ours(), drop_templates=True),
    Variant("ours-migrate-auto", _ours("--no-template-snapshots"), drop_templates=True),
)


class Server:
    """The database of one run: where its templates live and how to drop them."""

    def __init__(self, database: str, url: str | None, directory: Path) -> None:
        self.database = database
        self.url = url
        self.directory = directory
        parsed = urlparse(url) if url else None
        self.name = unquote(parsed.path.lstrip("/")) if parsed else ""
        self.parsed = parsed

    def drop_templates(self) -> None:
        """Remove our templates, as a new CI database server lacks them (snapshots kept)."""
        if self.database == "sqlite":
            shutil.rmtree(self.directory / ".concurrent_test" / "templates", ignore_errors=True)
        elif self.database == "postgres":
            self._drop_postgres()
        else:
            self._drop_mysql()

    def forget_everything(self) -> None:
        """Templates, snapshots and timing store gone: the next run builds and snapshots."""
        self.drop_templates()
        folder = self.directory / ".concurrent_test"
        shutil.rmtree(folder / "snapshots", ignore_errors=True)
        (folder / "timings.json").unlink(missing_ok=True)

    def _drop_postgres(self) -> None:
        import psycopg2

        p = self.parsed
        connection = psycopg2.connect(
            dbname="postgres",
            user=unquote(p.username or ""),
            password=unquote(p.password or ""),
            host=p.hostname,
            port=p.port,
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE left(datname, %s) = %s "
                "AND shobj_description(oid, 'pg_database') LIKE %s",
                [len(self.name), self.name, TEMPLATE_MARKER + "%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP DATABASE "{name}"')
        connection.close()

    def _drop_mysql(self) -> None:
        import MySQLdb

        p = self.parsed
        kwargs = {"user": unquote(p.username or "root"), "host": p.hostname, "port": p.port or 3306}
        if p.password:
            kwargs["password"] = unquote(p.password)
        connection = MySQLdb.connect(**kwargs)
        connection.autocommit(True)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT TABLE_SCHEMA FROM information_schema.TABLES "
                "WHERE TABLE_NAME = 'django_concurrent_test_template' AND TABLE_SCHEMA LIKE %s",
                [self.name.replace("_", "\\_") + "%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP DATABASE `{name}`")
        connection.close()


def suite_url(database: str, args, suite) -> str | None:
    if database == "postgres":
        return suite_pg_url(args.pg_url, suite)
    if database == "mysql":
        return suite_pg_url(args.mysql_url, suite)  # the same NAME + suffix rule
    return None


def run_database(database: str, args) -> dict:
    """Every round of every variant on one database; medians, ratios and restore times."""
    suite = SUITES[args.suite]
    url = suite_url(database, args, suite)
    server = Server(database, url, suite.directory)
    env = environment_for(url)
    pg = pg_settings(url) if database == "postgres" else None
    server.forget_everything()
    prime = run_command([sys.executable, *_ours()], suite.directory, env, args.timeout)
    _check(prime, f"{database} priming")
    print(f"[{database}] priming (build + snapshot, untimed) {prime.wall:.2f}s", flush=True)
    walls: dict[str, list[float]] = {v.name: [] for v in VARIANTS}
    restores: list[float] = []
    for round_number in range(1, args.runs + 1):
        for variant in VARIANTS:
            if variant.drop_templates:
                server.drop_templates()
            outcome = run_command(
                [sys.executable, *variant.args],
                suite.directory,
                {**env, **dict(variant.env)},
                args.timeout,
                pg,
            )
            _check(outcome, f"{database} {variant.name}")
            walls[variant.name].append(outcome.wall)
            if variant.name == "ours-fresh-auto":
                found = [float(s) for s in RESTORED.findall(outcome.output)]
                if not found:
                    sys.exit(f"{variant.name} did not restore:\n{outcome.output[-3000:]}")
                restores.append(sum(found))
            print(
                f"[{database}] {round_number}/{args.runs} {variant.name:<18} {outcome.wall:7.2f}s",
                flush=True,
            )
    return _summary(walls, restores)


def _summary(walls: dict[str, list[float]], restores: list[float]) -> dict:
    medians = {name: statistics.median(values) for name, values in walls.items()}
    parallel, warm = medians["django-parallel-2"], medians["ours-warm-auto"]
    fresh, migrate = medians["ours-fresh-auto"], medians["ours-migrate-auto"]
    return {
        "walls": walls,
        "medians": medians,
        "fresh_vs_django_parallel_2": round(fresh / parallel, 3),
        "fresh_vs_warm": round(fresh / warm, 3),
        "migrate_vs_django_parallel_2": round(migrate / parallel, 3),
        "restore_seconds_median": statistics.median(restores),
        "migrate_seconds_estimate": round(migrate - warm, 2),
    }


def _check(outcome, what: str) -> None:
    if outcome.code != 0:
        tail = "\n".join(outcome.output.rstrip().splitlines()[-30:])
        sys.exit(f"{what} failed (exit {outcome.code}):\n{tail}")


def print_table(results: dict, runs: int, suite: str) -> None:
    print(f"\n{suite} suite, {runs} round(s), wall seconds (medians)")
    header = f"{'database':<10}{'django -p 2':>12}{'ours warm':>11}{'ours fresh':>12}{'ours migrate':>14}"
    print(header + f"{'fresh/dj-p2':>13}{'fresh/warm':>12}{'restore s':>11}{'migrate s':>11}")
    for database, r in results.items():
        m = r["medians"]
        print(
            f"{database:<10}{m['django-parallel-2']:>12.2f}{m['ours-warm-auto']:>11.2f}"
            f"{m['ours-fresh-auto']:>12.2f}{m['ours-migrate-auto']:>14.2f}"
            f"{r['fresh_vs_django_parallel_2']:>13.2f}{r['fresh_vs_warm']:>12.2f}"
            f"{r['restore_seconds_median']:>11.1f}{r['migrate_seconds_estimate']:>11.1f}"
        )


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite,postgres,mysql", help="comma-separated")
    parser.add_argument("--suite", choices=sorted(SUITES), default="migration-heavy")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg-url", default="postgres://postgres:postgres@127.0.0.1:5432/bench")
    parser.add_argument("--mysql-url", default="mysql://root@127.0.0.1:3306/bench")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--timeout", type=float, default=900)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    databases = [name.strip() for name in args.db.split(",") if name.strip()]
    results = {database: run_database(database, args) for database in databases}
    print_table(results, args.runs, args.suite)
    report = {
        "machine": machine_info(),
        "settings": {
            "runs": args.runs,
            "suite": args.suite,
            "pg_url": redact(args.pg_url),
            "mysql_url": redact(args.mysql_url),
        },
        "databases": results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nSaved to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
