"""How a worker lives beside its parent and its tests' processes, and how it exits quickly."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time


def leave_interrupts_to_the_parent() -> None:
    """Let SIGINT and SIGTERM pass this process by; processes its tests start keep them.

    A Ctrl-C or SIGTERM reaching the whole process group (a terminal, ``timeout``, a CI
    cancellation) must not kill a worker mid-test, where the parent would take the
    death for a crash of the test: the parent stops its workers itself (SIGKILL), and a
    worker whose parent is gone exits on its own. Not SIG_IGN: programs a test starts
    would inherit it, and ``Popen.terminate()`` of a test would no longer stop them.
    """
    worker = os.getpid()

    def let_pass(signum, frame) -> None:
        if os.getpid() == worker:
            return
        # A process forked by a test inherited this handler: act as the default would.
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    interrupts = (signal.SIGINT, signal.SIGTERM)
    for signum in interrupts:
        signal.signal(signum, let_pass)
    # The parent started this process with them blocked (interrupts.interrupts_held);
    # pending ones reach let_pass now, and a test's own processes start unblocked.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, interrupts)


def exit_with_parent(parent: int, interval: float = 0.5) -> None:
    """Exit quietly once the parent is gone (killed outright: no Stop ever comes).

    A worker blocked in a hung test or waiting for its next unit would otherwise
    live on, holding its clone, after ``kill -9`` of the run.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="concurrent-test-parent-watch", daemon=True).start()


def parent_is_gone(parent: int, patience: float = 1.0) -> bool:
    """Whether ``parent`` has exited, allowing ``patience`` seconds for it to be seen.

    A dying parent's pipes close before the kernel hands its children to a new parent,
    so a worker that just read EOF may still see the old parent's id for a moment; it
    would then take the parent's death for a broken pipe and print a traceback.
    """
    deadline = time.monotonic() + patience
    while os.getppid() == parent:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


def allow_child_processes() -> None:
    """Let tests start processes of their own (``multiprocessing.Pool`` and the like).

    The parent starts workers as daemons, so that its exit stops them whatever happened
    before; but a daemonic process may not have children ("daemonic processes are not
    allowed to have children"). Only this process's own copy of the flag is cleared:
    the parent still sees a daemon. A worker also exits when its pipe to the parent
    closes (``recv`` raises EOFError), so it never outlives the run either way.
    """
    multiprocessing.current_process().daemon = False


def stop_leaked_processes(worker_id: int) -> None:
    """A process a test started and left running must not keep its worker alive.

    At exit multiprocessing joins every non-daemon child, so one that never ends
    would hang the worker, and then outlive it.
    """
    leaked = [child for child in multiprocessing.active_children() if not child.daemon]
    if not leaked:
        return
    names = ", ".join(f"{child.name} (pid {child.pid})" for child in leaked)
    sys.__stderr__.write(
        f"[CONCURRENT] Worker {worker_id}: tests left processes running ({names}); stopping them\n"
    )
    sys.__stderr__.flush()
    for child in leaked:
        child.terminate()
    for child in leaked:
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()


def spare_the_final_collections() -> None:
    """Collect garbage once and freeze the rest, so the interpreter's exit is quick.

    At exit the interpreter collects the whole heap more than once: about 80 ms for a
    worker with a large suite imported, and the run ends only when its last worker has
    exited. One collection here (about 20 ms) still finalizes unreachable objects;
    what stays reachable until exit is freed as usual but not searched for cycles.
    """
    gc.collect()
    gc.freeze()


def exit_despite_leaked_threads(worker_id: int) -> None:
    """A test that left a non-daemon thread running must not keep the worker alive."""
    leaked = [
        thread
        for thread in threading.enumerate()
        if thread is not threading.main_thread() and not thread.daemon and thread.is_alive()
    ]
    if leaked:
        names = ", ".join(thread.name for thread in leaked)
        sys.__stderr__.write(
            f"[CONCURRENT] Worker {worker_id}: tests left threads running ({names}); "
            "exiting without waiting for them\n"
        )
        sys.__stderr__.flush()
        os._exit(0)
