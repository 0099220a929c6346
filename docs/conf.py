"""Sphinx configuration of the django-concurrent-runner documentation."""

from __future__ import annotations

import configparser
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The option table is read from the package of this checkout, and the extension from _ext/.
sys.path[:0] = [str(HERE / "_ext"), str(HERE.parent)]

_setup = configparser.ConfigParser()
_setup.read(HERE.parent / "setup.cfg")

project = "django-concurrent-runner"
author = "django-concurrent-runner contributors"
copyright = "django-concurrent-runner contributors"
release = _setup["metadata"]["version"]
version = release

extensions = ["concurrent_options"]
exclude_patterns = ["_build"]
# The ".. readme: <kind>" comments are for tests/test_readme.py; Sphinx ignores comments.
html_theme = "furo"
html_title = f"django-concurrent-runner {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
