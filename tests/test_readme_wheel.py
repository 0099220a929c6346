"""The wheel a release would upload installs in a fresh virtualenv and runs the demo; its metadata
says what PyPI will show (versions, classifiers, project URLs) and matches what CI tests."""

from __future__ import annotations

import configparser
import json
import re
import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest
from helpers import clean_copy
from test_readme import _clean_env

ROOT = Path(__file__).resolve().parent.parent

METADATA_SCRIPT = """
import importlib.metadata as metadata, json, concurrent_test_app
meta = metadata.metadata("django-concurrent-runner")
print(json.dumps({
    "file": concurrent_test_app.__file__,
    "version": meta["Version"],
    "classifiers": meta.get_all("Classifier"),
    "urls": meta.get_all("Project-URL"),
    "requires": meta.get_all("Requires-Dist"),
    "requires_python": meta["Requires-Python"],
}))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """sdist and wheel of a clean copy of the repository."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = clean_copy(tmp / "src")
    dist = tmp / "dist"
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(source)],
                   check=True, capture_output=True, timeout=600)  # fmt: skip
    return {"source": source, "sdist": next(dist.glob("*.tar.gz")), "wheel": next(dist.glob("*.whl"))}  # fmt: skip


@pytest.fixture(scope="module")
def installed(built, tmp_path_factory) -> dict:
    """A fresh virtualenv (no system packages) with only the wheel and its dependencies."""
    env_dir = tmp_path_factory.mktemp("venv") / "venv"
    venv.create(env_dir, with_pip=True, clear=True)
    python = env_dir / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(built["wheel"])],
                          env=_clean_env(), capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    shown = subprocess.run([str(python), "-c", METADATA_SCRIPT], cwd="/", env=_clean_env(),
                           capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    return {"python": python, "env_dir": env_dir, **json.loads(shown.stdout)}


def test_the_wheel_runs_the_demo_in_a_fresh_virtualenv(built, installed, tmp_path):
    assert installed["file"].startswith(str(installed["env_dir"])), installed["file"]
    demo = tmp_path / "testproject"
    shutil.copytree(built["source"] / "testproject", demo)
    done = subprocess.run(
        [str(installed["python"]), "manage.py", "concurrenttest", "--workers", "2", "--noinput"],
        cwd=demo,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "[CONCURRENT] Starting production-grade concurrent test run with 2 workers" in output
    assert re.search(r"^Ran \d+ tests", output, re.MULTILINE) and "\nOK\n" in output, output


def _setup_cfg() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    return parser


def test_metadata_version_urls_and_requirements(installed):
    assert installed["version"] == _setup_cfg()["metadata"]["version"]
    assert installed["requires_python"] == ">=3.10"
    labels = {url.split(",", 1)[0] for url in installed["urls"]}
    assert labels == {"Homepage", "Documentation", "Changelog", "Issues"}
    for url in installed["urls"]:
        assert url.split(", ", 1)[1].startswith("https://"), url
    requires = " ".join(installed["requires"])
    for name in ("Django>=4.2", "tblib", "lxml"):
        assert name in requires
    assert re.search(r'psycopg2-binary; extra == "postgres"', requires), requires


def test_classifiers_are_valid_and_match_what_ci_tests(installed):
    from trove_classifiers import classifiers as known

    claimed = set(installed["classifiers"])
    assert claimed <= known, claimed - known
    # Every (Python, Django) row of the fidelity matrix, and the Python that runs CI.
    matrix = (ROOT / ".ci" / "matrix").read_text()
    # Rows read "name|python|$DJANGO_XY|driver|backends"; DJANGO_XY="Django>=X.Y,<…".
    versions = dict(re.findall(r'^(DJANGO_\w+)="Django>=(\d+\.\d+)', matrix, re.MULTILINE))
    rows = [
        (python, versions[variable])
        for python, variable in re.findall(
            r'^\s*"[^|"]*\|(3\.\d+)\|\$(DJANGO_\w+)\|', matrix, re.MULTILINE
        )
    ]
    assert len(rows) >= 3, "the rows of .ci/matrix were not found"
    pythons = {python for python, _ in rows} | {f"{sys.version_info[0]}.{sys.version_info[1]}"}
    for python in pythons:
        assert f"Programming Language :: Python :: {python}" in claimed, python
    for _, django in rows:
        assert f"Framework :: Django :: {django}" in claimed, django
    # The matrix's 6.x row installs the newest 6.x: 6.1 is claimed along with 6.0.
    for django in ("4.2", "5.2", "6.0", "6.1"):
        assert f"Framework :: Django :: {django}" in claimed, django


def test_the_sdist_has_the_changelog_and_the_readme_test(built):
    with tarfile.open(built["sdist"]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for expected in ("CHANGELOG.rst", "README.rst", "LICENSE", "tests/test_readme.py",
                     "testproject/library/management/commands/runtests.py"):  # fmt: skip
        assert expected in names, expected
