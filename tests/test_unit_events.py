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
    picklable_or_text,
    plain_or_placeholder,
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


class Evaluated(Exception):
    pass


class RaisesWhenEvaluated:
    """A queryset's stand-in: pickling and repr both run its code, which raises."""

    def __reduce__(self):
        raise Evaluated("pickled")

    def __repr__(self):
        raise Evaluated("repr")


def test_passing_subtest_parameters_travel_only_as_plain_data():
    plain = (None, True, 3, 2.5, "s", b"b", (1, [2, {"k": {3}}]), frozenset({1}))
    for value in plain:
        assert plain_or_placeholder(value) is value
    for value in (RaisesWhenEvaluated(), [1, RaisesWhenEvaluated()], {"k": RaisesWhenEvaluated()}):
        text = repr(plain_or_placeholder(value))  # nothing of the value's own code runs
        assert text == f"<{type(value).__module__}.{type(value).__qualname__}: not sent>"
    cycle: list = []
    cycle.append(cycle)
    assert repr(plain_or_placeholder(cycle)) == "<builtins.list: not sent>"


def test_failing_subtest_parameters_pickle_else_show_their_text_else_their_type():
    assert picklable_or_text([1, 2]) == [1, 2]
    unpicklable = threading.Lock()
    shown = picklable_or_text(unpicklable)
    assert repr(shown) == repr(unpicklable) and pickle.loads(pickle.dumps(shown)) == shown
    assert str(picklable_or_text(unpicklable, str)) == str(unpicklable)
    placeholder = picklable_or_text(RaisesWhenEvaluated())
    expected = f"<{__name__}.RaisesWhenEvaluated: unpicklable, and printing it raised>"
    assert repr(placeholder) == str(placeholder) == expected
