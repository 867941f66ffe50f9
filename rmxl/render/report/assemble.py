"""The report from a template (:mod:`rmxl.render.report.template`) and a ledger's figures.

Each figure ``{{ NAME(args) | format }}`` is evaluated by :func:`rmxl.query.functions.call`,
the function layer of the Excel cells and ``rmxl eval`` (no second implementation), then
formatted (:data:`~rmxl.render.report.template.FORMATS`); each block directive is built by
the same functions as the report without a template (:mod:`rmxl.render.report.content`,
:mod:`rmxl.render.report.breakdowns`). Sections are numbered in order ("3. Partnerships
…") unless marked ``{-}``. Every problem — an unknown function, bucket, dimension,
measure or period, a table where a value belongs, a format that does not fit the value,
a period without agreements — is a ``report-template-…`` diagnostic at the figure's or
block's ``file:line:col``; all are raised together (:class:`ReportTemplateError`), so
nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rmxl.diagnostics import Diagnostic, QueryError, Source, make
from rmxl.query.figures import Figures
from rmxl.query.functions import call
from rmxl.query.money_words import around_usd, percent
from rmxl.query.periods import Period, parse_period
from rmxl.render.report.blocks import Block, Heading, Paragraph, Report
from rmxl.render.report.breakdowns import comparison_section, distribution_blocks, membership_blocks
from rmxl.render.report.content import (
    build_time,
    cofinancing_blocks,
    headline,
    long_date,
    partner_type_blocks,
    period_section,
    source_line,
    top_blocks,
)
from rmxl.render.report.template import Figure, Item, Part, ReportTemplateError, Template
from rmxl.render.report.words import usd_million

DEFAULT_TITLE = "Partnerships and resource mobilization"

Builder = Callable[[Figures, list[Any]], list[Block]]
BUILDERS: dict[str, Builder] = {
    "section": lambda f, a: period_section(f, a[0])[1:],  # the template gives the heading
    "headline": lambda f, a: [Paragraph(headline(f, a[0]))],
    "cofinancing": lambda f, a: cofinancing_blocks(f, a[0], "BDT"),
    "partner_types": lambda f, a: partner_type_blocks(f, a[0], "BDT"),
    "membership": lambda f, a: membership_blocks(f, a[0]),
    "top": lambda f, a: top_blocks(f, a[1], a[0]),
    "regions": lambda f, a: distribution_blocks(f, a[0], "region"),
    "priorities": lambda f, a: distribution_blocks(f, a[0], "priority"),
    "comparison": lambda f, a: comparison_section(f, a[1], a[0])[1:],
}
"""Block name → builder of its blocks from checked arguments (periods parsed)."""


def build_from_template(
    fig: Figures, template: Template, when: dt.datetime | None = None
) -> Report:
    """The report the template describes, for ``fig``'s ledger. Raises
    :class:`ReportTemplateError` with every problem found (module doc)."""
    ev = _Evaluator(fig, list(template.problems))
    stamp = when or build_time()
    title = ev.text(template.title) or DEFAULT_TITLE
    front = [(label, ev.text(parts)) for label, parts in template.front]
    if not any(label.lower() == "date" for label, _ in front):
        front.append(("Date", long_date(stamp)))
    blocks: list[Block] = []
    number = 0
    for item in template.items:
        blocks.extend(ev.item(item, number + item.numbered))
        number += item.numbered
    if ev.diags:
        raise ReportTemplateError(ev.diags)
    return Report(title, tuple(blocks), tuple(front), source_line(fig, stamp))


class _Evaluator:
    """Evaluates figures and blocks, collecting diagnostics instead of raising."""

    def __init__(self, fig: Figures, diags: list[Diagnostic]):
        self.fig, self.diags = fig, diags

    def err(self, code: str, message: str, src: Source, hint: str = "") -> None:
        self.diags.append(make(code, message, src, hint))

    def item(self, item: Item, number: int) -> list[Block]:
        if item.kind == "heading":
            text = self.text(item.parts)
            return [Heading(f"{number}. {text}" if item.numbered else text, item.level)]
        if item.kind in ("paragraph", "bullet"):
            lead = self.text(item.lead)
            return [Paragraph(self.text(item.parts), lead=lead, bullet=item.kind == "bullet")]
        return self.block(item)

    def text(self, parts: tuple[Part, ...]) -> str:
        return "".join(p if isinstance(p, str) else self.figure(p) for p in parts).strip()

    def figure(self, f: Figure) -> str:
        if not f.name:
            return ""  # unreadable: reported when read
        try:
            value = call(self.fig, f.name, list(f.args))
        except QueryError as e:
            code = (
                "report-template-function"
                if e.code == "unknown-function"
                else "report-template-argument"
            )
            self.err(code, str(e), f.source)
            return ""
        if isinstance(value, list):
            hint = "place a table with a block, e.g. {% top(3, 2022) %}"
            self.err(
                "report-template-function", f"{f.name} gives a table, not one value", f.source, hint
            )
            return ""
        text = formatted(value, f.format)
        if text is None:
            want = f"'{f.format}'" if f.format else "no format"
            hint = "a number: count, number, usd, usd_millions, around_usd, percent(1); text: text"
            self.err(
                "report-template-format", f"{want} does not fit the value {value!r}", f.source, hint
            )
            return ""
        return text

    def block(self, item: Item) -> list[Block]:
        from rmxl.render.report.template import BLOCKS

        if item.name not in BUILDERS or len(item.args) != len(BLOCKS[item.name]):
            return []  # reported when read (report-template-block)
        args: list[Any] = []
        for kind, arg in zip(BLOCKS[item.name], item.args, strict=True):
            checked = (
                self.period(arg, item.source) if kind == "period" else self.count(arg, item.source)
            )
            if checked is None:
                return []
            args.append(checked)
        try:
            return BUILDERS[item.name](self.fig, args)
        except QueryError as e:
            self.err("report-template-argument", str(e), item.source)
            return []

    def period(self, arg: Any, src: Source) -> Period | None:
        try:
            p = parse_period(arg)
        except QueryError as e:
            self.err(
                "report-template-argument", str(e), src, 'write e.g. 2022 or "2023-01..2023-04"'
            )
            return None
        if not self.fig.total(p, "agreements"):
            self.err(
                "report-template-argument",
                f"no agreements were signed in {p}; nothing to report",
                src,
            )
            return None
        return p

    def count(self, arg: Any, src: Source) -> int | None:
        if (
            isinstance(arg, int | float)
            and not isinstance(arg, bool)
            and arg == int(arg)
            and arg >= 1
        ):
            return int(arg)
        self.err(
            "report-template-argument", f"{arg!r} is not a count of 1 or more", src, "write e.g. 3"
        )
        return None


def formatted(value: Any, fmt: str | None) -> str | None:
    """A figure's value in a template format (template.FORMATS), or None if the format
    does not fit (text with a number format, a fraction without a format)."""
    if isinstance(value, str):
        return value if fmt in (None, "text") else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    whole = float(value).is_integer()
    if fmt is None or fmt == "count":
        return f"{int(value):,}" if whole else None
    return {
        "number": lambda v: f"{v:,.0f}",
        "usd": lambda v: f"USD {v:,.0f}",
        "usd_millions": usd_million,
        "around_usd": around_usd,
        "percent": lambda v: percent(v),
        "percent1": lambda v: percent(v, 1),
        "text": lambda v: str(v),
    }[fmt](float(value))
