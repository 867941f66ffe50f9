"""The report as plain text for the terminal (``rmxl report``, the default format).

Renders a :class:`~rmxl.render.report.content.Report`: headings underlined, sentences wrapped,
tables as aligned columns (numbers right-aligned); a chart is a ``[Chart: title]`` line (the tables
beside it carry its numbers). No figure is computed here.
"""

from __future__ import annotations

import textwrap

from rmxl.render.report.content import Chart, Heading, Paragraph, Report, Table

WIDTH = 88


def table_text(table: Table) -> str:
    """A table as aligned columns: header, a rule of dashes, one line per row."""
    headers, rows = list(table.headers), [list(r) for r in table.rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if table.numeric[i] else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def render_text(report: Report) -> str:
    """The whole report as text (module doc); ends without a trailing newline."""
    parts = [report.title, "=" * len(report.title)]
    for block in report.blocks:
        if isinstance(block, Heading):
            parts += ["", block.text, ("-" if block.level <= 2 else "~") * len(block.text)]
        elif isinstance(block, Paragraph):
            parts += ["", textwrap.fill(block.text, WIDTH)]
        elif isinstance(block, Table):
            parts += ["", table_text(block)]
        elif isinstance(block, Chart):
            parts += ["", f"[Chart: {block.title}]"]
    return "\n".join(parts)
