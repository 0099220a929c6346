"""The HTML timeline: written by a real run, opened in headless Chromium, screenshot checked."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib

import pytest
from helpers import in_ci, run_manage

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
]
PASSED_RGB = (0x43, 0xA0, 0x47)  # timeline.COLOURS["passed"]
FAILED_RGB = (0xFB, 0x8C, 0x00)  # timeline.COLOURS["failure"]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "chromium is not installed (apt-get install -y chromium)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """``(width, height, rows)`` of an 8-bit RGB/RGBA non-interlaced PNG; rows unfiltered."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, header = 8, b"", None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        offset = y * (stride + 1)
        kind, line = raw[offset], bytearray(raw[offset + 1 : offset + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(bytes(line))
        previous = line
    rgb = [b"".join(row[i : i + 3] for i in range(0, stride, channels)) for row in rows]
    return width, height, rgb


def colours(rows) -> set[tuple[int, int, int]]:
    return {tuple(row[i : i + 3]) for row in rows for i in range(0, len(row), 3)}


@pytest.fixture
def timeline_page(tmp_path):
    path = tmp_path / "timeline.html"
    run = run_manage(
        "concurrenttest", "--workers", "2", "--timeline", str(path), "scenarios.slow",
        "scenarios.output",
    )  # fmt: skip
    assert run.returncode == 1, run.describe()
    return path


def test_page_is_self_contained_with_a_lane_per_worker(timeline_page):
    page = timeline_page.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=|url\(|@import""", page), "external asset"
    assert ">worker 1</text>" in page and ">worker 2</text>" in page
    assert ">parent</text>" in page
    assert 'data-kind="database setup"' in page and 'data-kind="worker start"' in page
    titles = re.findall(r"<title>([^<]*)</title>", page)
    assert any(t.startswith("scenarios.slow.SlowATests\n3 tests, 0 failed") for t in titles)
    assert any(t.startswith("scenarios.output.OutputTests\n2 tests, 1 failed") for t in titles)
    assert 'data-kind="failure"' in page


def test_chromium_loads_the_page_without_errors_and_draws_the_lanes(timeline_page, tmp_path):
    browser = chromium()
    screenshot = tmp_path / "timeline.png"
    run = subprocess.run(
        [
            browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={screenshot}", "--window-size=1400,400",
            timeline_page.as_uri(),
        ],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    console_errors = [line for line in run.stderr.splitlines() if "CONSOLE" in line]
    assert not console_errors, run.stderr
    width, height, rows = read_png(screenshot.read_bytes())
    assert (width, height) == (1400, 400)
    seen = colours(rows)
    assert len(seen) > 10, "blank screenshot"
    assert PASSED_RGB in seen and FAILED_RGB in seen, sorted(seen)[:20]
