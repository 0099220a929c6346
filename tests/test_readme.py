"""README.rst and docs/ cannot rot: every command in them runs, their tables match the code,
their YAML parses.

The documents are read as one text, in the order of DOCUMENTS (README.rst, then the pages
of docs/ in the order their commands must run). Each code block is preceded by an rst comment ``.. readme: <kind> [args]``
(invisible on PyPI and GitHub) saying what the block is:

``run [DIR] [exit=N] [postgres]``
    shell commands, run by bash in DIR of a fresh copy of the repository, with the
    copy's ``.venv`` active (its ``bin`` first on PATH, as ``. .venv/bin/activate``
    does); the block must exit with N (default 0); ``postgres`` blocks need a server.
``file PATH`` / ``append PATH``
    written to (appended to) PATH in the copy, for the ``run`` blocks after it.
``same-as PATH``
    must equal that file of the repository.
``python``
    a settings excerpt: must compile.
``output [postgres]``
    sample output, not a command: each of its lines (but ``...``) must have been printed
    by a ``run`` block, numbers aside; ``postgres`` ones are checked by
    tests/test_readme_postgres.py.
``yaml``
    a CI recipe: must parse and use real options and variables.
``sql``
    run on PostgreSQL by tests/test_readme_postgres.py.
``skip``
    cannot run here; the list is SKIPPED below, and nothing else may be skipped.

Commands that name the unpublished PyPI package or the README's example server are
rewritten by ``substitutions()``, in plain sight.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import PERMISSIVE_SCHEMA, clean_copy, in_ci, postgres_url, validated_junit

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.rst"
DOCS = ROOT / "docs"
# Every document with code blocks, in the order their blocks run: later commands use what
# earlier ones made (the virtualenv, mysite/, the timing store, the reports).
DOCUMENTS = [
    README,
    *(
        DOCS / name
        for name in (
            "index.rst",
            "intro/tutorial.rst",
            "howto/runtests.rst",
            "ref/options.rst",
            "topics/fidelity.rst",
            "ref/console.rst",
            "topics/safety.rst",
            "topics/databases.rst",
            "topics/scheduling.rst",
            "ref/reports.rst",
            "howto/last-failures.rst",
            "howto/changed.rst",
            "howto/ci.rst",
            "howto/coverage.rst",
            "howto/troubleshooting.rst",
            "ref/exceptions.rst",
            "ref/exit-status.rst",
            "howto/rollback.rst",
            "howto/mysql.rst",
            "howto/migrating.rst",
            "internals/development.rst",
        )
    ),
]

# Commands that cannot run inside a test, by their first line, with the reason.
SKIPPED = {
    "bash .ci/run": "is CI itself: it would run this test again, inside itself",
    "CONCURRENT_TEST_PG_URL=postgres://user:pass@127.0.0.1:5432/scratch .ci/matrix": (
        "builds a venv per row with Pythons 3.10, 3.12 and 3.13 (which a machine may lack) "
        "and runs the fidelity tests in each: many minutes; it is run on its own"
    ),
}

# (README text, what the test runs instead, why).
DEMO_PG_URL = "postgres://postgres@127.0.0.1:5432/demo"


def substitutions(copy: Path) -> list[tuple[str, str, str]]:
    return [
        (
            '"django-concurrent-runner[postgres]"',
            f'"{copy}[postgres]"',
            "django-concurrent-runner is not on PyPI yet: the copy of the repository stands in",
        ),
        (
            '"django-concurrent-runner[impact]"',
            f'"{copy}[impact]"',
            "django-concurrent-runner is not on PyPI yet: the copy of the repository stands in",
        ),
        (
            "pip install django-concurrent-runner ",
            f"pip install {copy} ",
            "django-concurrent-runner is not on PyPI yet: the copy of the repository stands in",
        ),
        (DEMO_PG_URL, postgres_url(), "the README's example server is the test's server"),
    ]


# Variables a developer's shell or CI might hold that a new user's shell does not.
_SCRUBBED_PREFIXES = ("DJANGO_TEST_", "CONCURRENT_TEST_")
_SCRUBBED = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}

KINDS = {"run", "file", "append", "same-as", "python", "output", "yaml", "sql", "skip", "map"}


@dataclasses.dataclass
class Block:
    """One code block of the README or docs/ and the marker comment before it."""

    kind: str
    args: list[str]
    text: str
    line: int | None
    path: str = "README.rst"

    @property
    def first_line(self) -> str:
        return self.text.strip().splitlines()[0].strip()

    def where(self) -> str:
        return f"{self.path} block near line {self.line} ({self.kind} {' '.join(self.args)})"


def _sphinx_markup_for_docutils() -> None:
    """Let plain docutils read the docs' Sphinx roles and directives (as text, or nothing)."""
    from docutils import nodes
    from docutils.parsers.rst import Directive, directives, roles

    class Nothing(Directive):
        has_content = True
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec = {"maxdepth": str, "caption": str, "hidden": str, "language": str}

        def run(self):
            return []

    for role in ("ref", "doc"):
        roles.register_generic_role(role, nodes.inline)
    for directive in ("toctree", "concurrent-options", "benchmark-json-keys", "literalinclude"):
        directives.register_directive(directive, Nothing)


def _doctree(text: str):
    from docutils.core import publish_doctree

    _sphinx_markup_for_docutils()
    return publish_doctree(
        text,
        settings_overrides={
            "report_level": 5,
            "halt_level": 5,
            "syntax_highlight": "none",
            # A page's title stays a section, so a page titled "Console lines" is found.
            "doctitle_xform": False,
        },
    )


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def documents_text() -> str:
    """The README and every page of docs/, and the option table the docs build generates."""
    texts = [path.read_text() for path in DOCUMENTS]
    return "\n\n".join(texts) + "\n\n" + _generated_options_table()


def readme_blocks(text: str | None = None) -> list[Block]:
    """Every literal block of the README and docs/ with its marker, in order."""
    if text is not None:
        return _blocks_of(text, "README.rst")
    return [block for path in DOCUMENTS for block in _blocks_of(path.read_text(), _name(path))]


def _blocks_of(text: str, name: str) -> list[Block]:
    """Every literal block of one document with its marker, in order; unmarked ones fail."""
    from docutils import nodes

    blocks: list[Block] = []
    marker: list[str] | None = None
    for node in _doctree(text).findall(
        lambda n: isinstance(n, (nodes.comment, nodes.literal_block))
    ):
        if isinstance(node, nodes.comment):
            words = node.astext().split()
            if words[:1] != ["readme:"]:
                continue
            assert marker is None, f"{name}: two readme markers in a row near line {node.line}"
            assert len(words) > 1 and words[1] in KINDS, f"unknown marker {node.astext()!r}"
            marker = words[1:]
            continue
        assert marker is not None, (
            f"{name} block near line {node.line} has no '.. readme: <kind>' comment "
            f"before it:\n{node.astext()}"
        )
        blocks.append(Block(marker[0], marker[1:], node.astext(), node.line, name))
        marker = None
    assert marker is None, f"{name}: a readme marker with no block after it: {marker}"
    return blocks


# --- the blocks, one kind at a time -------------------------------------------------


def test_the_package_map_names_every_module():
    (block,) = [block for block in readme_blocks() if block.kind == "map"]
    package = ROOT / "concurrent_test_app"
    modules = [
        path.relative_to(package)
        for path in package.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py") and "management" not in path.parts
    ]
    assert len(modules) > 30
    missing = [str(module) for module in modules if module.name not in block.text]
    assert not missing, f"modules the README's package map does not name: {missing}"


def test_every_block_is_marked_and_only_the_known_commands_are_skipped():
    blocks = readme_blocks()
    assert len(blocks) > 20
    skipped = {block.first_line for block in blocks if block.kind == "skip"}
    assert skipped == set(SKIPPED)
    pages = {path for path in DOCS.rglob("*.rst") if "_build" not in path.parts}
    assert pages == set(DOCUMENTS[1:]), "a page of docs/ that DOCUMENTS does not list, or gone"


def test_every_substitution_is_used():
    """A substitution whose text left the README would hide nothing; drop it too."""
    run_text = "\n".join(block.text + "\n" for block in readme_blocks() if block.kind == "run")
    for text, _replacement, why in substitutions(Path("/copy")):
        assert text in run_text, (text, why)


# Commands quoted inline in the prose that no block runs, with the reason.
INLINE_NOT_RUN = {
    ". .venv/bin/activate": "the README test activates the copy's .venv by putting its bin "
    "first on PATH and setting VIRTUAL_ENV",
}
_COMMAND_RE = re.compile(r"^(?:\.|python3?|manage\.py|pip|bash|coverage|twine|django-admin) ")


def test_commands_quoted_in_the_prose_are_run_by_a_block():
    from docutils import nodes

    run_text = "\n".join(b.text for b in readme_blocks() if b.kind in {"run", "skip"})
    quoted = {
        node.astext()
        for path in DOCUMENTS
        for node in _doctree(path.read_text()).findall(nodes.literal)
        if _COMMAND_RE.match(node.astext())
    }
    assert len(quoted) > 5
    assert {command for command in quoted if command not in run_text} == set(INLINE_NOT_RUN)


def test_marker_parser_rejects_an_unmarked_block():
    with pytest.raises(AssertionError, match="has no '.. readme: <kind>' comment"):
        readme_blocks("Title\n=====\n\n.. readme: run\n\n::\n\n    true\n\nMore::\n\n    ls\n")


def test_same_as_blocks_equal_their_files():
    blocks = [block for block in readme_blocks() if block.kind == "same-as"]
    assert blocks
    for block in blocks:
        expected = (ROOT / block.args[0]).read_text()
        assert block.text.strip() == expected.strip(), block.where()


def test_python_blocks_compile():
    blocks = [block for block in readme_blocks() if block.kind in {"python", "append", "file"}]
    python = [b for b in blocks if b.kind == "python" or b.args[0].endswith(".py")]
    assert python
    for block in python:
        compile(block.text, block.where(), "exec")


# --- the options table ---------------------------------------------------------------


def _tables(text: str) -> list[list[list[str]]]:
    """Every table of ``text`` as rows of cell texts (header row first)."""
    from docutils import nodes

    tables = []
    for table in _doctree(text).findall(nodes.table):
        rows = [
            [" ".join(entry.astext().split()) for entry in row.findall(nodes.entry)]
            for row in table.findall(nodes.row)
        ]
        tables.append(rows)
    return tables


def _options():
    from concurrent_test_app import config

    return config


OPTIONS_PAGE = DOCS / "ref" / "options.rst"


def _extension():
    """docs/_ext/concurrent_options.py, the Sphinx extension that generates the option table."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "concurrent_options", DOCS / "_ext" / "concurrent_options.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _generated_options_table() -> str:
    return _extension().options_table_rst()


def readme_option_rows() -> list[list[str]]:
    """The rows (option, default, meaning) of the table the docs build generates."""
    (table,) = _tables(_generated_options_table())
    assert table[0] == ["option", "default", "meaning"]
    return table[1:]


def test_the_options_page_shows_the_generated_table_once():
    text = OPTIONS_PAGE.read_text()
    assert text.count(".. concurrent-options::") == 1
    pages = [p for p in DOCUMENTS if ".. concurrent-options::" in p.read_text()]
    assert pages == [OPTIONS_PAGE]
    conf = (DOCS / "conf.py").read_text()
    assert '"concurrent_options"' in conf


def test_generated_benchmark_keys_are_on_the_reports_page():
    page = (DOCS / "ref" / "reports.rst").read_text()
    assert page.count(".. benchmark-json-keys::") == 1
    keys = _extension().benchmark_json_keys()
    assert {"tests_total", "order_checks", "write_ratio", "scheduling_efficiency"} <= set(keys)
    assert all(keys.values())


def test_every_option_has_its_documentation():
    """An option without a meaning or its accepted values would be a blank in the reference."""
    config = _options()
    table = _generated_options_table()
    for option in config.OPTIONS:
        assert option.help.strip() and option.accepted.strip(), option.name
        assert f"``{option.env}``" in table and f"``{option.flag}``" in table, option.name
        assert " ".join(option.help.split()[1:]) in " ".join(table.split()), option.name


def _default_of(cell: str, option):
    word = cell.split()[0]
    return None if word == "none" else option.parse(word)


def test_options_table_matches_the_option_table_of_config():
    config = _options()
    rows = {re.search(r"DJANGO_TEST_\w+", row[0]).group(0): row for row in readme_option_rows()}
    assert len(rows) == len(readme_option_rows()), "a variable is listed twice"
    assert set(rows) == {option.env for option in config.OPTIONS}
    for option in config.OPTIONS:
        option_cell, default_cell, meaning = rows[option.env]
        flags = set(re.findall(r"--[a-z][a-z-]*", option_cell))
        env_cell = option_cell.split()[-1]
        expected = {option.flag}
        if option.parse is config.parse_bool:
            expected.add("--no-" + option.flag[2:])
        assert flags == expected, (option.name, option_cell)
        assert env_cell == option.env
        # The README's rule for settings keys: the variable without DJANGO_TEST_.
        assert option.setting == option.env.removeprefix("DJANGO_TEST_")
        assert _default_of(default_cell, option) == option.default, (option.name, default_cell)
        assert meaning, option.name


def test_stated_requirements_match_setup_cfg():
    import configparser

    text = " ".join(README.read_text().split())
    python, django = re.search(
        r"Requires Python (\d+\.\d+) or newer and Django (\d+\.\d+) or newer", text
    ).groups()
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    assert parser["options"]["python_requires"] == f">={python}"
    assert f"Django>={django}" in parser["options"]["install_requires"].split()


def test_changelog_heads_with_the_version_of_setup_cfg():
    import configparser

    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    version = parser["metadata"]["version"]
    headings = re.findall(r"^(\d[\w.]*) \(", (ROOT / "CHANGELOG.rst").read_text(), re.MULTILINE)
    assert headings and headings[0] == version, (headings, version)


def test_the_options_table_check_can_fail():
    config = _options()
    option = config.OPTIONS_BY_NAME["timeout"]
    assert _default_of("300", option) == option.default
    assert _default_of("600", option) != option.default


# --- console lines ---------------------------------------------------------------------

# What the runner writes with log()/announce()/write(): f-string literals in its source.
_MESSAGE_RE = re.compile(r'(?:\.log|\.announce|\blog|\.write)\(\s*f?"([^"]*)"')
# Written by the runner but not console lines of a run: the prefixing helper itself and
# --show-config's rows (shown in Configuration).
NOT_CONSOLE_LINES = {
    "{PREFIX} {message}",
    "{name:<{width}}  {value!r:<12}  ({config.sources[name]})",
}
# A message's fixed phrases: what is left between values, brackets and punctuation.
_SPLIT_RE = r"\{[^{}]*\}|<[^>]*>|…|\[CONCURRENT\]|\\n|[\[\],;:()'/]"


def _phrases(message: str) -> list[str]:
    parts = (part.strip() for part in re.split(_SPLIT_RE, message))
    return [part for part in parts if len(part) >= 4]


def _source_messages() -> list[str]:
    messages = []
    for path in sorted((ROOT / "concurrent_test_app").rglob("*.py")):
        messages += _MESSAGE_RE.findall(path.read_text())
    return [message for message in messages if message not in NOT_CONSOLE_LINES]


CONSOLE_PAGE = DOCS / "ref" / "console.rst"


def _console_section() -> tuple[str, list[str]]:
    """The text of the "Console lines" page and the lines its list defines."""
    from docutils import nodes

    for section in _doctree(CONSOLE_PAGE.read_text()).findall(nodes.section):
        if section[0].astext() == "Console lines":
            terms = [" ".join(term.astext().split()) for term in section.findall(nodes.term)]
            return " ".join(section.astext().split()), terms
    raise AssertionError("docs/ref/console.rst has no Console lines section")


def test_every_message_of_the_runner_is_explained():
    messages = _source_messages()
    assert len(messages) > 20
    text, _ = _console_section()
    missing = [m for m in messages if not all(phrase in text for phrase in _phrases(m))]
    assert not missing, f"messages the README's Console lines do not explain: {missing}"


def test_every_explained_line_is_a_message_of_the_runner():
    source = " ".join(
        " ".join(path.read_text().split())
        for path in sorted((ROOT / "concurrent_test_app").rglob("*.py"))
    )
    _, terms = _console_section()
    assert len(terms) > 20
    invented = [term for term in terms if not all(phrase in source for phrase in _phrases(term))]
    assert not invented, f"Console lines the runner never prints: {invented}"


def test_phrases_of_a_message():
    assert _phrases("Worker {worker.worker_id} died ({cause}){where}; restarting it") == [
        "Worker", "died", "restarting it"
    ]  # fmt: skip
    assert _phrases("Dropping '<name>', left behind by a run") == [
        "Dropping",
        "left behind by a run",
    ]


# --- names the README uses exist ---------------------------------------------------------

# Flags in the README that are not manage.py's: Docker's health check options of the
# GitHub service, and twine's.
FOREIGN_FLAGS = {"--health-cmd", "--health-interval", "--health-timeout", "--health-retries"}
FOREIGN_FLAGS |= {"--strict"}
FOREIGN_FLAGS |= {"--format", "--no-owner", "--no-privileges", "--jobs"}  # pg_dump, pg_restore
FOREIGN_FLAGS |= {"--keep-going"}  # sphinx-build's
# pytest's, pytest-xdist's and its friends', in "Coming from pytest-xdist".
FOREIGN_FLAGS |= {"--dist", "--reuse-db", "--lf", "--ff", "--reruns", "--splits", "--group"}
EXTRA_VARIABLES = {"DJANGO_TEST_SHARD_INDEX", "DJANGO_TEST_SHARD_TOTAL"}
# Read by django-concurrent-test 1.x (another project), not by this runner: the README's
# "Coming from django-concurrent-test 1.x" says what each becomes here.
FIRST_PROJECT_VARIABLES = {
    "DJANGO_TEST_TIMEOUT_PER_TEST",
    "DJANGO_TEST_TIMEOUT_PER_WORKER",
    "DJANGO_TEST_TIMEOUT_GLOBAL",
    "DJANGO_TEST_MIN_WORKERS",
    "DJANGO_TEST_MAX_WORKERS",
    "DJANGO_TEST_DYNAMIC_SCALING",
    "DJANGO_TEST_TELEMETRY",
}


@pytest.fixture(scope="module")
def manage_help() -> str:
    """What ``--help`` of the test commands lists (the repository's own testproject)."""
    out = []
    for command in ("concurrenttest", "test", "runtests"):
        done = subprocess.run(
            [sys.executable, "manage.py", command, "--help"],
            cwd=ROOT / "testproject",
            env=_clean_env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        out.append(done.stdout)
    return "\n".join(out)


def test_every_flag_in_the_readme_exists(manage_help):
    text = documents_text()
    known = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", manage_help))
    used = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", text))
    if sys.version_info < (3, 12):
        known.add("--durations")  # Django offers it on Python 3.12+ only, as the README says
    assert used - known - FOREIGN_FLAGS == set()
    assert FOREIGN_FLAGS <= used, "FOREIGN_FLAGS lists a flag the README no longer uses"


def test_every_variable_in_the_readme_exists():
    config = _options()
    used = set(re.findall(r"\bDJANGO_TEST_[A-Z_]+\b", documents_text()))
    options = {option.env for option in config.OPTIONS}
    assert used - options - EXTRA_VARIABLES - FIRST_PROJECT_VARIABLES == set()
    assert not FIRST_PROJECT_VARIABLES & options
    assert options <= used
    source = (ROOT / "concurrent_test_app" / "planning.py").read_text()
    for name in EXTRA_VARIABLES:
        assert name in source, name


# --- CI recipes ----------------------------------------------------------------------


def _yaml_blocks() -> dict[str, dict]:
    import yaml

    recipes = {}
    for block in readme_blocks():
        if block.kind == "yaml":
            data = yaml.safe_load(block.text)
            key = "github" if "jobs" in data else "gitlab"
            assert key not in recipes
            recipes[key] = data
    assert set(recipes) == {"github", "gitlab"}
    return recipes


def _strings(data) -> list[str]:
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return [data] if isinstance(data, str) else []


def _check_variables(variables: dict) -> None:
    config = _options()
    for name, value in variables.items():
        if name.startswith("DJANGO_TEST_"):
            option = next(o for o in config.OPTIONS if o.env == name)
            option.parse(str(value))  # raises on a value the runner would refuse


def _flags_of_manage_lines(strings: list[str]) -> set[str]:
    lines = [line for s in strings for line in s.splitlines() if "manage.py" in line]
    return {flag for line in lines for flag in re.findall(r"(?<![\w-])--[a-z][a-z-]*", line)}


def test_github_actions_recipe(manage_help):
    github = _yaml_blocks()["github"]
    test, report = github["jobs"]["test"], github["jobs"]["report"]
    assert test["services"]["postgres"]["image"].startswith("postgres")
    _check_variables(test["env"])
    shards = test["strategy"]["matrix"]["shard"]
    steps = _strings(test["steps"])
    run = next(s for s in steps if "--shard" in s)
    assert f"--shard ${{{{ matrix.shard }}}}/{len(shards)}" in run
    junit = re.search(r"--junitxml=(\S+)", run).group(1)
    uploads = [step for step in test["steps"] if step.get("uses", "").startswith("actions/upload-artifact")]  # fmt: skip
    assert uploads and junit in uploads[0]["with"]["path"]
    merge = next(s for s in _strings(report["steps"]) if "--merge-junit" in s)
    merged = re.search(r"--merge-junit (\S+)", merge).group(1)
    publisher = next(s for s in report["steps"] if "publish-unit-test-result" in s.get("uses", ""))
    assert publisher["with"]["files"] == merged
    assert report["needs"] == "test" and report["if"] == "always()"
    flags = _flags_of_manage_lines(_strings(github))
    assert {"--shard", "--junitxml", "--merge-junit", "--merge-timings"} <= flags
    assert flags <= set(re.findall(r"--[a-z][a-z-]*", manage_help))


def test_gitlab_recipe(manage_help):
    gitlab = _yaml_blocks()["gitlab"]
    test = gitlab["test"]
    assert isinstance(test["parallel"], int) and test["parallel"] > 1
    _check_variables(test["variables"])
    run = next(s for s in test["script"] if "manage.py concurrenttest" in s)
    assert "--junitxml=test-results-$CI_NODE_INDEX.xml" in run
    assert test["artifacts"]["reports"]["junit"] == "test-results-*.xml"
    assert "--shard" not in run, "GitLab's CI_NODE_INDEX/CI_NODE_TOTAL are read directly"
    flags = _flags_of_manage_lines(_strings(gitlab))
    assert flags <= set(re.findall(r"--[a-z][a-z-]*", manage_help))


# --- running every command ---------------------------------------------------------------


def _clean_env() -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _SCRUBBED and not name.startswith(_SCRUBBED_PREFIXES)
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _postgres_problem() -> str | None:
    """Why the test's PostgreSQL server cannot be used, or None."""
    try:
        import psycopg2
    except ImportError as error:
        return str(error)
    from helpers import postgres_params

    try:
        psycopg2.connect(**postgres_params(dbname="postgres")).close()
    except psycopg2.Error as error:
        return str(error).strip()
    return None


def _parse_run_args(args: list[str]) -> tuple[str, int, bool]:
    directory, status, postgres = ".", 0, False
    for arg in args:
        if arg.startswith("exit="):
            status = int(arg.split("=", 1)[1])
        elif arg == "postgres":
            postgres = True
        else:
            directory = arg
    return directory, status, postgres


# What some commands must print, beyond exiting as marked (README text -> expected text).
EXPECTED_OUTPUT = {
    "../.venv/bin/python manage.py concurrenttest --workers 2": [
        "[CONCURRENT] Starting production-grade concurrent test run with 2 workers",
        "\nOK\n",
    ],
    "cd mysite && python manage.py check": [
        "[CONCURRENT] Falling back to sequential testing: 0 test class(es) to run",
    ],
    "DJANGO_TEST_WORKERS=abc": [
        "ConfigurationException: DJANGO_TEST_WORKERS='abc': expected a positive integer or 'auto'"
    ],
    "DJANGO_ENV=production python": [
        "[CONCURRENT] Security check failed: Concurrent testing not allowed in production",
    ],
    "python run_tests.py": [
        "[CONCURRENT] Starting production-grade concurrent test run with 2 workers",
        "Average test duration: ",
    ],
    "--show-config": [
        "workers                4             (DJANGO_TEST_WORKERS)",
        "timeout                600.0         (--timeout)",
        "(settings.CONCURRENT_TEST['WORKER_SETUP'])",
    ],
    "coverage report": ["TOTAL"],
    "DATABASE_URL=postgres": ["[CONCURRENT] Setting up 4 test databases", "\nOK\n"],
    "--shard 1/2 --junitxml=shard-1.xml": [
        "[CONCURRENT] Shard 1/2: timings saved to ",
        "[CONCURRENT] Shard 2/2: timings saved to ",
        "timings.shard-2-of-2.json; --merge-timings adds them to ",
        "Merged 2 files into .concurrent_test/timings.json",
    ],
}


# What the README's commands write into testproject/ and leave there.
LEFT_IN_TESTPROJECT = {
    "test-results.xml",  # --junitxml of "Running", run_tests.py, then the shard merge
    "smoke.xml",
    "bench.json",
    "junit.xml",
    "metrics.prom",
    "timeline.html",
    ".coveragerc",
    ".coverage",
}


def _generalised(line: str) -> re.Pattern:
    """A sample output line as a pattern: any number where the sample has one, and
    either verdict of the estimated speedup."""
    parts = re.split(r"\d+(?:\.\d+)?", line.strip())
    pattern = r"\d+(?:\.\d+)?".join(re.escape(part) for part in parts)
    return re.compile(pattern.replace("slower", "(?:slower|faster)"))


def test_every_command_of_the_readme_runs(tmp_path):
    """The README from top to bottom, in a fresh copy of the repository, as a user runs it."""
    copy = _git_checkout(clean_copy(tmp_path / "django-concurrent-runner"))
    outputs = _run_readme(copy)
    assert len(outputs) >= 15
    total = int(re.search(r"Ran (\d+) tests", outputs[0]).group(1))
    assert f"the demo project's {total} tests" in " ".join(README.read_text().split())
    readme = documents_text()
    # The later blocks run without the warehouse app (conftest.py): the shards' own count.
    sharded = next(
        output for output in outputs if "--merge-junit" in output or "Shard 1/2" in output
    )
    shard_total = sum(int(n) for n in re.findall(r"Ran (\d+) tests", sharded))
    _check_what_the_demo_wrote(copy / "testproject", shard_total, readme)
    _check_the_sample_output("\n".join(outputs), outputs, readme)


def _git_checkout(copy: Path) -> Path:
    """The copy as a checkout is: a git work tree, clean (``--changed`` reads git)."""
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-qm", "checkout")):
        subprocess.run(["git", "-c", "user.name=u", "-c", "user.email=u@example.com", *args],
                       cwd=copy, check=True, capture_output=True)  # fmt: skip
    return copy


def _run_readme(copy: Path) -> list[str]:
    """Write the file blocks and run the run blocks in order; return what each run printed."""
    env = _clean_env()
    env["VIRTUAL_ENV"] = str(copy / ".venv")
    env["PATH"] = f"{copy / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    postgres_problem = _postgres_problem()
    if postgres_problem and in_ci():
        pytest.fail(f"PostgreSQL is required under CI=true: {postgres_problem}")
    outputs: list[str] = []
    for block in readme_blocks():
        if block.kind in {"file", "append"}:
            target = copy / block.args[0]
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("a" if block.kind == "append" else "w") as handle:
                handle.write("\n" + block.text + "\n")
        elif block.kind == "run":
            directory, status, postgres = _parse_run_args(block.args)
            if postgres and postgres_problem:
                print(f"skipped, no PostgreSQL ({postgres_problem}): {block.where()}")
                continue
            # The first block is a newcomer's first run: the whole demo, warehouse app included.
            first = {"DEMO_WAREHOUSE": "on"} if not outputs else {}
            outputs.append(_run_block(block, copy, directory, status, {**env, **first}))
    return outputs


def _run_block(block: Block, copy: Path, directory: str, status: int, env: dict) -> str:
    """Run one block with bash; assert its exit status and expected output; return it."""
    script = block.text
    for text, replacement, _why in substitutions(copy):
        script = script.replace(text, replacement)
    started = time.monotonic()
    done = subprocess.run(
        ["bash", "-c", ("set -eo pipefail\n" if status == 0 else "") + script],
        cwd=copy / directory,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = done.stdout + done.stderr
    described = f"{block.where()}\n$ {script}\nexit status {done.returncode}\n{output[-6000:]}"
    assert done.returncode == status, described
    for key, expected in EXPECTED_OUTPUT.items():
        if key in block.text:
            for text in expected:
                assert text in output, f"{text!r} not printed\n{described}"
    # Shown with pytest -s: where the time goes.
    print(f"{time.monotonic() - started:6.1f}s  {block.where()}: {block.first_line[:60]}")
    return output


def _check_what_the_demo_wrote(demo: Path, total: int, readme: str) -> None:
    """The reports the README's commands wrote say what the README says they do."""
    from lxml import etree

    merged = etree.parse(str(demo / "test-results.xml")).findall(".//testcase")
    names = {(case.get("classname"), case.get("name")) for case in merged}
    assert len(merged) == len(names) == total, "the two shards ran every test once"
    bench = json.loads((demo / "bench.json").read_text())
    # The keys docs/ref/reports.rst lists, generated from RunStats, are the file's.
    assert set(bench) == set(_extension().benchmark_json_keys())
    # The mapping table's first rows, on the annotated report of the Reports block.
    annotated = validated_junit(demo / "junit.xml", PERMISSIVE_SCHEMA)
    suite = annotated.find(".//testsuite")
    for attribute in ("name", "file", "timestamp", "hostname", "tests", "failures", "errors",
                      "skipped", "time"):  # fmt: skip
        assert suite.get(attribute) is not None, attribute
    assert {p.get("name") for p in suite.iter("property")} == {"worker", "python", "django"}
    case = suite.find("testcase")
    assert case.get("file") and case.get("line") and case.get("classname") == suite.get("name")
    metrics = (demo / "metrics.prom").read_text()
    gauges = re.findall(r"^django_concurrent_test_(\w+) ", metrics, re.MULTILINE)
    assert "tests_total" in gauges
    unlisted = [k for k in gauges if f"``{k}``" not in readme and not k.startswith("connections_")]
    assert not unlisted, f"metrics the README does not list: {unlisted}"
    assert "<svg" in (demo / "timeline.html").read_text()
    assert etree.parse(str(demo / "smoke.xml")).findall(".//testcase")
    assert not (demo / ".concurrent_test").exists(), "the rollback removes it"
    tracked = subprocess.run(["git", "ls-files", "testproject"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.splitlines()  # fmt: skip
    tracked_top = {Path(name).parts[1] for name in tracked}
    left = {path.name for path in demo.iterdir()} - tracked_top
    assert left == LEFT_IN_TESTPROJECT, "the README's commands leave only what it says they make"


def _check_the_sample_output(printed: str, outputs: list[str], readme: str) -> None:
    """Every sample line was printed (numbers aside); every benchmark field is defined."""
    bench = next(output for output in outputs if "Benchmark Report" in output)
    labels = re.findall(r"^  ([A-Z0-9][^:\n]+): ", bench, re.MULTILINE)
    assert len(labels) > 20
    undefined = [label for label in labels if f"``{label}``" not in readme]
    assert not undefined, f"benchmark fields the README does not define: {undefined}"
    for block in readme_blocks():
        if block.kind != "output" or "postgres" in block.args:
            continue
        for line in block.text.splitlines():
            line = line.strip()
            if line and line != "...":
                assert _generalised(line).search(printed), f"{block.where()}: never printed: {line}"


def test_coming_from_the_other_project_maps_each_of_its_variables():
    from docutils import nodes

    page = DOCS / "howto" / "migrating.rst"
    for section in _doctree(page.read_text()).findall(nodes.section):
        if section[0].astext() == "Coming from django-concurrent-test 1.x":
            text = section.astext()
            break
    else:
        raise AssertionError(f"{page} has no 'Coming from django-concurrent-test 1.x'")
    config = _options()
    guide = {"WORKERS", "BENCHMARK", "TIMEOUT", "MAX_OPERATIONS", "HEALTH_CHECK_INTERVAL",
             "MAX_RETRIES", "RETRY_DELAY", "TEMPLATE_CACHE"}  # fmt: skip
    ours = {option.env for option in config.OPTIONS}
    assert {f"DJANGO_TEST_{name}" for name in guide} <= ours
    for name in FIRST_PROJECT_VARIABLES | {f"DJANGO_TEST_{name}" for name in guide}:
        assert name in text, name
    assert "concurrent_test_app.runner.ConcurrentTestRunner" in text
