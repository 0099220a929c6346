"""The timing store: per-unit and per-test durations from earlier runs, kept on disk.

A JSON file (default ``.concurrent_test/timings.json`` beside ``manage.py``) written
atomically. It is untrusted input (``cachefiles``): a missing file is an empty store; a
damaged or foreign one is one ``[CONCURRENT]`` line and set aside (``timings.json.damaged``),
and this run's timings start a new one; one from a newer version of the runner is left
untouched and not used (nor rewritten); entries of the wrong shape or with durations that
are not finite and non-negative are dropped with a count. Entries not seen for ``MAX_AGE_DAYS`` are dropped. A sharded
run writes beside the store (``shard_path``), never into it: every shard must split the
suite from the same store.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .cachefiles import entries, is_duration, is_number, set_aside, warn_line
from .cpus import worker_demand
from .files import write_atomically
from .outcomes import read_outcomes

FORMAT = "django-concurrent-test/timings"
VERSION = 1
MAX_AGE_DAYS = 30


def default_path() -> Path:
    """``.concurrent_test/timings.json`` beside the running ``manage.py`` (else the cwd)."""
    main = getattr(sys.modules.get("__main__"), "__file__", None)
    base = Path(main).resolve().parent if main and main.endswith("manage.py") else Path.cwd()
    return base / ".concurrent_test" / "timings.json"


def shard_path(path: Path, index: int, total: int) -> Path:
    """Where shard ``index`` of ``total`` writes its timings: ``timings.shard-1-of-2.json``.

    A shard that rewrote the store it split from would hand the next shard run in the
    same workspace another split, and classes would be skipped or run twice. The shard
    files are merged back with ``concurrenttest --merge-timings``.
    """
    path = Path(path)
    return path.with_name(f"{path.stem}.shard-{index}-of-{total}{path.suffix}")


@dataclass
class TimingStore:
    """Durations in seconds keyed by unit key (``units``) and test id (``tests``)."""

    path: Path
    units: dict[str, list[float]] = field(default_factory=dict)  # key -> [seconds, seen]
    tests: dict[str, list[float]] = field(default_factory=dict)
    modules: dict[str, list[float]] = field(default_factory=dict)  # import seconds in a worker
    # The last concurrent run's test phase: [workers, CPUs the machine kept busy, seen,
    # share of the workers' unit time spent waiting for a CPU]; files written before
    # that share was measured have three items: no correction for contention.
    machine_load: list[float] | None = None
    # What starting the workers cost the last concurrent run: [seconds, seen]
    startup: list[float] | None = None
    # Each test's last outcome per run context (``outcomes.run_context``): [outcome, seen]
    outcomes: dict[str, dict[str, list]] = field(default_factory=dict)

    # False for a store this run must not rewrite: a newer runner's, or one it cannot read.
    writable: bool = True

    @classmethod
    def load(cls, path: Path, warn=warn_line) -> TimingStore:
        """Read and check the store; anything wrong is one ``warn`` line, never an error."""
        store = cls(Path(path))
        name = f"Timing store {store.path}"
        try:
            data = json.loads(store.path.read_text())
        except FileNotFoundError:
            return store
        except OSError as error:
            warn(f"{name} cannot be read ({error.strerror}): planning without timings")
            store.writable = False
            return store
        except ValueError as error:
            warn(
                f"{name} is not JSON ({_short(error)}): {set_aside(store.path)}; planning without timings"
            )
            return store
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            warn(
                f"{name} is not a {FORMAT} file: {set_aside(store.path)}; planning without timings"
            )
            return store
        version = data.get("version", VERSION)
        if not (is_number(version) and version <= VERSION):
            warn(
                f"{name} has version {version!r}, this runner reads {VERSION}: "
                "left untouched and not used (a newer runner wrote it?)"
            )
            store.writable = False
            return store
        dropped = store._read_entries(data)
        if dropped:
            warn(
                f"{name}: {entries(dropped)} of the wrong shape or with a duration that is not a finite,"
                " non-negative number dropped"
            )
        return store

    def _read_entries(self, data: dict) -> int:
        """Fill the store from checked entries; return how many were dropped."""
        dropped = 0
        self.units, count = _entries(data.get("units"))
        dropped += count
        self.tests, count = _entries(data.get("tests"))
        dropped += count
        self.modules, count = _entries(data.get("modules"))
        dropped += count
        self.machine_load = _load_entry(data.get("load"))
        dropped += self.machine_load is None and data.get("load") is not None
        if data.get("startup") is not None:
            startup, count = _entries({"startup": data["startup"]})
            self.startup = startup.get("startup")
            dropped += count
        self.outcomes = read_outcomes(data.get("outcomes"))  # checked there, entry by entry
        return dropped

    def unit_estimates(self) -> dict[str, float]:
        """Known unit durations in seconds."""
        return {key: entry[0] for key, entry in self.units.items()}

    def test_estimates(self) -> dict[str, float]:
        """Known test durations in seconds, by test id."""
        return {key: entry[0] for key, entry in self.tests.items()}

    def demand_per_worker(self) -> float | None:
        """CPUs one worker needs when it never waits for one (``cpus.worker_demand``)."""
        if self.machine_load is None:
            return None
        workers, busy, _seen, *queued = self.machine_load
        return worker_demand(busy, int(workers), queued[0] if queued else 0.0)

    def record_load(self, workers: int, busy_cpus: float, run_queue: float | None = None) -> None:
        """Remember how busy the machine was while ``workers`` workers ran tests.

        ``run_queue``: the share of the workers' unit time spent waiting for a CPU.
        """
        self.machine_load = [workers, round(busy_cpus, 3), time.time()]
        if run_queue is not None:
            self.machine_load.append(round(run_queue, 4))

    def startup_seconds(self) -> float | None:
        """Seconds starting the workers took in the last concurrent run, or None."""
        return self.startup[0] if self.startup is not None else None

    def record_startup(self, seconds: float) -> None:
        """Remember what starting the workers cost (``--workers auto`` weighs it)."""
        self.startup = [round(seconds, 4), time.time()]

    def record(
        self,
        units: dict[str, float],
        tests: dict[str, float],
        modules: dict[str, float] | None = None,
    ) -> None:
        """Remember this run's durations, replacing older ones for the same keys."""
        now = time.time()
        self.units.update({key: [round(d, 4), now] for key, d in units.items()})
        self.tests.update({key: [round(d, 4), now] for key, d in tests.items()})
        self.modules.update({key: [round(d, 4), now] for key, d in (modules or {}).items()})

    def last_outcomes(self, context: str) -> dict[str, list]:
        """The last outcome of each test run in ``context``: test id -> [outcome, seen]."""
        return self.outcomes.get(context, {})

    def record_outcomes(self, context: str, outcomes: dict[str, str]) -> None:
        """Remember this run's outcomes (``outcomes.OUTCOMES``), replacing older ones."""
        now = time.time()
        table = self.outcomes.setdefault(context, {})
        table.update({key: [outcome, now] for key, outcome in outcomes.items()})

    def forget_outcomes(self, context: str, keys) -> None:
        """Drop the outcomes of tests that no longer exist."""
        table = self.outcomes.get(context, {})
        for key in keys:
            table.pop(key, None)

    def save(self, path: Path | None = None) -> None:
        """Drop aged entries and write the file (or ``path``) atomically: temp file + rename."""
        target = Path(path) if path is not None else self.path
        cutoff = time.time() - MAX_AGE_DAYS * 86400
        payload = {
            "format": FORMAT,
            "version": VERSION,
            "units": {k: v for k, v in sorted(self.units.items()) if v[1] >= cutoff},
            "tests": {k: v for k, v in sorted(self.tests.items()) if v[1] >= cutoff},
            "modules": {k: v for k, v in sorted(self.modules.items()) if v[1] >= cutoff},
        }
        if self.machine_load is not None and self.machine_load[2] >= cutoff:
            payload["load"] = self.machine_load
        if self.startup is not None and self.startup[1] >= cutoff:
            payload["startup"] = self.startup
        outcomes = {
            context: {k: v for k, v in sorted(table.items()) if v[1] >= cutoff}
            for context, table in sorted(self.outcomes.items())
        }
        if any(outcomes.values()):
            payload["outcomes"] = {context: table for context, table in outcomes.items() if table}
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, json.dumps(payload, separators=(",", ":")))


def _short(error: Exception) -> str:
    return str(error).splitlines()[0][:120]


def _load_entry(raw) -> list[float] | None:
    """``[workers, busy CPUs, seen(, run-queue share)]`` when every value makes sense."""
    if (
        isinstance(raw, list)
        and len(raw) in (3, 4)  # four since the run-queue share (older files: three)
        and all(is_number(x) for x in raw)
        and 1 <= raw[0] <= 100_000
        and raw[1] > 0  # the run-queue share, if any, is clamped where it is used (cpus)
    ):
        return [float(x) for x in raw]
    return None


def _entries(raw) -> tuple[dict[str, list[float]], int]:
    """The well-formed ``key: [seconds, seen]`` entries of a section, and how many were not."""
    if raw is None:
        return {}, 0
    if not isinstance(raw, dict):
        return {}, 1
    entries = {}
    for key, value in raw.items():
        if (
            isinstance(key, str)
            and isinstance(value, list)
            and len(value) == 2
            and is_duration(value[0])
            and is_number(value[1])
        ):
            entries[key] = [float(value[0]), float(value[1])]
    return entries, len(raw) - len(entries)
