"""The report as Markdown or HTML, and writing any format with its chart files.

:func:`render_markdown` and :func:`render_html` draw a :class:`~rmxl.render.report.content.Report`;
the docx renderer lives in :mod:`rmxl.render.report.docx`, the text one in
:mod:`rmxl.render.report.text`. :func:`write_report` writes a format to a path with
each chart as a PNG next to it (``<stem>-<chart name>.png``), all or nothing
(:func:`rmxl.fileio.write_files`). No figure is computed here.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from rmxl.fileio import write_files
from rmxl.render.escape import markdown_text
from rmxl.render.report.blocks import Chart, Heading, Paragraph, Report, Table

FORMATS = ("text", "markdown", "html", "docx")
"""Formats of ``rmxl report --format``."""


def default_out(periods: list[str], fmt: str) -> Path:
    """``report-<period>.<ext>`` in the current folder (``report-2023-01-to-2023-04.docx``).
    Raises QueryError for a bad period."""
    from rmxl.query.periods import parse_period
    from rmxl.render.report.words import period_slug

    ext = {"markdown": "md", "text": "txt"}.get(fmt, fmt)
    return Path(f"report-{'-'.join(period_slug(parse_period(p)) for p in periods)}.{ext}")


def chart_path(out: Path, chart: Chart) -> Path:
    """Where a chart's PNG goes beside the report file ``out``."""
    return out.with_name(f"{out.stem}-{chart.name}.png")


def _md_table(table: Table) -> list[str]:
    rule = ["---:" if n else ":---" for n in table.numeric]
    lines = [
        "| " + " | ".join(markdown_text(c) for c in table.headers) + " |",
        "| " + " | ".join(rule) + " |",
    ]
    for row in table.rows:
        cells = [markdown_text(c) for c in row]
        if row[0] == "Total":
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _md_paragraph(block: Paragraph, n: int) -> str:
    body, stop = block.split_stop()
    text = markdown_text(body) + (f"[^{n}]" if block.note else "") + stop
    if block.lead:
        text = f"**{markdown_text(block.lead)}** {text}"
    return f"- {text}" if block.bullet else text


def render_markdown(report: Report, images: dict[str, str] | None = None) -> str:
    """Markdown (CommonMark with GFM tables and footnotes). ``images`` maps a chart name
    to the image path to link; a chart without one is named in italics (its table
    carries the numbers). Every text is escaped (:func:`~rmxl.render.escape.markdown_text`)."""
    out = [f"# {markdown_text(report.title)}"]
    if report.front:
        out += [
            "",
            "  \n".join(f"**{markdown_text(k)}:** {markdown_text(v)}" for k, v in report.front),
        ]
    notes = 0
    previous: object = None
    for block in report.blocks:
        if isinstance(block, Heading):
            out += ["", f"{'#' * block.level} {markdown_text(block.text)}"]
        elif isinstance(block, Paragraph):
            notes += bool(block.note)
            tight = block.bullet and isinstance(previous, Paragraph) and previous.bullet
            out += [*([] if tight else [""]), _md_paragraph(block, notes)]
        elif isinstance(block, Table):
            out += ["", *_md_table(block)]
        elif images and block.name in images:
            out += ["", f"![{markdown_text(block.title)}]({images[block.name]})"]
        else:
            out += ["", f"*Chart: {markdown_text(block.title)}* (drawn with `--out`)"]
        previous = block
    out += [f"\n[^{i}]: {markdown_text(n)}" for i, n in enumerate(report.notes, 1)]
    if report.source:
        out += ["", "---", "", markdown_text(report.source)]
    return "\n".join(out) + "\n"


CSS = """body{font-family:Calibri,Carlito,Arial,sans-serif;max-width:50em;margin:2em auto;
color:#222}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;
padding:.25em .6em}th{background:#dce6f1}img{max-width:100%}figure{margin:1em 0}
.front{margin:0 0 .2em}footer,.footnotes{font-size:.9em;color:#444}"""
RIGHT = ' style="text-align:right"'


def _html_table(table: Table) -> str:
    """A table with inline alignment (mail clients and word processors drop <style>)."""

    def row(cells: tuple[str, ...], tag: str) -> str:
        bold = tag == "td" and cells[0] == "Total"
        return (
            "<tr>"
            + "".join(
                f"<{tag}{RIGHT if n else ''}>{'<b>' if bold else ''}"
                f"{html.escape(c)}{'</b>' if bold else ''}</{tag}>"
                for c, n in zip(cells, table.numeric, strict=True)
            )
            + "</tr>"
        )

    body = "\n".join(row(r, "td") for r in table.rows)
    return (
        '<table border="1" cellpadding="4">\n'
        f"<thead>{row(table.headers, 'th')}</thead>\n<tbody>\n{body}\n</tbody>\n</table>"
    )


def _html_paragraph(block: Paragraph, n: int) -> str:
    body, stop = block.split_stop()
    text = html.escape(body)
    if block.note:
        text += f'<sup><a href="#fn{n}" id="fnref{n}">{n}</a></sup>'
    text += stop
    if block.lead:
        text = f"<strong>{html.escape(block.lead)}</strong> {text}"
    return f"<li>{text}</li>" if block.bullet else f"<p>{text}</p>"


def _html_front(report: Report) -> list[str]:
    """The title block: one line per entry (paragraphs, which word processors importing
    HTML keep; a definition list came out indented on two lines each)."""
    return [
        f'<p class="front"><strong>{html.escape(k)}:</strong> {html.escape(v)}</p>'
        for k, v in report.front
    ]


def _html_end(report: Report) -> list[str]:
    out = []
    if report.notes:
        items = "".join(
            f'<li id="fn{i}">{html.escape(n)} <a href="#fnref{i}">↩</a></li>'
            for i, n in enumerate(report.notes, 1)
        )
        out.append(f'<section class="footnotes"><hr><ol>{items}</ol></section>')
    if report.source:
        out.append(f"<footer><hr><p>{html.escape(report.source)}</p></footer>")
    return out


def render_html(report: Report, pngs: dict[str, bytes]) -> str:
    """A self-contained HTML page with the docx's structure: title block, numbered
    headings, list items, footnotes (linked both ways) and the source line in a footer;
    the charts' PNGs (``pngs``: chart name → bytes) embedded as data URIs, with the chart
    title as alternative text. Every text is HTML-escaped."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(report.title)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{html.escape(report.title)}</h1>",
        *_html_front(report),
        "</header><main>",
    ]
    notes, in_list = 0, False
    for block in report.blocks:
        bullet = isinstance(block, Paragraph) and block.bullet
        if bullet != in_list:
            out.append("<ul>" if bullet else "</ul>")
            in_list = bullet
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            notes += bool(block.note)
            out.append(_html_paragraph(block, notes))
        elif isinstance(block, Table):
            out.append(_html_table(block))
        elif block.name in pngs:
            data = base64.b64encode(pngs[block.name]).decode("ascii")
            alt = html.escape(block.title, quote=True)
            out.append(f'<figure><img src="data:image/png;base64,{data}" alt="{alt}"></figure>')
    out += [*(["</ul>"] if in_list else []), "</main>", *_html_end(report), "</body></html>"]
    return "\n".join(out) + "\n"


def render(
    report: Report, fmt: str, out: Path | None = None, reference: Path | None = None
) -> tuple[bytes, dict[str, bytes]]:
    """The report in ``fmt`` as bytes, and the PNG of each chart the format shows
    (chart name → bytes; none for text, nor for markdown without ``out``); ``reference``
    is the docx's reference document (:func:`rmxl.render.report.docx.render_docx`)."""
    from rmxl.render.report.text import render_text

    if fmt == "text":
        return (render_text(report) + "\n").encode(), {}
    if fmt == "markdown" and out is None:
        return render_markdown(report).encode(), {}
    pngs = _pngs(report)
    if fmt == "markdown":
        assert out is not None
        names = {c.name: chart_path(out, c).name for c in report.charts}
        return render_markdown(report, names).encode(), pngs
    if fmt == "html":
        return render_html(report, pngs).encode(), pngs
    if fmt == "docx":
        from rmxl.render.report.docx import render_docx

        return render_docx(report, pngs, reference), pngs
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _pngs(report: Report) -> dict[str, bytes]:
    from rmxl.render.charts import png

    return {c.name: png(c) for c in report.charts}


def write_report(report: Report, fmt: str, out: Path, reference: Path | None = None) -> list[Path]:
    """Write the report to ``out`` and each of its charts' PNG beside it, all or nothing
    (:func:`rmxl.fileio.write_files`: through links, only over regular files, a failure
    leaves every previous file as it was and no temporary file); returns the paths
    written, ``out`` first. Raises OSError (``filename``: the path that failed)."""
    data, pngs = render(report, fmt, out, reference)
    charts = {chart_path(out, c): pngs[c.name] for c in report.charts if c.name in pngs}
    write_files({**charts, out: data})
    return [out, *charts]
