"""Unit tests of how a suite is cut into units."""

from __future__ import annotations

import sys
import types
import unittest

from django.test.utils import iter_test_cases

from concurrent_test_app.planning import plan_units


def _module(name, with_fixture=False):
    module = types.ModuleType(name)
    if with_fixture:
        module.setUpModule = lambda: None
    sys.modules[name] = module
    return module


def _case(module, class_name, methods):
    namespace = {"__module__": module.__name__}
    namespace.update({name: lambda self: None for name in methods})
    cls = type(class_name, (unittest.TestCase,), namespace)
    setattr(module, class_name, cls)
    return [cls(name) for name in methods]


def test_classes_are_units_in_order_of_first_appearance():
    module = _module("plain_units_mod")
    a = _case(module, "A", ["test_1", "test_2"])
    b = _case(module, "B", ["test_1"])
    tests = [a[0], b[0], a[1]]  # a class is never split, even when interleaved
    units = plan_units(tests)
    assert [unit.key for unit in units] == ["plain_units_mod.A", "plain_units_mod.B"]
    assert units[0].indices == (0, 2) and units[1].indices == (1,)


def test_module_with_module_fixture_is_one_unit():
    module = _module("fixture_units_mod", with_fixture=True)
    tests = _case(module, "A", ["test_1"]) + _case(module, "B", ["test_1"])
    units = plan_units(tests)
    assert [unit.key for unit in units] == ["fixture_units_mod"]
    assert units[0].indices == (0, 1)


def test_iter_tests_flattens_nested_suites():
    module = _module("nested_units_mod")
    tests = _case(module, "A", ["test_1", "test_2"])
    suite = unittest.TestSuite([unittest.TestSuite([tests[0]]), tests[1]])
    assert list(iter_test_cases(suite)) == tests
