"""How workers start: spawn (the default), or forked from one forkserver that imported once.

With ``forkserver``, multiprocessing starts one server process (itself a fresh
interpreter, like a spawn worker) that imports ``worker.forkserver`` before it forks
anything. The runner starts it before discovery, so it sets Django up while the parent
discovers; it then waits for the list of modules to import (the run's test modules among
them), which the parent writes once the plan is known (``ForkServer.release``). Every
worker, replacements included, is forked from it after that. No database connection
exists in the server, so none is shared.
"""

from __future__ import annotations

import base64
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
from multiprocessing import forkserver, process

from .databases import OWNER_FILE, TEMP_PREFIX, owner_marker
from .interrupts import interrupts_held
from .worker.forkserver import PRELOAD_VARIABLE

START_METHODS = ("spawn", "forkserver")
PRELOAD_MODULE = "concurrent_test_app.worker.forkserver"
MAX_SOCKET_PATH = 107  # bytes of an AF_UNIX path (108 with its NUL on Linux, 104 on macOS)
SOCKET_NAME_LENGTH = 24  # "/listener-" and the random part multiprocessing adds, with room


def available_start_methods() -> tuple[str, ...]:
    """The start methods of START_METHODS this platform has (no forkserver on Windows)."""
    return tuple(m for m in START_METHODS if m in multiprocessing.get_all_start_methods())


class ForkServer:
    """This run's forkserver: started at once, told what to import later, stopped at the end."""

    def __init__(
        self, settings_module: str | None, debug_mode: bool, parent_settings: bytes = b""
    ) -> None:
        self.context = multiprocessing.get_context("forkserver")
        # A folder marked like the clones' (so the next run sweeps it if this one is
        # killed) holds the server's socket and the file it waits for, which must not
        # exist until the list is complete.
        self.directory = tempfile.mkdtemp(prefix=TEMP_PREFIX + "fs-")
        with open(os.path.join(self.directory, OWNER_FILE), "w") as owner:
            owner.write(owner_marker() + "\n")
        self.modules_file = os.path.join(self.directory, "modules.json")
        self.released = False
        stop_forkserver()  # one server per process: an earlier run's imported other modules
        self.context.set_forkserver_preload([PRELOAD_MODULE])
        payload = {
            "sys_path": list(sys.path),
            "settings_module": settings_module,
            # The pickled CarriedSettings (worker.parent_settings), as text for JSON.
            "parent_settings": base64.b64encode(parent_settings).decode("ascii"),
            "debug_mode": debug_mode,
            "modules_file": self.modules_file,
        }
        os.environ[PRELOAD_VARIABLE] = json.dumps(payload)
        # multiprocessing puts the server's socket in its own pymp-* folder, which a
        # killed run would leave behind; ours is swept. Not where the socket's path
        # would be longer than AF_UNIX allows (a long TMPDIR): then pymp-* it is.
        config = process.current_process()._config  # where get_temp_dir looks
        previous = config.get("tempdir")
        if len(os.fsencode(self.directory)) + SOCKET_NAME_LENGTH <= MAX_SOCKET_PATH:
            config["tempdir"] = self.directory
        try:
            # The server inherits the mask: a signal to the process group cannot
            # interrupt it before it ignores them (worker.forkserver), its first act.
            with interrupts_held():
                forkserver.ensure_running()  # starts the server; it does not wait for it
        finally:
            # The server has its copy; the workers and the parent's own children must not.
            del os.environ[PRELOAD_VARIABLE]
            if previous is None:
                config.pop("tempdir", None)
            else:
                config["tempdir"] = previous

    def release(self, modules: tuple[str, ...], test_modules: tuple[str, ...] = ()) -> None:
        """Tell the server what to import before it forks, and which imports to time.

        Once; later calls do nothing.
        """
        if self.released:
            return
        self.released = True
        partial = f"{self.modules_file}.partial"
        with open(partial, "w") as file:
            json.dump({"modules": list(modules), "test_modules": list(test_modules)}, file)
        os.replace(partial, self.modules_file)  # whole, or not at all, for the server

    def stop(self) -> None:
        """Stop the server (its workers must be gone already); one still waiting is released."""
        self.release(())
        stop_forkserver()
        shutil.rmtree(self.directory, ignore_errors=True)


def stop_forkserver() -> None:
    """Stop this process's forkserver, if one runs."""
    forkserver._forkserver._stop()
