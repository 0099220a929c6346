"""How workers start: spawn (the default), or forked from one forkserver that imported once.

With ``forkserver``, multiprocessing starts one server process (itself a fresh
interpreter, like a spawn worker); it imports Django, the settings and the run's test
modules once (``worker.forkserver``), and every worker, replacements included, is forked
from it. No database connection exists in the server, so none is shared.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from multiprocessing import forkserver

from .worker.forkserver import PRELOAD_VARIABLE

START_METHODS = ("spawn", "forkserver")
PRELOAD_MODULE = "concurrent_test_app.worker.forkserver"


def available_start_methods() -> tuple[str, ...]:
    """The start methods of START_METHODS this platform has (no forkserver on Windows)."""
    return tuple(m for m in START_METHODS if m in multiprocessing.get_all_start_methods())


def worker_context(method: str, settings_module: str, modules: tuple[str, ...], debug_mode: bool):
    """The multiprocessing context that starts this run's workers; a forkserver is started now.

    The server starts at once, so it imports while the parent goes on; the first worker
    started waits until it has finished.
    """
    if method == "spawn":
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context(method)
    # One server per process: an earlier run's server imported other modules.
    stop_forkserver()
    context.set_forkserver_preload([PRELOAD_MODULE])
    payload = {
        "sys_path": list(sys.path),
        "settings_module": settings_module,
        "debug_mode": debug_mode,
        "modules": list(modules),
    }
    os.environ[PRELOAD_VARIABLE] = json.dumps(payload)
    try:
        forkserver.ensure_running()
    finally:
        # The server has its copy; the workers and the parent's own children must not.
        del os.environ[PRELOAD_VARIABLE]
    return context


def stop_forkserver() -> None:
    """Stop this process's forkserver, if one runs (its workers must be gone already)."""
    forkserver._forkserver._stop()
