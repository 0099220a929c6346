"""The unit loop: receive each unit the parent sends, run it, report it done."""

from __future__ import annotations

import sys
import time
from multiprocessing.reduction import ForkingPickler

from ..events import Stop, UnitDone, UnitLoadFailed, encode_error
from .loading import materialize, run_tests
from .result import StreamingResult
from .schedstat import run_queue_seconds
from .upkeep import ConnectionKeeper


def serve(conn, result: StreamingResult, keeper: ConnectionKeeper) -> None:
    """Run the units the parent sends until it sends Stop."""
    while True:
        data = conn.recv_bytes()
        loading, waited = time.perf_counter(), run_queue_seconds()
        try:
            message = ForkingPickler.loads(data)  # imports the unit's test module if needed
        except Exception:  # noqa: BLE001 - a test module's import may raise anything
            conn.send(UnitLoadFailed(_current_error()))
            continue
        load_seconds = time.perf_counter() - loading
        if isinstance(message, Stop):
            return
        keeper.between_units()
        started = time.perf_counter()
        index, tests = message.index, list(message.tests)
        message = None  # so that the suite holds the only reference to each test
        try:
            materialize(tests)
        except Exception:  # noqa: BLE001 - as above, for a unit sent by test names
            conn.send(UnitLoadFailed(_current_error()))
            continue
        run_tests(tests, result)
        result.flush_output()
        result.release()
        conn.send(
            UnitDone(
                index,
                time.perf_counter() - started,
                load_seconds,
                keeper.recycled,
                keeper.replaced,
                peak_rss_mb(),
                _waited_since(waited),
            )
        )


def _waited_since(before: float | None) -> float | None:
    """Run-queue seconds since ``before`` (a ``run_queue_seconds()``), None if unknown."""
    after = run_queue_seconds()
    return after - before if before is not None and after is not None else None


def _current_error():
    """The exception being handled, as the error its unit's tests are reported with."""
    import traceback

    err = sys.exc_info()
    return encode_error(err, "".join(traceback.format_exception(*err)))


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (0.0 where the platform cannot say)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
