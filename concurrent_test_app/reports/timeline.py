"""The worker timeline: a self-contained HTML page with an SVG Gantt chart, no JavaScript.

One lane per worker (plus one for the parent's database set-up), one bar per unit in
the outcome's colour with a ``<title>`` tooltip, worker start-up as its own bar, idle
time as the bare lane between bars. Bars narrower than ``MIN_BAR_PX`` are merged with
their neighbours into one bar (worst outcome wins), so a lane never holds more than
about ``CHART_WIDTH / MIN_BAR_PX`` bars and a 5,000-test run stays well under 2 MB.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from .metrics import RunStats, UnitSpan, unit_spans
from .recording import Phase, Recorder

CHART_WIDTH = 1200
LABEL_WIDTH = 120
LANE_HEIGHT = 26
BAR_HEIGHT = 18
AXIS_HEIGHT = 30
MIN_BAR_PX = 2.0

COLOURS = {
    "passed": "#43a047",
    "failure": "#fb8c00",
    "error": "#c62828",
    "skipped": "#9e9e9e",
    "database setup": "#1e88e5",
    "worker start": "#8e24aa",
    "order check": "#00897b",  # a failed test rerun alone, and its polluter searched for
    "verdict replay": "#3949ab",  # Django's order replayed up to the failed tests
    "order check step": "#4db6ac",  # one replay of a polluter search, on its lane
}

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #222; background: #fff; }
h1 { font-size: 18px; margin: 0 0 4px; }
p.summary { margin: 0 0 12px; color: #444; }
svg text { font: 12px system-ui, sans-serif; fill: #333; }
.lane { fill: #f1f1f1; }
.tick { stroke: #ccc; stroke-width: 1; }
.legend span { display: inline-block; margin-right: 14px; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px;
            vertical-align: -1px; }
"""


@dataclass
class Bar:
    """One drawn rectangle: a unit, several merged units, or a set-up phase."""

    lane: int
    start: float
    end: float
    kind: str  # an outcome or a phase name
    title: str
    units: int = 1
    tests: int = 0


# A bar's colour, most severe first. A skip (or an expected failure, which JUnit counts
# as skipped) is not worse than a pass: a class that ran is not drawn as skipped.
BAR_SEVERITY = ("error", "failure", "passed", "skipped")
LEGEND_NOTE = (
    "A bar's colour is its most severe outcome: error, then failure, then passed; "
    "skipped only when every test in it was skipped."
)


def _worst(kinds: Iterable[str]) -> str:
    kinds = set(kinds)
    return next((kind for kind in BAR_SEVERITY if kind in kinds), "passed")


def _unit_bar(lane: int, span: UnitSpan) -> Bar:
    tests = [record for record in span.records if record.is_test]
    kind = _worst(record.status for record in span.records)
    failed = sum(1 for record in span.records if record.status in ("failure", "error"))
    title = (
        f"{span.unit}\n{len(tests)} tests, {failed} failed or errored, "
        f"{span.duration:.3f}s, worker {span.worker_id}"
    )
    return Bar(lane, span.start, span.end, kind, title, 1, len(tests))


def _merge(bars: list[Bar], seconds_per_px: float) -> list[Bar]:
    """Merge runs of adjacent unit bars too thin to see apart, keeping the worst outcome.

    A thin bar next to a wide one stays on its own (drawn 1px wide), so a wide bar
    always keeps its own title.
    """
    merged: list[Bar] = []
    thin_run = False  # whether merged[-1] is a thin bar or a merge of thin bars
    for bar in bars:
        last = merged[-1] if merged else None
        thin = bar.units > 0 and (bar.end - bar.start) / seconds_per_px < MIN_BAR_PX
        close = last is not None and (bar.start - last.end) / seconds_per_px < 1.0
        if thin and thin_run and close:
            last.end = max(last.end, bar.end)
            last.kind = _worst((last.kind, bar.kind))
            last.units += bar.units
            last.tests += bar.tests
            last.title = (
                f"{last.units} units, {last.tests} tests, "
                f"{last.end - last.start:.3f}s (merged: too short to draw apart)"
            )
        else:
            merged.append(bar)
            thin_run = thin
    return merged


def build_bars(recorder: Recorder, lanes: dict[int | None, int]) -> list[Bar]:
    """Bars of the phases and units, with thin neighbours merged."""
    bars = [_phase_bar(phase, lanes) for phase in recorder.phases]
    for span in unit_spans(recorder.records):
        lanes.setdefault(span.worker_id, len(lanes))
        bars.append(_unit_bar(lanes[span.worker_id], span))
    start, end = time_range(recorder)
    seconds_per_px = max(end - start, 1e-6) / CHART_WIDTH
    by_lane: dict[int, list[Bar]] = {}
    for bar in sorted(bars, key=lambda bar: (bar.lane, bar.start)):
        by_lane.setdefault(bar.lane, []).append(bar)
    return [bar for lane_bars in by_lane.values() for bar in _merge(lane_bars, seconds_per_px)]


def _phase_bar(phase: Phase, lanes: dict[int | None, int]) -> Bar:
    lanes.setdefault(phase.worker_id, len(lanes))
    duration = phase.end - phase.start
    title = f"{phase.name}: {duration:.3f}s" + (f"; {phase.detail}" if phase.detail else "")
    return Bar(lanes[phase.worker_id], phase.start, phase.end, phase.name, title, 0, 0)


def time_range(recorder: Recorder) -> tuple[float, float]:
    """The earliest start and latest end of anything on the chart."""
    starts = [phase.start for phase in recorder.phases]
    ends = [phase.end for phase in recorder.phases]
    starts += [record.started_at for record in recorder.records]
    ends += [record.started_at + record.duration for record in recorder.records]
    if recorder.run_start is not None:
        starts.append(recorder.run_start)
    if recorder.run_end is not None:
        ends.append(recorder.run_end)
    if not starts:
        return 0.0, 1.0
    return min(starts), max(max(ends), min(starts) + 1e-3)


def _tick_step(total: float) -> float:
    for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600):
        if total / step <= 12:
            return step
    return 1800.0


def lane_names(recorder: Recorder, mode: str) -> dict[int | None, int]:
    """Lane index of each worker id (``None`` = the parent's set-up work)."""
    lanes: dict[int | None, int] = {}
    if any(phase.worker_id is None for phase in recorder.phases):
        lanes[None] = 0
    ids = {record.worker_id for record in recorder.records}
    ids |= {phase.worker_id for phase in recorder.phases if phase.worker_id is not None}
    for worker_id in sorted(ids):
        lanes[worker_id] = len(lanes)
    return lanes


def render_timeline(recorder: Recorder, stats: RunStats) -> str:
    """The whole HTML page."""
    lanes = lane_names(recorder, stats.mode)
    bars = build_bars(recorder, lanes)
    start, end = time_range(recorder)
    scale = CHART_WIDTH / max(end - start, 1e-6)
    height = AXIS_HEIGHT + LANE_HEIGHT * max(len(lanes), 1) + 10
    width = LABEL_WIDTH + CHART_WIDTH + 20
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="Worker timeline">'
        )
    ]
    for worker_id, lane in lanes.items():
        y = AXIS_HEIGHT + lane * LANE_HEIGHT
        label = (
            "parent" if worker_id is None else ("main" if worker_id == 0 else f"worker {worker_id}")
        )
        parts.append(f'<text x="4" y="{y + BAR_HEIGHT - 4}">{label}</text>')
        parts.append(
            f'<rect class="lane" x="{LABEL_WIDTH}" y="{y}" width="{CHART_WIDTH}" '
            f'height="{BAR_HEIGHT}"/>'
        )
    step = _tick_step(end - start)
    tick = 0.0
    while tick <= end - start + 1e-9:
        x = LABEL_WIDTH + tick * scale
        parts.append(
            f'<line class="tick" x1="{x:.1f}" y1="{AXIS_HEIGHT - 6}" x2="{x:.1f}" y2="{height - 10}"/>'
        )
        parts.append(f'<text x="{x + 2:.1f}" y="{AXIS_HEIGHT - 10}">{tick:g}s</text>')
        tick += step
    for bar in bars:
        x = LABEL_WIDTH + (bar.start - start) * scale
        w = max((bar.end - bar.start) * scale, 1.0)
        y = AXIS_HEIGHT + bar.lane * LANE_HEIGHT
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{COLOURS.get(bar.kind, "#555")}" data-kind="{html.escape(bar.kind)}">'
            f"<title>{html.escape(bar.title)}</title></rect>"
        )
    parts.append("</svg>")
    legend = "".join(
        f'<span><i style="background:{colour}"></i>{html.escape(kind)}</span>'
        for kind, colour in COLOURS.items()
    )
    summary = (
        f"{stats.tests_total} tests, {stats.tests_failed} failed or errored, "
        f"{stats.workers} worker(s), {stats.wall_seconds:.2f}s of tests, "
        f"utilization {stats.worker_utilization * 100:.1f}%; "
        "hover a bar for its class, tests and duration; blank lane = idle."
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Test run timeline</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>Test run timeline ({html.escape(stats.mode)})</h1>"
        f'<p class="summary">{html.escape(summary)}</p>'
        f'<p class="legend">{legend}<br>{html.escape(LEGEND_NOTE)}</p>'
        + "\n".join(parts)
        + "</body></html>\n"
    )
