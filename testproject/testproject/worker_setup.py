"""Example CONCURRENT_TEST["WORKER_SETUP"] hook: per-worker tweaks before tests run."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import hashers

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The worker id the hook last ran with in this process, None if it never ran;
# tests read it to tell "hook not called" from "hook called, setting lost".
configured_worker_id: int | None = None


def configure_worker(worker_id: int) -> None:
    """Use a fast password hasher; ``worker_id`` is >= 1 in a worker, 0 in-process."""
    global configured_worker_id
    settings.PASSWORD_HASHERS = FAST_HASHERS
    # get_hashers() is lru_cached and assigning a setting sends no setting_changed
    # signal, so a hasher list loaded earlier in this process would otherwise stick.
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    configured_worker_id = worker_id
