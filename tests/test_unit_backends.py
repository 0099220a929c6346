"""Every backend offers the whole Backend interface, and the lookup finds each by vendor."""

from __future__ import annotations

import inspect

import pytest

from concurrent_test_app.backends import BACKENDS, Backend, backend_for, engine_vendor
from concurrent_test_app.backends.protocol import WorkerSide

MEMBERS = sorted(
    {name for name in vars(Backend) if not name.startswith("_")} | set(Backend.__annotations__)
)


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql", "mysql"])
def test_each_backend_offers_the_whole_interface(vendor):
    backend = backend_for(vendor)
    assert backend is BACKENDS[vendor] and backend.vendor == vendor
    missing = [name for name in MEMBERS if not hasattr(backend, name)]
    assert not missing
    for name in MEMBERS:
        wanted = getattr(Backend, name, None)
        if inspect.isfunction(wanted):
            have = inspect.signature(getattr(backend, name)).parameters
            assert list(have) == list(inspect.signature(wanted).parameters)[1:], name
    assert isinstance(backend.worker, WorkerSide) and backend.worker.identity_sql


def test_engines_map_to_backends_and_others_to_none():
    assert backend_for(engine_vendor("django.db.backends.sqlite3")) is BACKENDS["sqlite"]
    assert backend_for(engine_vendor("django.contrib.gis.db.backends.postgis")).vendor == (
        "postgresql"
    )
    assert backend_for(engine_vendor("django.db.backends.oracle")) is None
