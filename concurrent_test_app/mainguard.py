"""A script that starts a test run without an ``if __name__ == "__main__":`` guard.

A spawn worker imports the parent's main script again before it runs (as
``__mp_main__``). A script that runs the tests at import then starts a run inside every
worker, and multiprocessing stops it with a long "bootstrapping phase" RuntimeError. The
runner stops such a nested run before it does anything, with an exit code the parent
recognises, so the user reads one line naming the fix instead of a traceback per worker.
"""

from __future__ import annotations

import multiprocessing
import os
import sys

# The exit code of a worker whose import of the main script started a test run.
UNGUARDED_MAIN_EXIT = 86


def exit_if_importing_main() -> None:
    """In a spawn worker still importing the parent's script: exit quietly, code 86."""
    # multiprocessing.spawn sets _inheriting while a child prepares (imports __main__),
    # and checks it itself before refusing to start a process then.
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise SystemExit(UNGUARDED_MAIN_EXIT)


def unguarded_main_message() -> str:
    """The one line that says which script needs the guard."""
    path = getattr(sys.modules.get("__main__"), "__file__", None)
    script = os.path.basename(path) if path else "the main script"
    return (
        f"{script} starts a test run when it is imported, and spawn workers import it; "
        'put that code under `if __name__ == "__main__":`'
    )
