"""Merging the reports of CI shards: JUnit files into one, timing stores into one."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..files import write_atomically
from ..timings import TimingStore
from .junit import seconds

_COUNTS = ("tests", "failures", "errors")


def merge_junit(output: str | Path, inputs: list[str | Path]) -> int:
    """Write one ``<testsuites>`` holding every input's suites; return the suite count.

    Totals on the root are recomputed from the suites, its ``time`` is the shards'
    total; suites of the same class from two shards stay separate (a class is never
    split across shards).
    """
    root = etree.Element("testsuites", name="concurrenttest")
    totals = dict.fromkeys(_COUNTS, 0)
    elapsed = 0.0
    for path in inputs:
        tree = etree.parse(str(path))
        document = tree.getroot()
        suites = [document] if document.tag == "testsuite" else document.findall("testsuite")
        for suite in suites:
            root.append(suite)
            for key in totals:
                totals[key] += int(suite.get(key, 0))
        # A shard's root time is its test phase; without one, its suites' times.
        own = document.get("time") or sum(float(s.get("time", 0) or 0) for s in suites)
        elapsed += float(own)
    for key, value in totals.items():
        root.set(key, str(value))
    # The total, as the counts are: shards may run one after another or side by side,
    # and only the total means the same in both cases.
    root.set("time", seconds(elapsed))
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    write_atomically(
        output, etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    )
    return len(root)


def merge_timings(output: str | Path, inputs: list[str | Path]) -> int:
    """Combine timing stores, the newest entry of each key winning; return the unit count.

    The inputs are usually the shards' files (``timings.shard-1-of-2.json``…): each is
    the store the shards split from plus that shard's new durations, so together they
    hold every unit. Import times of the test modules, each test's last outcome (per
    run context) and the newest load figure are kept too.
    """
    merged = TimingStore(Path(output))
    for path in inputs:
        store = TimingStore.load(Path(path))
        for mine, theirs in (
            (merged.units, store.units),
            (merged.tests, store.tests),
            (merged.modules, store.modules),
        ):
            for key, entry in theirs.items():
                if key not in mine or entry[1] > mine[key][1]:
                    mine[key] = entry
        for context, table in store.outcomes.items():
            mine = merged.outcomes.setdefault(context, {})
            for key, entry in table.items():
                if key not in mine or entry[1] > mine[key][1]:
                    mine[key] = entry
        newest = merged.machine_load
        if store.machine_load is not None and (newest is None or store.machine_load[2] > newest[2]):
            merged.machine_load = store.machine_load
        latest = merged.startup
        if store.startup is not None and (latest is None or store.startup[1] > latest[1]):
            merged.startup = store.startup
    merged.save()
    return len(merged.units)
