"""The column tables of the register format, rendered as Markdown for the README.

:func:`format_table_markdown` renders one table of ``hmn_bygg/register/columns.csv``;
:func:`render_readme_tables` brings the generated tables of ``data/building_register/README.md``
up to date.
"""

from __future__ import annotations

from hmn_bygg.register.columns import TABLES, specs

__all__ = ["format_table_markdown", "render_readme_tables"]


def format_table_markdown(table: str) -> str:
    """Render the column definitions of one register table as a Markdown table.

    Parameters
    ----------
    table : {"buildings", "parts"}
        Which table of ``hmn_bygg/register/columns.csv``.

    Returns
    -------
    str
        A Markdown table (no trailing newline): column, headings accepted, type, unit,
        required, allowed values and description, one row per column.
    """
    if table not in TABLES:
        raise ValueError(f"table must be one of {TABLES}, found {table!r}")

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "| column | headings accepted | type | unit | required | allowed | description |",
        "|---|---|---|---|---|---|---|",
    ]
    for spec in specs(table).values():
        aliases = ", ".join(f"`{a}`" for a in spec.aliases)
        lines.append(
            "| "
            + " | ".join(
                cell(x)
                for x in (
                    f"`{spec.name}`",
                    aliases,
                    spec.type,
                    spec.unit,
                    "yes" if spec.required else "no",
                    spec.range_text(),
                    spec.description,
                )
            )
            + " |"
        )
    return "\n".join(lines)


def _markers(table: str) -> tuple[str, str]:
    return (
        f"<!-- BEGIN {table} columns: generated from hmn_bygg/register/columns.csv -->",
        f"<!-- END {table} columns -->",
    )


def render_readme_tables(text: str) -> str:
    """Return a README with its generated column tables brought up to date.

    Parameters
    ----------
    text : str
        README text holding, for each table, a BEGIN and END marker (see the README).

    Returns
    -------
    str
        The text with what lies between each pair of markers replaced by
        :func:`format_table_markdown`.
    """
    for table in TABLES:
        begin, end = _markers(table)
        head, sep, rest = text.partition(begin)
        _, sep2, tail = rest.partition(end)
        if sep and sep2:
            text = f"{head}{begin}\n{format_table_markdown(table)}\n{end}{tail}"
    return text
