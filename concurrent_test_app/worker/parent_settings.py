"""The parent's settings in a worker: carried at spawn, applied before ``django.setup()``, proven.

A spawned worker is a new interpreter: it would see only what its settings module says,
not what ``settings.configure(...)`` or code run before the runner made of it. The parent
pickles every setting (``CarriedSettings``); the worker runs Django's ``process_setup``
hook as Django's own spawn workers do, then makes its settings the parent's before
``django.setup()``. At verify each side takes a fingerprint of every setting
(``fingerprints``) and a worker that differs refuses to run tests, naming the settings.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

UNCOMPARABLE = "<not comparable>"


@dataclass(frozen=True)
class CarriedSettings:
    """The parent's settings as a worker needs them; pickled into the WorkerSpec.

    ``module``: DJANGO_SETTINGS_MODULE (None: configured in code). ``values``: every
    setting that pickles, as its fingerprint and its pickle; the others are the module's
    own objects, which the worker's import makes again. Unpickled only where the worker's
    own value differs: a value whose class lives in an app cannot be unpickled before
    ``django.setup()``, and rarely needs to be. ``process_setup``: Django's hook for
    spawn workers (``ParallelTestSuite.process_setup``), called with its arguments.
    """

    module: str | None
    values: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    process_setup: Callable | None = None
    process_setup_args: tuple = ()


def apply_parent_settings(carried: CarriedSettings) -> tuple[str, ...]:
    """Before ``django.setup()``: the hook, then the parent's settings; the names changed."""
    if carried.module:
        os.environ["DJANGO_SETTINGS_MODULE"] = carried.module
    if carried.process_setup is not None:
        carried.process_setup(*carried.process_setup_args)
    from django.conf import settings

    if not settings.configured and not carried.module:
        settings.configure(**{name: _load(data) for name, (_, data) in carried.values.items()})
        return tuple(sorted(carried.values))
    changed = []
    for name, (digest, data) in carried.values.items():
        mine = getattr(settings, name, _MISSING)
        if mine is _MISSING or fingerprint(mine) != digest:
            setattr(settings, name, _load(data))
            changed.append(name)
    return tuple(sorted(changed))


def _load(data: bytes) -> Any:
    # Written by this worker's own parent, which it trusts as it trusts its code.
    return pickle.loads(data)


_MISSING = object()


def fingerprints(masked: dict[str, frozenset[str]] | None = None) -> dict[str, str]:
    """Every setting's fingerprint, by name; ``masked``: DATABASES keys left out, by alias.

    The masked keys are the ones each worker sets to its own clone.
    """
    from django.conf import settings

    found = {}
    for name in dir(settings):
        if not name.isupper():
            continue
        value = getattr(settings, name)
        if name == "DATABASES" and masked:
            value = {
                alias: {k: v for k, v in entry.items() if k not in masked.get(alias, ())}
                for alias, entry in value.items()
            }
        found[name] = fingerprint(value)
    return found


def differences(mine: dict[str, str], theirs: dict[str, str]) -> tuple[str, ...]:
    """The settings whose fingerprints differ, or that one side lacks."""
    return tuple(
        sorted(name for name in set(mine) | set(theirs) if mine.get(name) != theirs.get(name))
    )


def fingerprint(value: Any) -> str:
    """A digest equal in two processes for equal settings; UNCOMPARABLE when none can be made."""
    try:
        canonical = _canonical(value, 0)
    except _Uncomparable as error:
        return f"{UNCOMPARABLE} {error}"
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:20]


class _Uncomparable(Exception):
    """A value with no process-independent form (an unpicklable object)."""


def _canonical(value: Any, depth: int) -> str:
    """A text that does not depend on the process: sorted sets and dicts, no addresses."""
    if depth > 50:
        raise _Uncomparable("nested too deeply")
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes, PurePath)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        items = ",".join(_canonical(item, depth + 1) for item in value)
        return f"{type(value).__name__}[{items}]"
    if isinstance(value, dict):
        items = sorted(
            f"{_canonical(k, depth + 1)}:{_canonical(v, depth + 1)}" for k, v in value.items()
        )
        return f"{type(value).__name__}{{{','.join(items)}}}"
    if isinstance(value, (set, frozenset)):
        items = sorted(_canonical(item, depth + 1) for item in value)
        return f"{type(value).__name__}{{{','.join(items)}}}"
    if isinstance(value, re.Pattern):
        return f"re({value.pattern!r},{value.flags})"
    if isinstance(value, type) or callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '?')}.{value.__qualname__}"
    try:
        data = pickle.dumps(value, protocol=4)
    except Exception as error:  # any pickling failure means the same here
        raise _Uncomparable(f"{type(value).__name__} does not pickle") from error
    return f"{type(value).__module__}.{type(value).__qualname__}:{hashlib.sha256(data).hexdigest()}"
