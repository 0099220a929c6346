"""Unit tests of the one atomic writer that reports, timing store and ledger share."""

from __future__ import annotations

import os
import stat

import pytest

from concurrent_test_app import files


def test_writes_text_as_utf8_with_the_mode_open_would_give(tmp_path):
    target = tmp_path / "report.xml"
    old_mask = os.umask(0o027)
    try:
        files.write_atomically(str(target), "naïve")
    finally:
        os.umask(old_mask)
    assert target.read_bytes() == "naïve".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # not mkstemp's 0600
    assert [path.name for path in tmp_path.iterdir()] == ["report.xml"]


def test_a_failed_replace_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "timings.json"
    target.write_text("old")

    def refuse(source, destination):
        assert source.name.startswith(".timings-") and source.name.endswith(".tmp")
        raise OSError("no")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(OSError):
        files.write_atomically(target, b"new")
    assert target.read_text() == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["timings.json"]
