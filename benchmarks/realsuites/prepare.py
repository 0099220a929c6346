"""Prepare a real suite in a work folder: its unpacked sdist and a venv with this repository.

    <workdir>/dist/     the downloaded sdist
    <workdir>/src/      the sdist unpacked (its top folder renamed to src)
    <workdir>/venv/     python -m venv; the suite's test requirements, Django and this
                        repository installed editable from --repo

Each step is skipped when its result is there already; the venv is reinstalled when the
repository path, the Django version or the requirements differ from the last install (a
stamp file in the venv records them), so a re-run after a merge needs no option.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

from suites import Suite, django_settings_module

STAMP = ".realsuites-install.json"


@dataclass(frozen=True)
class Prepared:
    """A suite ready to run: the venv's interpreter and the folder to run in."""

    python: Path
    source: Path  # the unpacked sdist
    run_folder: Path


def prepare(suite: Suite, workdir: Path, repo: Path, django: str, reinstall: bool) -> Prepared:
    """Download and unpack the sdist, build or refresh the venv, write suite-specific files."""
    workdir.mkdir(parents=True, exist_ok=True)
    source = unpack(suite.sdist.format(django=django), workdir)
    python = install(suite, workdir / "venv", repo, django, reinstall, source)
    run_folder = source / suite.run_folder
    if suite.kind == "django":
        django_settings_module(run_folder)
    return Prepared(python, source, run_folder)


def unpack(requirement: str, workdir: Path) -> Path:
    """The sdist of ``requirement`` unpacked into ``workdir/src`` (downloaded once)."""
    source = workdir / "src"
    if source.is_dir():
        return source
    dist = workdir / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    pip = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps"]
    subprocess.run([*pip, "-q", "-d", str(dist), requirement], check=True)
    (archive,) = dist.glob("*.tar.gz")
    unpacked = workdir / "unpacked"
    shutil.rmtree(unpacked, ignore_errors=True)
    with tarfile.open(archive) as tar:
        # The "data" filter (refuses links and paths out of the folder) is 3.10.12+/3.11.4+.
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(unpacked, **safe)
    (top,) = unpacked.iterdir()
    top.rename(source)
    unpacked.rmdir()
    return source


def install(
    suite: Suite, venv: Path, repo: Path, django: str, reinstall: bool, source: Path
) -> Path:
    """The venv's python, with requirements, Django and ``repo`` (editable) installed."""
    python = venv / "bin" / "python"
    requirements = [*suite.requirements, *(["-e", str(source)] if suite.install_source else [])]
    wanted = {
        "repo": str(repo),
        "packaging": packaging_digest(repo),
        "django": django,
        "requirements": requirements,
    }
    stamp = venv / STAMP
    if not reinstall and stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return python
    if not python.is_file():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    packages = [f"Django=={django}", *requirements, "-e", str(repo)]
    subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
    stamp.write_text(json.dumps(wanted))
    return python


def packaging_digest(repo: Path) -> str:
    """A digest of the repository's packaging files: new dependencies mean a reinstall."""
    digest = hashlib.sha256()
    for name in ("setup.cfg", "setup.py", "pyproject.toml"):
        path = repo / name
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()[:16]
