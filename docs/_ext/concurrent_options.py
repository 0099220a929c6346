"""The ``concurrent-options`` directive: the option reference, generated from ``config.OPTIONS``."""

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
            [f"{option.help[0].upper()}{option.help[1:]}.", f"Accepts {option.accepted}."],
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


class ConcurrentOptions(Directive):
    """Insert the option table; it is built from the code at every build, so it cannot drift."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(StringList(options_table_rst().splitlines(), "config.OPTIONS"), self.content_offset, container)  # fmt: skip
        return container.children


def setup(app) -> dict:
    """Register the directive."""
    app.add_directive("concurrent-options", ConcurrentOptions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
