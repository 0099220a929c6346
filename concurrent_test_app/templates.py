"""The template database cache: migrate once, reuse until the schema's fingerprint changes.

For each test database the suite uses, a template is built by Django's own
``create_test_db`` (migrations, ``createcachetable``) under a name of ours, and marked
with a fingerprint of everything that shapes its schema and initial data. A later run
whose fingerprint matches skips migrations entirely; workers are cloned from the
template. The template is never written by tests: only its clones are.

    PostgreSQL  <test name>_template, marked by COMMENT ON DATABASE
    MySQL       <test name>_template, marked by a one-row table inside it (MySQL has
                no comment on a database); the clones' dump leaves that table out
    SQLite      .concurrent_test/templates/<alias>.sqlite3 beside manage.py, marked
                by a sidecar file holding the fingerprint

A run may be killed while it builds a template, so a build must never leave behind a
database that the next run cannot prove is ours. Before ``CREATE DATABASE`` the name is
written to the run's intent ledger (``ledger``), and Django's create step is made strict
(it never clobbers a database that is already there). PostgreSQL builds under
``<template>_unfinished_<token>``, marks it, and only then renames it into place
(``ALTER DATABASE … RENAME TO``), so the final name is never unfinished. MariaDB has no
database rename, and ``RENAME TABLE`` cannot move views, triggers or routines into
another database, so MySQL builds under the final name, which the ledger proves is ours
until the marker table is written last; the next run's sweep drops a build whose run is
gone before it looks for the marker.

Snapshots (``snapshots``): a run that builds a template also dumps it into the cache
folder, named by alias and fingerprint. A later run that finds no valid template on
the server (a new CI database server) but a snapshot with the project's fingerprint
restores it into a new template, built and marked exactly as a migrated one, instead
of migrating. A snapshot that is stale, damaged, made on another server version or
that the client programs cannot read is one line, and the run migrates.

The cache folder is untrusted input. A cached or restored template is proven before it
is cloned (``template_proof``): one that does not open, fails SQLite's integrity check or
holds other migrations than the project's is one line, discarded and built again. The
template index (``templates.json``, the fingerprints' parts, kept only to say what
changed) is checked when read; entries of the wrong shape are dropped with one line.
"""

from __future__ import annotations

import hashlib
import json
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections

from . import __version__
from .backends import backend_of
from .cachefiles import entries
from .exceptions import DatabaseTemplateException, SecurityException
from .ledger import Ledger
from .leftovers import entry_for, sweep_ledgers, unfinished_name
from .snapshots import Snapshot, SnapshotStore, SnapshotUnusable
from .snapshots.store import describe
from .template_proof import template_problem
from .worker import mark_backend_skips

_SETTING_KEYS = ("ENGINE", "NAME", "HOST", "PORT", "USER", "OPTIONS", "TEST")


@dataclass(frozen=True)
class Fingerprint:
    """Digests of each ingredient of a template's schema, and of all of them."""

    parts: dict[str, str]

    @property
    def digest(self) -> str:
        """One hash over every part."""
        return _hash(json.dumps(self.parts, sort_keys=True))

    def changes_from(self, old_parts: dict[str, str] | None) -> str:
        """Which parts differ from ``old_parts``, for the 'stale' message."""
        if not old_parts or not isinstance(old_parts, dict):
            return "fingerprint changed"
        changed = sorted(
            k for k in set(self.parts) | set(old_parts) if self.parts.get(k) != old_parts.get(k)
        )
        return ", ".join(changed) + " changed" if changed else "fingerprint changed"


def project_parts() -> dict[str, str]:
    """The parts of a fingerprint that every alias shares (hashed once per run)."""
    return {
        "migrations": _hash(_migration_sources()),
        "models": _hash(_model_shapes()),
        "installed apps": _hash("\n".join(settings.INSTALLED_APPS)),
        "Django version": django.get_version(),
        "django-concurrent-test version": __version__,
    }


def fingerprint(alias: str, shared: dict[str, str] | None = None) -> Fingerprint:
    """What the template of ``alias`` depends on, each part hashed."""
    database = connections[alias].settings_dict
    settings_part = _hash(repr(sorted((key, repr(database.get(key))) for key in _SETTING_KEYS)))
    return Fingerprint({**(shared or project_parts()), "database settings": settings_part})


def _migration_sources() -> str:
    from django.db.migrations.loader import MigrationLoader

    chunks = []
    for app_config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        module_name, _explicit = MigrationLoader.migrations_module(app_config.label)
        if not module_name:
            continue
        try:
            module = __import__(module_name, fromlist=["__path__"])
        except ImportError:
            continue
        for folder in getattr(module, "__path__", []):
            for path in sorted(Path(folder).glob("*.py")):
                chunks.append(f"{module_name}:{path.name}:{_hash(path.read_bytes())}")
    return "\n".join(chunks)


def _model_shapes() -> str:
    shapes = []
    for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.label):
        fields = sorted(
            (f.name, f.column or "", type(f).__name__, f.null, f.unique, str(f.max_length))
            for f in model._meta.local_fields
        )
        shapes.append(f"{model._meta.label}:{model._meta.db_table}:{fields}")
    return "\n".join(shapes)


def _hash(data: str | bytes) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:16]


class TemplateCache:
    """Prepares one template per test database and points its aliases at it."""

    def __init__(
        self,
        directory: Path,
        verbosity: int,
        log,
        ledger=None,
        warn=None,
        snapshots=True,
        tools=None,
        names=None,
    ) -> None:
        self.directory = Path(directory)
        self.verbosity = verbosity
        self.log = log
        self.warn = warn or log
        self.ledger = ledger or Ledger(self.directory, self.warn)
        self._ledger_path = self.directory / "templates.json"
        # Snapshots of the templates, for a CI cache to carry to a new database server.
        self.snapshots = SnapshotStore(self.directory, self.warn) if snapshots else None
        self.tools = tools  # the folder of pg_dump/pg_restore (mysqldump/mysql), or None
        self.names = names  # the project's test databases (leftovers.ProjectNames), for sweeps

    def setup(self, groups, serialized_aliases, protected: set[str]) -> list[tuple]:
        """Use or build each group's template; return ``(connection, old_name)`` pairs."""
        ledger = self._read_ledger()
        restore = []
        shared = project_parts()  # migration files are read once, not once per alias
        for group in groups:
            connection = connections[group.primary]
            restore.append((connection, connection.settings_dict["NAME"]))
            name = self.template_name(group.primary)
            if name in protected:
                raise SecurityException(
                    f"Refusing to use {name!r} as a template: a configured database has that NAME."
                )
            current = fingerprint(group.primary, shared)
            entry = ledger.get(f"{group.primary}:{name}")
            with self._locked(connection, name):
                # A build killed earlier (here or in another run of this project) must
                # not block this one: the ledger proves what it left is ours.
                sweep_ledgers(self.directory, connection, self.log, self.warn, self.names)
                self._prepare(group, name, current, entry, group.primary in serialized_aliases)
            ledger[f"{group.primary}:{name}"] = current.parts
            for alias in group.aliases[1:]:
                connections[alias].creation.set_as_test_mirror(connection.settings_dict)
        self._write_ledger(ledger)
        return restore

    def template_name(self, alias: str) -> str:
        """The template's database name (PostgreSQL) or file path (SQLite)."""
        connection = connections[alias]
        return backend_of(connection).template_name(connection, self.directory)

    def _locked(self, connection, name: str):
        """One run builds a template while another run wanting it waits."""
        key = int(hashlib.sha1(name.encode()).hexdigest()[:15], 16)
        return backend_of(connection).template_lock(connection, key, self.directory, self.warn)

    def invalidate(self, groups) -> None:
        """Forget the templates' fingerprints: tests ran on them in this process."""
        for group in groups:
            connection = connections[group.primary]
            name = self.template_name(group.primary)
            backend_of(connection).invalidate_template(connection, name)

    def _prepare(self, group, name: str, current: Fingerprint, old_parts, serialize: bool):
        connection = connections[group.primary]
        marker = self._marker(connection, name)
        if marker == current.digest and self._proven(connection, name):
            self.log("Using cached database template")
            _point_at(connection, name)
            if serialize:
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
            mark_backend_skips([connection.alias])  # as create_test_db would have
            return
        if marker is not None and marker != current.digest:
            self.log(f"Template is stale ({current.changes_from(old_parts)}), rebuilding")
        snapshot = self._snapshot_for(group.primary, current)
        if backend_of(connection).template_in_file:
            restored = self._restored(connection, name, snapshot, [])
            if not restored:
                self._build(connection, name, serialize)
            self._mark(connection, name, current.digest)
            self._after_restore_or_build(
                connection, group.primary, name, current, restored, serialize
            )
            return
        self._build_provably(connection, name, current, serialize, marker is not None, snapshot)

    def _proven(self, connection, name: str) -> bool:
        """Whether a cached template is what its marker says; if not, one line (it is rebuilt)."""
        problem = template_problem(connection, name)
        if problem is None:
            return True
        self.warn(
            f"Warning: cached template {name} of alias {connection.alias!r} "
            f"is not what its fingerprint says: {problem}; discarding it and building it again"
        )
        return False

    def _build_provably(self, connection, name, current, serialize, stale, snapshot) -> None:
        """Build a server template so that a kill at any instant leaves only what we can sweep."""
        renamed = backend_of(connection).template_renamed
        if stale and not renamed:
            self._drop(connection, name)  # ours: its marker was just read
        building = unfinished_name(name, self.ledger.token) if renamed else name
        entry = entry_for(connection, building, "template")
        self.ledger.record(entry)  # before CREATE DATABASE, on disk
        created: list[str] = []
        try:
            restored = self._restored(connection, building, snapshot, created)
            if not restored:
                with _strict_create(connection, created):
                    self._build(connection, building, serialize)
            self._mark(connection, building, current.digest)
            if renamed:
                self._rename(connection, building, name, stale)
        except BaseException:
            self._abandon(connection, entry, created)
            raise
        self.ledger.forget(entry)  # its own name and marker prove it ours from now on
        _point_at(connection, name)
        alias = connection.alias
        self._after_restore_or_build(connection, alias, name, current, restored, serialize)

    # -- snapshots ---------------------------------------------------------------------

    def _snapshot_for(self, alias: str, current: Fingerprint) -> Snapshot | None:
        """The snapshot to restore ``alias``'s template from, or None (saying why, if stale)."""
        if self.snapshots is None:
            return None
        suffix = backend_of(connections[alias]).snapshot_suffix
        found = self.snapshots.find(alias, current.digest, suffix)
        if found is None:
            for other in self.snapshots.others(alias, current.digest, suffix):
                changes = current.changes_from(other.parts)
                self.log(f"Template snapshot {other.path} is stale ({changes}), migrating")
        return found

    def _restored(self, connection, name: str, snapshot: Snapshot | None, created) -> bool:
        """Restore ``snapshot`` into ``name``; False (one warning line) when it cannot be."""
        if snapshot is None:
            return False
        backend = backend_of(connection)
        started = time.monotonic()
        try:
            snapshot.verify()
            server = backend.server_version(connection)
            if server != snapshot.server_version:
                raise SnapshotUnusable(
                    f"it was made on {snapshot.server_version}, the server is {server}"
                )
            if not backend.template_in_file:
                _create_database(connection, name, created)
            backend.restore_template(connection, name, snapshot, self.tools)
            problem = template_problem(connection, name)
            if problem is not None:
                raise SnapshotUnusable(f"the restored template is not what it says: {problem}")
        except Exception as error:  # noqa: BLE001 - a snapshot never fails the run
            self.warn(
                f"Warning: template snapshot {snapshot.path} not restored: {error}; migrating"
            )
            self._discard(connection, name, created)
            return False
        seconds = time.monotonic() - started
        self.log(f"Restored database template from snapshot {snapshot.path} ({seconds:.1f}s)")
        return True

    def _discard(self, connection, name: str, created: list[str]) -> None:
        """Drop what a failed restore created, so the build can create it again."""
        if created:
            connection.close()
            self._drop(connection, name)
            created.clear()

    def _after_restore_or_build(self, connection, alias, name, current, restored, serialize):
        """Serialize a restored template as Django would have; snapshot a migrated one."""
        if restored:
            _point_at(connection, name)
            if serialize:  # what serialized_rollback restores, read from the template
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
            # A sequential fallback runs here, on the template: its tests need the marks
            # create_test_db gives (Django's own suite), too.
            mark_backend_skips([alias])
        elif self.snapshots is not None:
            self._save_snapshot(connection, alias, name, current)

    def _save_snapshot(self, connection, alias: str, name: str, current: Fingerprint) -> None:
        """Dump the new template into the cache folder; a failure is one warning line."""
        backend = backend_of(connection)
        final = self.snapshots.path_for(alias, current.digest, backend.snapshot_suffix)
        temporary = self.snapshots.temporary_path(final)
        started = time.monotonic()
        try:
            self.snapshots.folder.mkdir(parents=True, exist_ok=True)
            tool = backend.dump_template(connection, name, temporary, self.tools)
            server = backend.server_version(connection)
            snapshot = describe(temporary, alias, current.digest, current.parts, server, tool)
            self.snapshots.publish(temporary, final, replace(snapshot, path=final))
        except Exception as error:  # noqa: BLE001 - a snapshot never fails the run
            self.warn(f"Warning: no template snapshot written for alias {alias!r}: {error}")
            return
        finally:
            with suppress(OSError):  # also on Ctrl-C: no half dump left behind
                temporary.unlink(missing_ok=True)
        seconds = time.monotonic() - started
        self.log(f"Saved template snapshot {final} ({seconds:.1f}s)")

    def _rename(self, connection, building: str, name: str, stale: bool) -> None:
        """Give a finished, marked PostgreSQL template its name (replacing a stale one)."""
        connection.close()  # a database cannot be renamed while anyone is connected
        quote = connection.ops.quote_name
        try:
            if stale:
                self._drop(connection, name)  # ours: its marker was read under the lock
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(name)}")
        except DatabaseError as error:
            raise DatabaseTemplateException(
                f"Failed to put template database {name!r} in place for alias "
                f"{connection.alias!r}: {error}"
            ) from error

    def _abandon(self, connection, entry, created: list[str]) -> None:
        """After a failed build: drop what it created, or leave it to the next run's sweep."""
        if created:
            connection.close()
            try:
                self._drop(connection, entry.name)
            except DatabaseError:
                return  # still in the ledger: the next run drops it
        self.ledger.forget(entry)

    def _drop(self, connection, name: str) -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")

    def _build(self, connection, name: str, serialize: bool) -> None:
        test_settings = connection.settings_dict["TEST"]
        previous = test_settings.get("NAME")
        test_settings["NAME"] = name
        if backend_of(connection).template_in_file:
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        try:
            with _without_destroying_nothing(connection, name):
                connection.creation.create_test_db(
                    verbosity=self.verbosity, autoclobber=True, serialize=serialize, keepdb=False
                )
        except KeyboardInterrupt:
            # Ctrl-C or SIGTERM: an unfinished template must not keep the final name.
            connection.close()
            if connection.settings_dict["NAME"] == name:  # created (or clobbered) by us
                connection.creation._destroy_test_db(name, verbosity=0)
            raise
        except Exception as error:
            raise DatabaseTemplateException(
                f"Failed to create template database {name!r} for alias "
                f"{connection.alias!r}: {error}"
            ) from error
        finally:
            test_settings["NAME"] = previous

    def _marker(self, connection, name: str) -> str | None:
        """The fingerprint digest stored with an existing template of ours, else None.

        A marker that cannot be read is one line and counts as stale: the template is
        built again.
        """
        try:
            return backend_of(connection).template_marker(connection, name)
        except (OSError, ValueError) as error:
            self.warn(f"Warning: the fingerprint of template {name} cannot be read ({error})")
            return UNREADABLE

    def _mark(self, connection, name: str, digest: str) -> None:
        backend_of(connection).mark_template(connection, name, digest)

    def _read_ledger(self) -> dict:
        """The template index: ``{"<alias>:<template>": {part: digest}}``, checked.

        Damaged or foreign content is one line; it is rewritten at the end of set-up.
        """
        path = self._ledger_path
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            self.warn(f"Warning: template index {path} cannot be read ({error}); rebuilding it")
            return {}
        index, dropped = checked_index(data)
        if dropped:
            self.warn(
                f"Warning: template index {path}: {entries(dropped)} of the wrong shape dropped; "
                "rebuilding it"
            )
        return index

    def _write_ledger(self, ledger: dict) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._ledger_path.write_text(json.dumps(ledger, indent=1, sort_keys=True))
        except OSError:
            pass  # only the "what changed" detail of a later message is lost


UNREADABLE = "unreadable"  # a marker that matches no digest


def checked_index(data) -> tuple[dict[str, dict[str, str]], int]:
    """The well-formed entries of a template index, and how many were not."""
    if not isinstance(data, dict):
        return {}, 1
    index = {
        key: parts
        for key, parts in data.items()
        if isinstance(parts, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in parts.items())
    }
    return index, len(data) - len(index)


@contextmanager
def _without_destroying_nothing(connection, name: str):
    """Leave out Django's "Destroying old test database" line when there is no old file.

    Django's SQLite creation prints it for any file database, also for a template file
    that does not exist yet (a first run), which would tell the user something untrue.
    """
    if not backend_of(connection).template_in_file or Path(name).exists():
        yield
        return
    creation = connection.creation
    original = creation.log

    def log(message: str) -> None:
        if not message.startswith("Destroying old test database"):
            original(message)

    creation.log = log
    try:
        yield
    finally:
        del creation.log  # the class's method again


@contextmanager
def _strict_create(connection, created: list[str]):
    """Django's create step without its clobbering: an existing database is an error.

    ``create_test_db(autoclobber=True)`` drops a database that is in the way. Here the
    name was just written to the ledger, so whatever already had it is not ours and
    must be left alone. Django's own ``CREATE DATABASE`` statement is kept.
    """
    creation = connection.creation

    def create(verbosity, autoclobber, keepdb=False):
        name = creation._get_test_db_name()
        _create_database(connection, name, created)
        return name

    creation._create_test_db = create
    try:
        yield
    finally:
        del creation._create_test_db


def _create_database(connection, name: str, created: list[str]) -> None:
    """Django's own ``CREATE DATABASE`` for a test database, failing if ``name`` exists."""
    creation = connection.creation
    parameters = {
        "dbname": connection.ops.quote_name(name),
        "suffix": creation.sql_table_creation_suffix(),
    }
    with creation._nodb_cursor() as cursor:
        creation._execute_create_test_db(cursor, parameters, keepdb=False)
    created.append(name)
    # Marked before migrations or a restore fill it: a run killed meanwhile leaves a
    # database the next run's sweep can prove is ours (a ledger entry alone does not).
    backend_of(connection).mark_building(connection, name)


def _point_at(connection, name: str) -> None:
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def restore_names(restore: list[tuple]) -> None:
    """Point the aliases back at their configured databases (nothing is dropped)."""
    for connection, old_name in restore:
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = old_name
        connection.settings_dict["NAME"] = old_name
