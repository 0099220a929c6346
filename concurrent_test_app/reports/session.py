"""The runner's single entry point into reporting (a minimal placeholder until reports land)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunInfo:
    """What the runner knows about a run when it starts."""

    mode: str  # "concurrent" or "sequential"
    workers: int
    total_tests: int
    fallback_reason: str | None = None


class ReportSession:
    """Collects results through result-class mixins and writes the reports at the end."""

    def __init__(self, config, verbosity: int = 1) -> None:
        self.config = config
        self.verbosity = verbosity

    def result_mixins(self) -> tuple[type, ...]:
        """Mixins placed in front of the runner's result class (both run modes)."""
        return ()

    def run_started(self, info: RunInfo) -> None:
        """Called once, before the first test runs."""

    def phase(self, name: str, start: float, end: float, worker_id: int | None = None) -> None:
        """A span of set-up work (``time.time()`` seconds), e.g. database cloning."""

    def finish(self) -> None:
        """Write every requested report; called in ``finally``, also after Ctrl-C."""
