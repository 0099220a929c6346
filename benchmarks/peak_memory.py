"""Run ``manage.py`` as ``python manage.py`` would, and write its peak resident memory.

    python benchmarks/peak_memory.py manage.py test ...     (BENCH_RSS_FILE=out.json)

The memory baseline of issue #20: a plain Django process that imports the same test
modules and runs the same tests. The harness runs its ``sequential`` variant through this
wrapper and writes ``{"run_peak_mb": ..., "test_phase_peak_mb": ...}`` to $BENCH_RSS_FILE:

- ``run_peak_mb``: the whole run's peak (what our runner's own peak is compared with);
- ``test_phase_peak_mb``: the peak from the start of ``run_suite`` to its end, the high-water
  mark reset first (Linux ``/proc/self/clear_refs``), so creating the test database
  (migrations) does not count; what it left allocated still does, so the figure is, if
  anything, high. Our workers never migrate: this is the figure their peak is compared with.
"""

from __future__ import annotations

import json
import os
import resource
import runpy
import sys
from pathlib import Path


def peak_mb() -> float:
    """This process's peak resident memory since start or the last reset (ru_maxrss is KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    """Reset the high-water mark to the current RSS; False where Linux's interface is missing."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def watch_test_phase(figures: dict) -> None:
    """Wrap Django's run_suite so that its peak is measured on its own."""
    from django.test.runner import DiscoverRunner

    run_suite = DiscoverRunner.run_suite

    def measured(self, suite, **kwargs):
        run_peak = peak_mb()  # the reset below loses it
        resettable = reset_peak()
        try:
            return run_suite(self, suite, **kwargs)
        finally:
            figures["before_tests_peak_mb"] = round(run_peak, 1)
            if resettable:
                figures["test_phase_peak_mb"] = round(peak_mb(), 1)

    DiscoverRunner.run_suite = measured


def main() -> None:
    script, sys.argv = sys.argv[1], sys.argv[1:]
    sys.path[0] = str(Path(script).resolve().parent)  # as `python manage.py` would have it
    figures: dict = {}
    watch_test_phase(figures)
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        before = figures.pop("before_tests_peak_mb", 0.0)
        figures["run_peak_mb"] = round(max(before, peak_mb()), 1)
        target = os.environ.get("BENCH_RSS_FILE")
        if target:
            Path(target).write_text(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
