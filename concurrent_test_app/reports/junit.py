"""JUnit XML with lxml: one ``<testsuite>`` per test class, valid for Jenkins' junit-10.xsd.

The mapping (see README "Reports"): failures and errors carry ``type``, ``message`` and
the worker's traceback; skips and expected failures (``type="XFAIL"``) are ``<skipped>``;
an unexpected success is an ``<error>``; each failing subtest is its own case; a class or
module fixture error is a ``setUpClass``/``setUpModule`` case in that class's (module's)
suite. ``file``/``line`` on ``<testcase>`` only with ``annotate`` (the strict schema
rejects them; the 2014 permissive schema accepts them).
"""

from __future__ import annotations

import inspect
import os
import platform
import re
import socket
import sys
from datetime import datetime, timezone

import django
from lxml import etree

from .recording import Recorder, TestRecord

# Characters XML 1.0 forbids (lxml refuses them): C0 controls but tab/newline/CR,
# surrogates, U+FFFE/U+FFFF. The same ranges as xmlrunner's INVALID_XML_1_0_UNICODE_RE.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MESSAGE_LIMIT = 4096


def clean(text: object, limit: int | None = None) -> str:
    """``text`` without the characters XML cannot hold, optionally shortened."""
    cleaned = _INVALID_XML.sub("", str(text))
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: limit - 3] + "..."
    return cleaned


def seconds(value: float) -> str:
    """A time as the schema's SUREFIRE_TIME wants it: 3 decimals, no exponent."""
    return f"{max(value, 0.0):.3f}"


def unique_names(cases: list[TestRecord]) -> dict[int, str]:
    """A name per case (by ``id``), unique within its class: duplicates get `` [2]``..."""
    seen: dict[tuple[str, str], int] = {}
    names = {}
    for case in cases:
        key = (case.classname, case.name)
        seen[key] = seen.get(key, 0) + 1
        names[id(case)] = case.name if seen[key] == 1 else f"{case.name} [{seen[key]}]"
    return names


def build_tree(recorder: Recorder, annotate: bool = False, name: str = "concurrenttest"):
    """The ``<testsuites>`` element of everything recorded so far."""
    cases = recorder.cases()
    names = unique_names(cases)
    suites: dict[str, list[TestRecord]] = {}
    for case in cases:
        suites.setdefault(case.classname, []).append(case)
    root = etree.Element("testsuites", name=name)
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for classname, suite_cases in suites.items():
        suite = _suite(classname, suite_cases, names, annotate)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key))
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", seconds(recorder.wall()))
    return root


def _suite(classname: str, cases: list[TestRecord], names: dict[int, str], annotate: bool):
    def count(kind: str) -> str:
        # Every outcome, as the console counts them: a test that errored and then
        # failed its flush is two errors there, so it is two here.
        return str(sum(1 for case in cases for o in case.outcomes if o.kind == kind))

    started = min(case.started_at for case in cases)
    suite = etree.Element(
        "testsuite",
        name=clean(classname) or "unittest",
        tests=str(len(cases)),
        failures=count("failure"),
        errors=count("error"),
        skipped=count("skipped"),
        time=seconds(sum(case.duration for case in cases)),
        timestamp=datetime.fromtimestamp(started, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"),
        hostname=clean(socket.gethostname()),
    )
    path = _module_file(classname)
    if path:
        suite.set("file", clean(path))
    properties = etree.SubElement(suite, "properties")
    workers = sorted({case.worker_id for case in cases})
    for key, value in (
        ("worker", ",".join(str(worker) for worker in workers)),
        ("python", platform.python_version()),
        ("django", django.get_version()),
    ):
        etree.SubElement(properties, "property", name=key, value=value)
    for case in cases:
        suite.append(_case(case, names[id(case)], annotate))
    return suite


def _case(case: TestRecord, name: str, annotate: bool):
    element = etree.Element(
        "testcase", classname=clean(case.classname), name=clean(name), time=seconds(case.duration)
    )
    if annotate and case.file:
        element.set("file", clean(case.file))
        if case.line:
            element.set("line", str(case.line))
    for outcome in case.outcomes:
        child = etree.SubElement(element, outcome.kind)
        if outcome.type:
            child.set("type", clean(outcome.type))
        child.set("message", clean(outcome.message, MESSAGE_LIMIT))
        if outcome.text:
            child.text = clean(outcome.text)
    # Surefire's convention: a case that passed on a rerun lists its failed attempts as
    # flakyFailure/flakyError; one that kept failing adds a rerunFailure/rerunError each.
    prefix = "flaky" if case.status == "passed" else "rerun"
    for attempt in case.reruns:
        kind = "Failure" if attempt.kind == "failure" else "Error"
        child = etree.SubElement(element, prefix + kind, type=clean(attempt.type or "Error"))
        child.set("message", clean(attempt.message, MESSAGE_LIMIT))
        etree.SubElement(child, "stackTrace").text = clean(attempt.text)
    if case.stdout:
        etree.SubElement(element, "system-out").text = clean(case.stdout)
    # What the order check found is kept beside the test's own stderr.
    stderr = "\n".join(text for text in (case.stderr, case.note) if text)
    if stderr:
        etree.SubElement(element, "system-err").text = clean(stderr)
    return element


def _module_file(classname: str) -> str | None:
    """The source file of the class (or module) ``classname``, relative when possible."""
    module_name = classname
    while module_name and module_name not in sys.modules:
        module_name = module_name.rpartition(".")[0]
    module = sys.modules.get(module_name)
    if module is None:
        return None
    try:
        path = inspect.getsourcefile(module)
    except TypeError:
        return None
    if not path:
        return None
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def junit_bytes(recorder: Recorder, annotate: bool = False) -> bytes:
    """The report as UTF-8 bytes with an XML declaration."""
    tree = etree.ElementTree(build_tree(recorder, annotate))
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
