"""Units of work: the suite cut into test classes (never split), in the order to hand out."""

from __future__ import annotations

import itertools
import math
import sys
from dataclasses import dataclass

from .cachefiles import is_duration


@dataclass(frozen=True)
class PlannedUnit:
    """A class's tests (or a whole module's, when it has module fixtures) as test indices.

    ``whole`` is set on a piece of a split class: the class's own unit key, under which
    the pieces' durations are stored together.
    """

    key: str
    indices: tuple[int, ...]
    whole: str | None = None

    @property
    def timing_key(self) -> str:
        """The key this unit's duration is stored under."""
        return self.whole or self.key


def unit_key(test) -> str:
    """The unit a test belongs to: its class, or its module if that has module fixtures.

    A module with ``setUpModule``/``tearDownModule`` is kept whole so that its fixtures
    run once, as in a sequential run, instead of once per class. A class is never split
    unless it says ``concurrent_split = True``; then each test is its own unit.
    """
    cls = type(test)
    if getattr(cls, "concurrent_split", False):
        # Opt-in: a long class without costly class fixtures may spread its tests over
        # workers (each piece repeats setUpClass/setUpTestData).
        return test.id()
    module = sys.modules.get(cls.__module__)
    if module is not None and (hasattr(module, "setUpModule") or hasattr(module, "tearDownModule")):
        return cls.__module__
    return class_key(cls)


def class_key(cls: type) -> str:
    """The unit key of a class of its own: ``module.Class``."""
    return f"{cls.__module__}.{cls.__qualname__}"


def plan_units(tests: list) -> list[PlannedUnit]:
    """Group tests into units, keeping the suite's order of first appearance.

    Django orders TestCase classes before TransactionTestCase ones; every worker runs
    its units in that order, so the rule holds within each worker.
    """
    groups: dict[str, list[int]] = {}
    for index, test in enumerate(tests):
        groups.setdefault(unit_key(test), []).append(index)
    return [PlannedUnit(key, tuple(indices)) for key, indices in groups.items()]


def estimate_units(units: list[PlannedUnit], known: dict[str, float]) -> dict[str, float]:
    """Each unit's expected seconds: its stored time, else the median of the known ones."""
    # The timing store checks its values when read; a plan never shows a negative or
    # infinite estimate, whatever a caller passes.
    known = {key: seconds for key, seconds in known.items() if is_duration(seconds)}
    values = sorted(known[unit.key] for unit in units if unit.key in known)
    median = values[len(values) // 2] if values else 0.0
    return {unit.key: known.get(unit.key, median) for unit in units}


def plan_segments(
    units: list[PlannedUnit], estimates: dict[str, float], workers: int, leading: int = 0
) -> list[list[PlannedUnit]]:
    """Each worker's share: one contiguous segment of ``units``, balanced by weight.

    ``units`` is Django's order (discovery, --reverse or --shuffle). Inside a segment
    every unit has the predecessors it has in a sequential run, except what came before
    the segment's start (issue #25). A unit weighs its estimated seconds; on a first run,
    where no unit has any, its test count. The largest segment is as light as a
    contiguous cut allows (``_least_bottleneck``); the cuts then fall as near as that
    allows to equal shares, so that no segment is needlessly light either.
    """
    if workers < 1 or not units:
        return [[] for _ in range(max(workers, 0))]
    if 0 < leading < len(units):
        # ``--failed-first``: the first ``leading`` units are cut on their own, so that
        # every worker starts with its segment of them; the rest is cut behind them.
        firsts = plan_segments(units[:leading], estimates, min(workers, leading))
        firsts += [[] for _ in range(workers - len(firsts))]
        rest = plan_segments(units[leading:], estimates, workers)
        return [first + then for first, then in zip(firsts, rest, strict=True)]
    weights = _weights(units, estimates)
    bound = _least_bottleneck(weights, workers)
    cuts = _balanced_cuts(weights, workers, bound)
    bounds = [0, *cuts, len(units)]
    return [units[start:end] for start, end in itertools.pairwise(bounds)]


def _weights(units: list[PlannedUnit], estimates: dict[str, float]) -> list[float]:
    """Estimated seconds per unit, or test counts when no unit has an estimate."""
    if any(estimates.get(unit.key, 0.0) > 0 for unit in units):
        return [max(estimates.get(unit.key, 0.0), 0.0) for unit in units]
    return [float(len(unit.indices)) for unit in units]


def _segments_needed(weights: list[float], bound: float) -> list[int]:
    """For each start position, the fewest segments of weight <= ``bound`` from there on.

    Taking as much as fits is optimal for the count (the greedy exchange argument), so
    ``needed[p] = 1 + needed[end of the longest fitting run from p]``, found with one
    pointer walking backwards. ``len(weights) + 1`` marks a unit heavier than ``bound``.
    """
    count = len(weights)
    needed = [0] * (count + 1)
    end, load = count, 0.0
    for start in range(count - 1, -1, -1):
        load += weights[start]
        while load > bound and end > start:
            end -= 1
            load -= weights[end]
        needed[start] = count + 1 if end == start else 1 + needed[end]
    return needed


def _least_bottleneck(weights: list[float], workers: int) -> float:
    """The smallest largest-segment weight of a cut into at most ``workers`` segments.

    Bisection on the bound, whose test (``_segments_needed``) is monotone: between the
    heaviest unit and the total, down to a millionth of the total.
    """
    low, high = max(weights), sum(weights)
    if _segments_needed(weights, low)[0] <= workers:
        return low
    while high - low > 1e-6 * high:
        middle = (low + high) / 2
        if _segments_needed(weights, middle)[0] <= workers:
            high = middle
        else:
            low = middle
    return high


def _balanced_cuts(weights: list[float], workers: int, bound: float) -> list[int]:
    """The ``workers - 1`` cut positions: segments within ``bound``, none empty.

    Segment k ends where the running total comes nearest to k/workers of the total,
    among the ends that keep it within ``bound`` and leave a feasible rest: no more
    segments needed than remain, and at least one unit for each of them.
    """
    count, total = len(weights), sum(weights)
    needed = _segments_needed(weights, bound)
    prefix = [0.0]
    for weight in weights:
        prefix.append(prefix[-1] + weight)
    bound += 1e-9 * bound  # the bisection summed in another order than the prefixes
    cuts, start = [], 0
    for number in range(1, workers):
        left = workers - number  # segments after this one
        ends = []
        for end in range(start + 1, count - left + 1):
            if prefix[end] - prefix[start] > bound:
                break  # weights are not negative: every later end is heavier
            if needed[end] <= left:
                ends.append(end)
        target = total * number / workers
        end = min(ends, key=lambda end: abs(prefix[end] - target)) if ends else start + 1
        cuts.append(end)
        start = end
    return cuts


# A class is split only if its class fixtures (setUpClass, setUpTestData, tearDownClass)
# took at most this share of its time: each piece repeats them.
SPLIT_FIXTURE_SHARE = 0.1


@dataclass(frozen=True)
class Split:
    """A long class cut into ``pieces`` units, and what its timings said about it."""

    key: str
    pieces: int
    seconds: float
    fixture_seconds: float


def split_long_units(
    units: list[PlannedUnit],
    tests: list,
    estimates: dict[str, float],
    test_seconds: dict[str, float],
    workers: int,
) -> tuple[list[PlannedUnit], dict[str, float], list[Split]]:
    """Cut each class that would hold up the run into pieces, where that is cheap.

    A unit is cut when its estimate exceeds one worker's fair share (all estimates ÷
    ``workers``), it is one ``django.test.TestCase`` class whose tests all have stored
    times, its class fixtures (the unit's time minus its tests') cost at most
    SPLIT_FIXTURE_SHARE of it, and the class does not say ``concurrent_split = False``.
    Pieces are consecutive runs of its tests, in order, with near-equal stored times:
    as many as the fair share needs, at most one per worker. TestCase isolates every
    test in a transaction and gives it its own copy of ``setUpTestData``'s objects, so
    a piece's tests see what they would have seen in the whole class.
    """
    fair_share = sum(estimates.values()) / workers if workers else 0.0
    result: list[PlannedUnit] = []
    estimates = dict(estimates)
    splits = []
    for unit in units:
        seconds = estimates[unit.key]
        if seconds <= fair_share:
            result.append(unit)  # most units: no need to look at their tests
            continue
        tested = [test_seconds.get(tests[index].id()) for index in unit.indices]
        cls = type(tests[unit.indices[0]])
        pieces = min(_pieces_wanted(unit, cls, seconds, tested, fair_share), workers)
        if pieces < 2:
            result.append(unit)
            continue
        fixtures = seconds - sum(tested)
        splits.append(Split(unit.key, pieces, seconds, fixtures))
        own = dict(zip(unit.indices, tested, strict=True))
        for number, part in enumerate(_consecutive_parts(unit.indices, tested, pieces), 1):
            piece = PlannedUnit(f"{unit.key}[{number}/{pieces}]", part, whole=unit.key)
            estimates[piece.key] = fixtures + sum(own[index] for index in part)
            result.append(piece)
    return result, estimates, splits


def _pieces_wanted(unit, cls, seconds: float, tested: list, fair_share: float) -> int:
    """How many pieces a long unit of class ``cls`` asks for (1: keep it whole).

    ``seconds`` is the unit's stored time, ``tested`` its tests' (None where unknown).
    """
    from django.test import TestCase

    if (
        len(unit.indices) < 2
        or unit.key != class_key(cls)  # a module or merged unit
        or not issubclass(cls, TestCase)
        or getattr(cls, "concurrent_split", None) is False
        or has_own_class_setup(cls)
        or None in tested
        or seconds - sum(tested) > SPLIT_FIXTURE_SHARE * seconds
    ):
        return 1
    return min(math.ceil(seconds / fair_share), len(unit.indices))


def has_own_class_setup(cls: type) -> bool:
    """Whether ``cls`` or a project base class of it overrides ``setUpClass``.

    Django copies ``setUpTestData``'s objects for every test, so a piece of a split
    class sees what the whole class would have shown it; what a custom ``setUpClass``
    builds is shared by the class's tests instead, and they may depend on each other
    through it. Such a class is split only when it says ``concurrent_split = True``.
    """
    return any(
        "setUpClass" in vars(klass)
        for klass in cls.__mro__
        if not klass.__module__.startswith(("django.", "unittest"))
    )


def _consecutive_parts(
    indices: tuple[int, ...], seconds: list[float], pieces: int
) -> list[tuple[int, ...]]:
    """``indices`` cut into ``pieces`` consecutive, non-empty runs of near-equal seconds."""
    total = sum(seconds)
    parts: list[tuple[int, ...]] = []
    start, elapsed = 0, 0.0
    for position, value in enumerate(seconds):
        elapsed += value
        left = len(indices) - position - 1
        cut_here = elapsed >= total * (len(parts) + 1) / pieces or left == pieces - len(parts) - 1
        if cut_here and len(parts) < pieces - 1 and left > 0:
            parts.append(indices[start : position + 1])
            start = position + 1
    parts.append(indices[start:])
    return parts


@dataclass(frozen=True)
class WorkerShare:
    """One worker's planned segment: its tests and their estimated seconds."""

    tests: int
    seconds: float


def summarize_shares(
    shares: list[list[PlannedUnit]], estimates: dict[str, float]
) -> list[WorkerShare]:
    """Each worker's planned tests and estimated seconds, from ``plan_segments``."""
    return [
        WorkerShare(
            sum(len(unit.indices) for unit in share),
            sum(estimates[unit.key] for unit in share),
        )
        for share in shares
    ]


# Never preloaded: the entry script, and the harnesses a runner may be called from
# (their modules belong to the calling process, not to the tests).
HARNESS_MODULES = frozenset(
    {"__main__", "__mp_main__", "conftest", "pytest", "_pytest", "pluggy", "IPython", "pdb"}
)
# Nor what the parent has for being Django's test command: the command, Django's runner
# and what only that runner imports (pdb for --pdb, ctypes). Preloaded, they would cost
# every worker about 1 MB (issue #8); a test that needs one imports it.
COMMAND_MODULES = (
    "django.core.management.commands.test",
    "django.test.runner",
    "bdb",
    "cmd",
    "code",
    "codeop",
    "ctypes",
    "_ctypes",
)


def _belongs_to_the_caller(name: str, skip_prefix: str) -> bool:
    return (
        name.startswith(skip_prefix)
        or name.partition(".")[0] in HARNESS_MODULES
        or any(name == module or name.startswith(module + ".") for module in COMMAND_MODULES)
    )


def preload_modules(
    loaded: list[str], tests: list, skip_prefix: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What every worker imports before its first test: the parent's modules, in order.

    After discovery a sequential process has imported every test module, in discovery
    order, before its first test; import-time registrations (signals, registries,
    caches) then happen before any test runs, never after a test that cleared them.
    Each worker does the same (issue #15). Returns ``(modules, test_modules)``: the
    modules of ``loaded`` (``sys.modules`` order) to import, and which of them are the
    run's test modules, whose import times go to the timing store. Left out: the
    runner's parent-side package (``skip_prefix``), the harness the runner was called
    from and Django's test command.
    """
    test_modules = {type(test).__module__ for test in tests}
    wanted = tuple(name for name in loaded if not _belongs_to_the_caller(name, skip_prefix))
    return wanted, tuple(name for name in wanted if name in test_modules)


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``total``: this machine runs only its share."""

    index: int
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


def parse_shard(text: str) -> Shard:
    """``"I/N"`` with 1 ≤ I ≤ N; ValueError otherwise."""
    index, _, total = str(text).partition("/")
    shard = Shard(int(index), int(total))
    if not 1 <= shard.index <= shard.total:
        raise ValueError(text)
    return shard


def shard_from_ci(environ) -> tuple[Shard, str] | None:
    """The shard a CI system's own parallelism assigns, and which variables said so.

    GitLab's ``parallel:`` sets CI_NODE_INDEX (1-based) and CI_NODE_TOTAL; for a GitHub
    Actions matrix, export DJANGO_TEST_SHARD_INDEX/DJANGO_TEST_SHARD_TOTAL from it (the
    README shows how), since Actions has no standard variables for this.
    """
    for index_name, total_name in (
        ("DJANGO_TEST_SHARD_INDEX", "DJANGO_TEST_SHARD_TOTAL"),
        ("CI_NODE_INDEX", "CI_NODE_TOTAL"),
    ):
        if environ.get(index_name) and environ.get(total_name):
            shard = parse_shard(f"{environ[index_name]}/{environ[total_name]}")
            return shard, f"{index_name}/{total_name}"
    return None


def select_shard(
    units: list[PlannedUnit], estimates: dict[str, float], shard: Shard
) -> list[PlannedUnit]:
    """This shard's units: longest-first onto the least-loaded shard.

    With timings this balances estimated durations; without any, every estimate is 0
    and units are dealt by a stable hash of their key, so every shard computes the same
    split and each unit lands in exactly one shard.
    """
    if not any(estimates.get(unit.key, 0) for unit in units):
        return [unit for unit in units if _stable_bucket(unit.key, shard.total) == shard.index - 1]
    loads = [0.0] * shard.total
    chosen = []
    for unit in sorted(units, key=lambda u: (-estimates.get(u.key, 0.0), u.key)):
        target = min(range(shard.total), key=lambda i: (loads[i], i))
        loads[target] += estimates.get(unit.key, 0.0)
        if target == shard.index - 1:
            chosen.append(unit)
    keep = {unit.key for unit in chosen}
    return [unit for unit in units if unit.key in keep]  # the dispatch order stays


def _stable_bucket(key: str, total: int) -> int:
    import hashlib

    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % total
