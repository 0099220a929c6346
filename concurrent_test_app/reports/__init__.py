"""Reports of a run: JUnit XML, benchmark report, metrics, timeline and live progress.

The runner talks to one ``ReportSession``; everything else in this package is behind it.
"""

from __future__ import annotations

from .session import ReportSession, RunInfo

__all__ = ["ReportSession", "RunInfo"]
