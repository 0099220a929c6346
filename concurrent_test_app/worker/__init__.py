"""The child side: a spawn worker that binds to its own clones, runs units and emits events."""

# The parent imports these names from here; nothing in this package imports the
# parent-side modules (tests/test_worker_imports.py checks), so a spawned interpreter
# loads only Django, the project and this package.
from .binding import mark_backend_skips
from .entry import WorkerSpec, worker_main
from .serving import peak_rss_mb

__all__ = ["WorkerSpec", "mark_backend_skips", "peak_rss_mb", "worker_main"]
