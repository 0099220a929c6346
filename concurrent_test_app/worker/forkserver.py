"""What the forkserver imports once, for every worker it forks (``--start-method forkserver``).

multiprocessing's forkserver imports the modules named by ``set_forkserver_preload``
before it forks anything. Ours is this one module: importing it does, once, what every
spawn worker does before its first test, in the same order: Django set-up, the test
environment, then the parent's modules (``planning.preload_modules``: everything the
parent had imported after discovery, the test modules among them). The forked workers
start from that state and skip those imports. Its input comes in one environment
variable that the parent sets only while it starts the server, before discovery; the
list of modules comes later, in a file the parent writes once it is known (the server
sets Django up meanwhile).

Nothing here may leave a database connection open: a forked worker would share it.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

PRELOAD_VARIABLE = "CONCURRENT_TEST_FORKSERVER_PRELOAD"
# Set once this module has prepared the process; the worker's boot then skips those steps.
prepared = False
# The server's import time of each of the run's test modules, for the timing store.
import_seconds: dict[str, float] = {}


def prepare(payload: dict) -> None:
    """Set Django and the test environment up, then import ``payload["modules"]`` in order."""
    global prepared
    # The server is started with ``python -c``: its sys.path is not the parent's (which
    # begins with manage.py's folder), and multiprocessing does not pass it to the server.
    sys.path[:] = payload["sys_path"]
    if payload.get("parent_settings"):
        import base64
        import pickle

        from .parent_settings import apply_parent_settings

        # Written by this server's own parent, which it trusts as it trusts its code.
        apply_parent_settings(pickle.loads(base64.b64decode(payload["parent_settings"])))
    else:
        os.environ["DJANGO_SETTINGS_MODULE"] = payload["settings_module"]
    from tblib import pickling_support

    pickling_support.install()
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=payload["debug_mode"])
    from .loading import preload

    import_seconds.update(preload(*_wait_for_modules(payload["modules_file"])))
    from django.db import connections

    connections.close_all()  # a module that queried at import must not hand its socket on
    prepared = True


def _wait_for_modules(path: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The modules and test modules the parent names in ``path`` once discovery is done."""
    parent = os.getppid()
    while not os.path.exists(path):
        if os.getppid() != parent:
            os._exit(0)  # the runner was killed before it knew what to import
        time.sleep(0.005)
    with open(path) as file:
        named = json.load(file)
    os.unlink(path)
    return tuple(named["modules"]), tuple(named["test_modules"])


def server_prepared() -> bool:
    """Whether this process was forked from a server that prepared it (``prepare``)."""
    return prepared


def server_import_seconds() -> dict[str, float]:
    """What importing each test module took in the server (empty in a spawn worker)."""
    return dict(import_seconds)


def run_exit_hooks() -> None:
    """Run the atexit hooks, as a spawn worker's interpreter does when it exits.

    A process forked from the server ends in ``os._exit`` (multiprocessing's forkserver
    does that), which skips them; a hook a test registered must still run, as it does
    in a sequential run and under spawn.
    """
    import atexit

    atexit._run_exitfuncs()


def leave_the_server() -> None:
    """Close this worker's copy of the server's "alive" pipe.

    The server exits when every holder of that pipe's write end has closed it; if forked
    workers kept theirs, a runner killed with SIGKILL would leave the server (and so the
    workers, which exit when their parent does) running. A test that starts its own
    forkserver then gets a new one, as it would in a spawn worker.
    """
    from multiprocessing import forkserver

    server = forkserver._forkserver
    if server._forkserver_pid is None and server._forkserver_alive_fd is not None:
        os.close(server._forkserver_alive_fd)
        server._forkserver_alive_fd = None
        server._forkserver_address = None


def _ignore_interrupts() -> None:
    """Ignore SIGINT and SIGTERM, then let them in: the parent started us with them blocked.

    A Ctrl-C or SIGTERM sent to the whole process group must neither interrupt the
    server's imports (a traceback) nor end it: the parent handles them, and the workers
    set their own handlers (entry.worker_main).
    """
    interrupts = {signal.SIGINT, signal.SIGTERM}
    for signum in interrupts:
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, interrupts)  # pending ones are dropped


_payload = os.environ.get(PRELOAD_VARIABLE)
if _payload:  # in the server only: the parent sets the variable just while starting it
    _ignore_interrupts()
    try:
        prepare(json.loads(_payload))
    except Exception:  # noqa: BLE001 - each worker then boots itself and meets the error
        import traceback

        sys.stderr.write("[CONCURRENT] The forkserver could not prepare the workers:\n")
        traceback.print_exc()
