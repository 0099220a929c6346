"""The messages workers send to the parent, and safe transport of exceptions across processes.

Everything here is pickled by multiprocessing, so it lives at module level. A worker
never sends a TestCase: tests are named by their index in the parent's list (an ``int``)
or, for class and module fixtures, by unittest's description of the fixture (a ``str``).

    worker                                   parent
    ------                                   ------
    Booted(worker_id, pid)          ──►      (migrations and clones happen meanwhile)
                                    ◄──      Verify(bindings, serialized_contents, worker_id)
    Ready(worker_id, identities)    ──►      checks every alias is the worker's own clone
                                    ◄──      Unit(index, tests)
    TestStarted(test)               ──►      remembers the test in flight
    Output(chunks)                  ──►      writes what was printed outside a test
    TestEvents(test, calls, output) ──►      replays calls (and the test's prints)
    UnitDone(index, duration)       ──►      hands out the next unit, or Stop()
    Fatal(message)                  ──►      the worker refuses to go on
"""

from __future__ import annotations

import builtins
import pickle
import traceback
from dataclasses import dataclass, field
from typing import Any

TestRef = int | str


@dataclass(frozen=True)
class Booted:
    """A worker imported Django and the project and awaits the order to connect."""

    worker_id: int
    pid: int


@dataclass(frozen=True)
class Ready:
    """A worker connected to every alias; ``identities`` maps alias to what it sees."""

    worker_id: int
    identities: dict[str, str]
    import_seconds: dict[str, float] = field(default_factory=dict)  # preloaded test modules
    checks_seconds: float = 0.0  # Django's system checks, both steps (worker.checks)


@dataclass(frozen=True)
class TestStarted:
    """A test began in the worker; sent at once so a crash can be attributed."""

    __test__ = False  # not a pytest test class, despite the name

    test: TestRef


@dataclass(frozen=True)
class ResultCall:
    """One call on the unittest result, e.g. ``addFailure`` with its arguments."""

    method: str
    args: tuple = ()


@dataclass(frozen=True)
class TestTiming:
    """When a test ran in its worker, how long it took, and the queries it made."""

    started_at: float  # time.time() in the worker
    duration: float  # seconds, from time.perf_counter()
    reads: int = 0
    writes: int = 0


@dataclass(frozen=True)
class TestEvents:
    """The result calls of one finished test (or of one fixture), in order."""

    __test__ = False  # not a pytest test class, despite the name

    test: TestRef
    calls: tuple[ResultCall, ...]
    timing: TestTiming | None = None
    output: tuple[tuple[str, str], ...] = ()  # ("stdout"|"stderr", text) written by the test


@dataclass(frozen=True)
class Batch:
    """Several messages in one send, handled in order (a test's end with the next start)."""

    messages: tuple


@dataclass(frozen=True)
class Output:
    """Text a worker wrote outside any test (imports, class fixtures), in order."""

    chunks: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class UnitDone:
    """The worker finished a unit (in ``duration`` seconds, fixtures included)."""

    index: int
    duration: float = 0.0
    load_seconds: float = 0.0  # unpickling the unit, i.e. importing its module(s)
    recycled: int = 0  # connections this worker closed after MAX_OPERATIONS, so far
    replaced: int = 0  # broken idle connections this worker replaced, so far
    peak_rss_mb: float = 0.0  # the worker's peak resident memory, so far
    # Seconds of the unit (loading included) spent runnable but waiting for a CPU;
    # None where the platform cannot say. ``--workers auto`` corrects its load for it.
    run_queue_wait: float | None = None


@dataclass(frozen=True)
class UnitLoadFailed:
    """The worker could not load a unit (its test module failed to import); it goes on.

    Sent instead of running the unit: the parent reports each of the unit's tests as
    an error carrying ``error``, as Django reports a test module that fails to import.
    """

    error: RemoteError


@dataclass(frozen=True)
class Fatal:
    """The worker cannot continue (e.g. its database is not its own clone)."""

    message: str


@dataclass(frozen=True)
class AliasBinding:
    """Where one alias points in a worker, and what the worker must see there."""

    alias: str
    settings: dict[str, Any]
    expected_identity: str
    identity_sql: str  # one row, one column: what the connection is attached to
    identity_is_path: bool  # the identity is a file: compared as its realpath
    setup_statements: tuple[str, ...] = ()  # run on each new connection, not counted


@dataclass(frozen=True)
class Preload:
    """Parent to worker, before Verify: modules to import while the databases are cloned.

    A forked worker (Django's ``--parallel``) inherits every module the parent imported;
    a spawned one imports them here, in the parent's order, before its first test, so
    that it starts from the import state of a sequential run. ``test_modules`` are the
    run's test modules among ``modules``: their import times are measured.
    ``checks``: the parent has run Django's system checks for these database aliases
    (None: it has not, so neither does the worker); the worker runs them after the
    imports, as a sequential process runs them before its first test.
    """

    modules: tuple[str, ...]
    test_modules: tuple[str, ...] = ()
    checks: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Verify:
    """Parent to worker: your clones exist now; bind to them, connect, report what you see."""

    bindings: tuple[AliasBinding, ...] = ()
    serialized_contents: dict[str, str] = field(default_factory=dict)
    worker_id: int = 0  # what Django's spawn worker keeps in django.test.runner._worker_id
    # The parent's settings at this moment, by name (worker.parent_settings.fingerprints),
    # with the DATABASES keys the bindings set left out: the worker must see the same.
    settings: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Unit:
    """Parent to worker: run these ``(index, test)`` pairs as one suite."""

    index: int
    tests: tuple[tuple[int, Any], ...]
    rerun: bool = False  # one failed test run again alone, in a fresh worker


@dataclass(frozen=True)
class Stop:
    """Parent to worker: no more work; tear down and exit."""


@dataclass(frozen=True)
class SubTestInfo:
    """What the parent needs to rebuild a unittest ``_SubTest``."""

    message: Any
    params: dict[str, Any]
    has_message: bool = True


@dataclass(frozen=True)
class RemoteError:
    """An exception from a worker: pickled when possible, always with its text.

    ``formatted`` is the traceback exactly as unittest formatted it in the worker, so
    the parent prints what a sequential run prints even when the exception itself
    could not cross the process boundary.
    """

    type_name: str
    message: str
    formatted: str
    pickled: bytes | None = field(default=None, repr=False)
    builtin_base: str = "Exception"


class SurrogateException(Exception):
    """Stands in for an exception that could not be pickled or unpickled."""


def encode_error(err: tuple, formatted: str) -> RemoteError:
    """Turn ``sys.exc_info()``-style ``err`` into a RemoteError that always pickles."""
    exc_type, value, _tb = err
    type_name = f"{exc_type.__module__}.{exc_type.__qualname__}"
    message = safe_str(value)
    try:
        data = pickle.dumps(err)
        # Unpickling here catches exceptions whose __init__ rejects their own args.
        pickle.loads(data)
    except Exception:  # noqa: BLE001 - user code in __reduce__/__init__ may raise anything
        data = None
    base = next(
        (cls.__name__ for cls in exc_type.__mro__ if cls.__module__ == "builtins"), "Exception"
    )
    return RemoteError(type_name, message, formatted, data, base)


def decode_error(remote: RemoteError) -> tuple:
    """Rebuild an exc_info tuple; fall back to a surrogate of the same name."""
    if remote.pickled is not None:
        try:
            exc_type, value, tb = pickle.loads(remote.pickled)
            _remember_formatted(value, remote.formatted)
            return exc_type, value, tb
        except Exception:  # noqa: BLE001, S110 - any failure means: use the surrogate
            pass
    return surrogate_exc_info(
        remote.type_name, remote.message, remote.formatted, remote.builtin_base
    )


def surrogate_exc_info(
    type_name: str, message: str, formatted: str, builtin_base: str = "Exception"
) -> tuple:
    """An exc_info whose type carries ``type_name`` and whose text is ``formatted``.

    The surrogate also derives from the original's nearest built-in base, so an
    AssertionError subclass is still counted as a failure, not an error.
    """
    module, _, qualname = type_name.rpartition(".")
    namespace = {"__module__": module or "builtins"}
    base = getattr(builtins, builtin_base, Exception)
    try:
        surrogate_type = type(qualname, (SurrogateException, base), namespace)
    except TypeError:  # a built-in base with an incompatible layout
        surrogate_type = type(qualname, (SurrogateException,), namespace)
    value = surrogate_type(message)
    _remember_formatted(value, formatted)
    return surrogate_type, value, None


def formatted_of(value: BaseException | None) -> str | None:
    """The worker-side formatted traceback attached to a decoded exception, if any."""
    return getattr(value, "_concurrent_test_formatted", None)


def _remember_formatted(value: BaseException, formatted: str) -> None:
    try:
        value._concurrent_test_formatted = formatted
    except Exception:  # noqa: BLE001, S110 - e.g. __slots__: the parent formats it itself
        pass


def safe_str(value: BaseException) -> str:
    """``str(value)``, or the exception's one-line form when its ``__str__`` raises."""
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - a user __str__ may raise anything
        return "".join(traceback.format_exception_only(type(value), value)).strip()


@dataclass(frozen=True)
class ParameterText:
    """A subtest's message or parameter that stays in the worker, by its text.

    ``repr`` (and ``str``) give ``text``, so the parent's subtest description reads as the
    worker's would: the repr of a value that would not pickle, or a placeholder naming the
    type of a value that was not, or could not be, turned into text.
    """

    text: str

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def placeholder(value: Any, why: str) -> ParameterText:
    """A stand-in naming ``value``'s type (never calling anything of ``value``'s own)."""
    kind = type(value)
    return ParameterText(f"<{kind.__module__}.{kind.__qualname__}: {why}>")


def picklable_or_text(value: Any, as_text=repr) -> Any:
    """``value`` if it pickles, else its text, else a placeholder naming its type.

    For the parameters of a failing subtest, which Django's parallel runner pickles too;
    pickling or ``repr`` may run the value's own code (a queryset queries), which may raise.
    """
    try:
        pickle.dumps(value)
    except Exception:  # noqa: BLE001 - any pickling failure means: send the text
        try:
            return ParameterText(as_text(value))
        except Exception:  # noqa: BLE001 - a user __repr__ may raise anything
            return placeholder(value, "unpicklable, and printing it raised")
    return value


_PLAIN_SCALARS = (type(None), bool, int, float, complex, str, bytes)
_PLAIN_CONTAINERS = (tuple, list, set, frozenset)
_PLAIN_DEPTH = 10


def plain_or_placeholder(value: Any) -> Any:
    """``value`` if it is plain built-in data, else a placeholder naming its type.

    For the parameters of a passing subtest, which must never be evaluated (Django's
    parallel runner does not even send them): a queryset would query, and anything
    else's pickling or repr is its own code too, so only exact built-in types pass.
    """
    return value if _is_plain(value) else placeholder(value, "not sent")


def _is_plain(value: Any, depth: int = 0) -> bool:
    """Whether ``value`` is built of exact built-in types only (``type()``, no user code)."""
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return True
    if depth >= _PLAIN_DEPTH:  # also ends a container that holds itself
        return False
    if kind in _PLAIN_CONTAINERS:
        return all(_is_plain(item, depth + 1) for item in value)
    if kind is dict:
        return all(_is_plain(k, depth + 1) and _is_plain(v, depth + 1) for k, v in value.items())
    return False
