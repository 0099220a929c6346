"""What a spawned worker needs of the parent's settings, and which of them cannot reach it.

The workers rebuild the parent's settings (``worker.parent_settings``): however the parent
got them (a module, ``settings.configure(...)``, code run before the runner, Django's
``process_setup`` hook). This side takes them, before Django's test environment changes
three of them, and says when one cannot be carried: the run is then sequential.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass

from .worker.parent_settings import CarriedSettings, fingerprint

# What django.test.utils.setup_test_environment replaces, and where it keeps the original.
TEST_ENVIRONMENT_ORIGINALS = {
    "ALLOWED_HOSTS": "allowed_hosts",
    "DEBUG": "debug",
    "EMAIL_BACKEND": "email_backend",
}


@dataclass(frozen=True)
class SettingsCarry:
    """The settings for the workers, or why they cannot have them (then: sequential)."""

    carried: CarriedSettings | None
    problem: str | None = None


def carry_settings(parallel_suite_class: type) -> SettingsCarry:
    """The parent's settings and Django's ``process_setup`` hook, ready for the workers."""
    from django.conf import global_settings, settings
    from django.test import runner as django_runner

    module = getattr(settings._wrapped, "SETTINGS_MODULE", None) if settings.configured else None
    defined_by = (sys.modules.get(module), global_settings) if module else ()
    originals = _test_environment_originals()
    values = {}
    for name in dir(settings):
        if not name.isupper():
            continue
        value = originals.get(name, getattr(settings, name))
        try:
            values[name] = (fingerprint(value), pickle.dumps(value, protocol=4))
        except Exception as error:  # noqa: BLE001 - any pickling failure: not carried
            # The worker's own import makes the module's objects again; nothing else can.
            if any(getattr(source, name, None) is value for source in defined_by if source):
                continue
            return SettingsCarry(None, _cannot_carry(f"setting {name}", value, error, module))
    hook = getattr(parallel_suite_class, "process_setup", None)
    if hook is getattr(django_runner, "_process_setup_stub", None):
        hook = None  # Django's default: a hook that does nothing
    hook_args = tuple(getattr(parallel_suite_class, "process_setup_args", None) or ())
    if hook is not None:
        try:
            pickle.dumps((hook, hook_args), protocol=4)
        except Exception as error:  # noqa: BLE001 - as above
            problem = _cannot_carry("Django's process_setup hook", hook, error, module)
            return SettingsCarry(None, problem)
    return SettingsCarry(CarriedSettings(module, values, hook, hook_args))


def _test_environment_originals() -> dict:
    """The values Django's test environment replaced, when it is set up already."""
    from django.test.utils import _TestState

    saved = getattr(_TestState, "saved_data", None)
    if saved is None:
        return {}
    return {
        name: getattr(saved, attribute)
        for name, attribute in TEST_ENVIRONMENT_ORIGINALS.items()
        if hasattr(saved, attribute)
    }


def _cannot_carry(what: str, value, error: Exception, module: str | None) -> str:
    source = "changed at run time" if module else "configured in code"
    return (
        f"{what} ({type(value).__name__}, {source}) cannot be carried to a spawn worker: "
        f"it does not pickle ({type(error).__name__}: {error})"
    )
