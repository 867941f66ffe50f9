"""The report as plain text for the terminal (``rmxl report``, the default format).

Renders a :class:`~rmxl.render.report.blocks.Report`: the title block, headings
underlined, sentences wrapped at :data:`WIDTH`, list items with a bullet, tables as
aligned columns (numbers right-aligned) that fit the same width (headers and labels wrap
onto more lines), footnote marks ``[1]`` with the notes at the end, and the source line
last; a chart is a ``[Chart: title]`` line (the tables beside it carry its numbers). No
figure is computed here.
"""

from __future__ import annotations

import textwrap

from rmxl.render.report.blocks import Chart, Heading, Paragraph, Report, Table

WIDTH = 88
GAP = 2  # spaces between table columns


def _natural(table: Table, i: int) -> int:
    """A column's width without wrapping: its longest cell (header words may wrap)."""
    head = max((len(w) for w in table.headers[i].split()), default=0)
    return max(head, *(len(r[i]) for r in table.rows)) if table.rows else head


def _widths(table: Table, width: int) -> list[int]:
    """Column widths that fit ``width``: numbers keep theirs, labels share the rest."""
    widths = [max(_natural(table, i), len(h)) for i, h in enumerate(table.headers)]
    over = sum(widths) + GAP * (len(widths) - 1) - width
    if over > 0:  # first wrap headers to their longest word
        widths = [_natural(table, i) for i in range(len(widths))]
        over = sum(widths) + GAP * (len(widths) - 1) - width
    texts = [i for i, n in enumerate(table.numeric) if not n]
    while over > 0 and texts:
        i = max(texts, key=lambda k: widths[k])
        floor = max((len(w) for r in table.rows for w in r[i].split()), default=8)
        cut = min(over, widths[i] - max(12, min(floor, 24)))
        if cut <= 0:
            break
        widths[i] -= cut
        over -= cut
    return widths


def table_text(table: Table, width: int = WIDTH) -> str:
    """A table as aligned columns: header, a rule of dashes, one line per row; cells
    wider than their column wrap onto more lines."""
    widths = _widths(table, width)

    def lines(cells: tuple[str, ...]) -> list[str]:
        wrapped = [
            textwrap.wrap(c, w, break_long_words=True) or [""]
            for c, w in zip(cells, widths, strict=True)
        ]
        out = []
        for k in range(max(len(w) for w in wrapped)):
            parts = [
                (w[k] if k < len(w) else "").rjust(cw)
                if table.numeric[i]
                else (w[k] if k < len(w) else "").ljust(cw)
                for i, (w, cw) in enumerate(zip(wrapped, widths, strict=True))
            ]
            out.append((" " * GAP).join(parts).rstrip())
        return out

    head = lines(table.headers)
    rule = (" " * GAP).join("-" * w for w in widths)
    return "\n".join([*head, rule, *(line for r in table.rows for line in lines(r))])


def _paragraph(block: Paragraph, mark: str) -> str:
    body, stop = block.split_stop()
    text = f"{block.lead} {body}".strip() if block.lead else body
    text += f"{mark}{stop}" if block.note else stop
    if block.bullet:
        return textwrap.fill(text, WIDTH, initial_indent="- ", subsequent_indent="  ")
    return textwrap.fill(text, WIDTH)


def _bullet(block: object) -> bool:
    return isinstance(block, Paragraph) and block.bullet


def render_text(report: Report) -> str:
    """The whole report as text (module doc); ends without a trailing newline."""
    parts = [report.title, "=" * len(report.title)]
    if report.front:
        parts += ["", *(f"{label}: {value}" for label, value in report.front)]
    notes, previous = 0, None
    for block in report.blocks:
        tight = _bullet(block) and _bullet(previous)  # list items without blank lines
        previous = block
        if isinstance(block, Heading):
            parts += ["", block.text, ("-" if block.level <= 2 else "~") * len(block.text)]
        elif isinstance(block, Paragraph):
            notes += bool(block.note)
            parts += [*([] if tight else [""]), _paragraph(block, f"[{notes}]")]
        elif isinstance(block, Table):
            parts += ["", table_text(block)]
        elif isinstance(block, Chart):
            parts += ["", f"[Chart: {block.title}]"]
    if report.notes:
        parts += ["", "-" * 15]
        parts += [textwrap.fill(f"[{i}] {n}", WIDTH) for i, n in enumerate(report.notes, 1)]
    if report.source:
        parts += ["", textwrap.fill(report.source, WIDTH)]
    return "\n".join(parts)
