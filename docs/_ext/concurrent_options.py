"""Reference tables generated from the code at every build, so they cannot drift.

``concurrent-options``: the option table, from ``config.OPTIONS``.
``benchmark-json-keys``: the keys of the ``--benchmark-json`` file, from ``RunStats``.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList

HEADER = ("option", "default", "meaning")


def default_text(option) -> str:
    """The default as a user writes it: ``none``, ``true``/``false``, ``300`` for 300.0."""
    value = option.default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def flag_text(option, bool_parser) -> str:
    """The flag, and its ``--no-`` twin for a boolean."""
    if option.parse is bool_parser:
        return f"``{option.flag}`` / ``--no-{option.flag[2:]}``"
    return f"``{option.flag}``"


def option_rows() -> list[tuple[list[str], ...]]:
    """One row per option, in the order of ``config.OPTIONS``: each cell is its rst paragraphs."""
    from concurrent_test_app import config

    return [
        (
            [flag_text(option, config.parse_bool), f"``{option.env}``"],
            [f"``{default_text(option)}``"],
            [f"{option.help[:1].upper()}{option.help[1:]}.", f"Accepts {option.accepted}."],
        )
        for option in config.OPTIONS
    ]


def _cell(first: str, paragraphs: list[str]) -> list[str]:
    """A list-table cell: its paragraphs separated by blank lines, indented under the bullet."""
    lines = [f"{first}{paragraphs[0]}"]
    for paragraph in paragraphs[1:]:
        lines += ["", " " * len(first) + paragraph]
    return lines


def options_table_rst() -> str:
    """The whole table as an rst list-table."""
    out = [".. list-table::", "   :header-rows: 1", "   :widths: 34 12 54", ""]
    for row in [tuple([cell] for cell in HEADER), *option_rows()]:
        out += _cell("   * - ", row[0])
        for cell in row[1:]:
            out += _cell("     - ", cell)
    return "\n".join(out) + "\n"


# How a RunStats annotation reads as JSON (the module has postponed annotations: strings).
_JSON_TYPES = {"str": "string", "int": "integer", "float": "number"}
# What as_json() adds to or reshapes from the dataclass's fields.
_RESHAPED = {
    "worker_durations": "object: worker id (a string) → seconds busy",
    "slowest": "array of objects: ``test``, ``seconds``, ``worker``",
    "order_checks": "array of objects: ``test``, ``outcome``, ``polluter``, ``replays``, "
    "``seconds``, ``verdict``, ``worker_id``, ``started``, ``replay``",
}
_DERIVED = {
    "write_ratio": "number: queries_write / queries_total",
    "error_rate": "number: database_errors / queries_total",
}


def benchmark_json_keys() -> dict[str, str]:
    """Every top-level key of the benchmark JSON and its JSON type."""
    import dataclasses

    from concurrent_test_app.reports.metrics import RunStats

    keys = {}
    for item in dataclasses.fields(RunStats):
        keys[item.name] = _RESHAPED.get(item.name) or _JSON_TYPES[str(item.type)]
    return {**keys, **_DERIVED}


def benchmark_keys_rst() -> str:
    """The keys as an rst list-table."""
    out = [".. list-table::", "   :header-rows: 1", "   :widths: 30 70", ""]
    out += ["   * - key", "     - JSON type"]
    for key, kind in sorted(benchmark_json_keys().items()):
        out += [f"   * - ``{key}``", f"     - {kind}"]
    return "\n".join(out) + "\n"


class _Generated(Directive):
    """Insert generated rst, parsed like the page's own."""

    has_content = False
    source = "generated"

    def rst(self) -> str:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        lines = StringList(self.rst().splitlines(), self.source)
        self.state.nested_parse(lines, self.content_offset, container)
        return container.children


class ConcurrentOptions(_Generated):
    """The option table."""

    source = "config.OPTIONS"

    def rst(self) -> str:
        return options_table_rst()


class BenchmarkJsonKeys(_Generated):
    """The keys of the benchmark JSON."""

    source = "RunStats"

    def rst(self) -> str:
        return benchmark_keys_rst()


def keep_flags_whole(app, doctree) -> None:
    """Mark short literals (``--keepdb``, ``--parallel N``) so the theme does not break them at a hyphen."""
    for node in doctree.findall(nodes.literal):
        text = node.astext()
        if len(text) <= 40 and (" " not in text or (text.startswith("-") and len(text) <= 20)):
            node["classes"].append("nobreak")


def setup(app) -> dict:
    """Register the directives and the literal marking."""
    app.add_directive("concurrent-options", ConcurrentOptions)
    app.add_directive("benchmark-json-keys", BenchmarkJsonKeys)
    app.connect("doctree-read", keep_flags_whole)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
