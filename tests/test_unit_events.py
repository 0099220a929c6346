"""Unit tests of exception transport: pickled when possible, a faithful surrogate otherwise."""

from __future__ import annotations

import pickle
import sys
import threading

from tblib import pickling_support

from concurrent_test_app.events import (
    SurrogateException,
    decode_error,
    encode_error,
    formatted_of,
)

pickling_support.install()  # as every worker does at start


class HoldsALock(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.lock = threading.Lock()


class NeedsTwoArgs(Exception):
    def __init__(self, first, second):
        super().__init__(first)


def _exc_info(exception):
    try:
        raise exception
    except Exception:  # noqa: BLE001 - any exception under test
        return sys.exc_info()


def test_picklable_exception_round_trips_with_its_type():
    remote = pickle.loads(pickle.dumps(encode_error(_exc_info(ValueError("v")), "TEXT")))
    exc_type, value, _ = decode_error(remote)
    assert exc_type is ValueError and str(value) == "v"
    assert formatted_of(value) == "TEXT"


def test_unpicklable_exception_becomes_a_named_surrogate():
    remote = encode_error(_exc_info(HoldsALock("LOCKED")), "Traceback ...\nHoldsALock: LOCKED\n")
    assert remote.pickled is None
    remote = pickle.loads(pickle.dumps(remote))  # the event itself always pickles
    exc_type, value, tb = decode_error(remote)
    assert issubclass(exc_type, SurrogateException)
    assert exc_type.__name__ == "HoldsALock" and exc_type.__module__ == __name__
    assert str(value) == "LOCKED" and tb is None
    assert formatted_of(value).endswith("HoldsALock: LOCKED\n")


def test_exception_with_strict_init_arrives_with_its_name_and_message():
    # Pickled by tblib's reducer or replaced by a surrogate: either way nothing is lost.
    exc_type, value, _ = decode_error(encode_error(_exc_info(NeedsTwoArgs("FIRST", 2)), "f"))
    assert exc_type.__name__ == "NeedsTwoArgs" and str(value) == "FIRST"


def _refuse_to_load():
    raise RuntimeError("cannot rebuild")


def test_exception_that_fails_to_unpickle_becomes_a_surrogate():
    # Defined now, after any tblib.install(), so only its own __reduce__ applies.
    class ExplodesOnLoad(Exception):
        def __reduce__(self):
            return (_refuse_to_load, ())

    ExplodesOnLoad.__qualname__ = "ExplodesOnLoad"
    globals()["ExplodesOnLoad"] = ExplodesOnLoad
    remote = encode_error(_exc_info(ExplodesOnLoad("LOAD")), "formatted")
    assert remote.pickled is None
    exc_type, value, _ = decode_error(remote)
    assert exc_type.__name__ == "ExplodesOnLoad" and str(value) == "LOAD"


def test_corrupt_payload_still_decodes_to_a_surrogate():
    remote = encode_error(_exc_info(ValueError("v")), "text")
    broken = type(remote)(remote.type_name, remote.message, remote.formatted, b"not a pickle")
    exc_type, value, _ = decode_error(broken)
    assert exc_type.__name__ == "ValueError" and formatted_of(value) == "text"


class UnpicklableAssertion(AssertionError):
    def __init__(self, message):
        super().__init__(message)
        self.lock = threading.Lock()


def test_surrogate_keeps_the_builtin_base_so_failures_stay_failures():
    exc_type, _value, _tb = decode_error(encode_error(_exc_info(UnpicklableAssertion("m")), "t"))
    assert issubclass(exc_type, AssertionError) and issubclass(exc_type, SurrogateException)


def test_surrogate_of_an_oserror_subclass_still_decodes():
    class Weird(OSError):
        def __init__(self, a, b):
            super().__init__(a)

    exc_type, value, _tb = decode_error(encode_error(_exc_info(Weird("w", 1)), "t"))
    assert exc_type.__name__ == "Weird" and isinstance(value, SurrogateException)
