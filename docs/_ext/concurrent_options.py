"""The ``concurrent-options`` directive: the option reference, generated from ``config.OPTIONS``."""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList

HEADER = ("flag", "environment variable", "default", "accepted values", "meaning")


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


def option_rows() -> list[tuple[str, ...]]:
    """One row of rst cell texts per option, in the order of ``config.OPTIONS``."""
    from concurrent_test_app import config

    return [
        (
            flag_text(option, config.parse_bool),
            f"``{option.env}``",
            f"``{default_text(option)}``",
            option.accepted,
            option.help,
        )
        for option in config.OPTIONS
    ]


def options_table_rst() -> str:
    """The whole table as an rst list-table."""
    out = [".. list-table::", "   :header-rows: 1", "   :widths: 22 24 10 18 26", ""]
    for row in [HEADER, *option_rows()]:
        out.append(f"   * - {row[0]}")
        out += [f"     - {cell}" for cell in row[1:]]
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
