"""Unit tests of CPU counting from cgroup files laid out in a temporary directory."""

from __future__ import annotations

import os

from concurrent_test_app.cpus import available_cpus, cgroup_cpu_quota


def test_cgroup_v2_quota(tmp_path):
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    assert cgroup_cpu_quota(tmp_path) == 1.5


def test_cgroup_v2_unlimited(tmp_path):
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert cgroup_cpu_quota(tmp_path) is None


def test_cgroup_v1_quota(tmp_path):
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("100000")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000")
    assert cgroup_cpu_quota(tmp_path) == 1.0


def test_cgroup_v1_unlimited(tmp_path):
    (tmp_path / "cpu.cfs_quota_us").write_text("-1")
    (tmp_path / "cpu.cfs_period_us").write_text("100000")
    assert cgroup_cpu_quota(tmp_path) is None


def test_quota_caps_affinity(tmp_path):
    (tmp_path / "cpu.max").write_text("100000 100000")
    assert available_cpus(tmp_path) == 1


def test_affinity_counts_without_quota(tmp_path):
    assert available_cpus(tmp_path) == len(os.sched_getaffinity(0))
