"""The report's content: sections 3 and 4 of the seed report, as data built from Figures.

:func:`build_report` turns one or more periods (and an optional comparison period) into a
:class:`Report`: headings, paragraphs, tables and charts. Every number and label comes
from :class:`~rmxl.query.figures.Figures` and the ledger's taxonomy; this module only chooses the
words, the order and the number format (:mod:`rmxl.query.money_words`, the report's style: "around
USD 9.7 million", "42%"). Renderers (:mod:`rmxl.render.report.markup`,
:mod:`rmxl.render.report.text`) and the charts (:mod:`rmxl.render.charts`) draw this model;
none of them computes a figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rmxl.diagnostics import QueryError
from rmxl.query.figures import Breakdown, Figures
from rmxl.query.money_words import around_usd, percent
from rmxl.query.periods import Period, parse_period
from rmxl.render.labels import dimension_label, measure_label, share_label
from rmxl.render.report.blocks import (
    Block,
    Chart,
    Heading,
    Panel,
    Paragraph,
    Report,
    Series,
    Table,
    Unit,
)
from rmxl.render.report.breakdowns import (
    comparison_section,
    descending,
    distribution_blocks,
    membership_blocks,
    pair_table,
)
from rmxl.render.report.words import (
    TOTAL_SHARE,
    agreements_word,
    join_and,
    period_slug,
    short_label,
    top_intro,
    usd,
    when_in,
)

__all__ = [
    "Block",
    "Chart",
    "Heading",
    "Panel",
    "Paragraph",
    "Report",
    "Series",
    "Table",
    "Unit",
    "build_report",
]


def build_report(
    fig: Figures,
    periods: list[str],
    compare: str | None = None,
    bureau: str = "BDT",
    when: dt.datetime | None = None,
) -> Report:
    """The report for ``periods`` (one section each, like the seed's sections 3 and 4);
    with ``compare``, the last period's section ends with the year-on-year comparison.

    Raises :class:`QueryError` (``empty-period``) when a period has no agreement, or
    ``bad-period`` for an unparseable period."""
    parsed = [parse_period(p) for p in periods]
    other = parse_period(compare) if compare else None
    for p in [*parsed, *([other] if other else [])]:
        if not fig.total(p, "agreements"):
            raise QueryError("empty-period", f"no agreements were signed in {p}; nothing to report")
    blocks: list[Block] = []
    for i, p in enumerate(parsed):
        blocks.extend(period_section(fig, p, bureau))
        if other is not None and i == len(parsed) - 1:
            blocks.extend(comparison_section(fig, p, other))
    if len(parsed) == 1:  # chart names need the period only to tell periods apart
        lead = f"{period_slug(parsed[0])}-"
        blocks = [
            replace(b, name=b.name.removeprefix(lead)) if isinstance(b, Chart) else b
            for b in blocks
        ]
    title = "Partnerships and resource mobilization: " + ", ".join(short_label(p) for p in parsed)
    return Report(title, tuple(blocks), front(parsed, when), source_line(fig, when))


def front(periods: list[Period], when: dt.datetime | None = None) -> tuple[tuple[str, str], ...]:
    """The title block: the periods reported and the date of the document."""
    stamp = when or build_time()
    label = "Period" if len(periods) == 1 else "Periods"
    return ((label, join_and([short_label(p) for p in periods])), ("Date", long_date(stamp)))


def long_date(when: dt.datetime | dt.date) -> str:
    """``3 December 2026``."""
    return f"{when.day} {when:%B %Y}"


def build_time() -> dt.datetime:
    """When the report is built: ``$SOURCE_DATE_EPOCH`` (UTC) if set, else now (UTC), to
    the minute (reproducible-builds.org's rule)."""
    import os

    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = dt.datetime.fromtimestamp(int(raw), dt.UTC) if raw.isdigit() else dt.datetime.now(dt.UTC)
    return now.replace(second=0, microsecond=0)


def source_line(fig: Figures, when: dt.datetime | None = None) -> str:
    """``Source: ledger at commit 8c4642a1b2c3, built 2026-12-03 13:55 UTC, rmxl 0.1.0``
    (the last commit that changed the ledger, :func:`rmxl.read.identity.commit_label`, as
    RM_INFO and the workbook's Provenance name it; "not in git" outside a checkout)."""
    from importlib.metadata import PackageNotFoundError, version

    from rmxl.read.identity import commit_label

    commit = commit_label(fig.compiled.ledger.root.resolve())
    try:
        rmxl = version("rmxl")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        rmxl = "unknown"
    where = f"ledger at commit {commit}" if commit else "ledger (not in git)"
    stamp = (when or build_time()).strftime("%Y-%m-%d %H:%M UTC")
    return f"Source: {where}, built {stamp}, rmxl {rmxl}"


def period_section(fig: Figures, p: Period, bureau: str = "BDT") -> list[Block]:
    """Headline, co-financing, partners by type and membership, top three, regions and
    thematic priorities of one period (the seed's section 3)."""
    return [
        Heading(f"Partnerships and results of resource mobilization {when_in(p, lower=True)}"),
        Paragraph(headline(fig, p, bureau)),
        *cofinancing_blocks(fig, p, bureau),
        *partner_blocks(fig, p, bureau),
        *top_blocks(fig, p),
        *distribution_blocks(fig, p, "region"),
        *distribution_blocks(fig, p, "priority"),
    ]


def headline(fig: Figures, p: Period, bureau: str = "BDT") -> str:
    """The headline sentence of the seed's §3 and §4: "In 2022, BDT signed 71 agreements
    with a wide range of partners, out of which 50 had financial contributions amounting
    to around USD 9.7 million." (seed)."""
    n = int(fig.total(p, "agreements"))
    funded = int(fig.total(p, "funded_agreements"))
    partners = int(fig.total(p, "partners"))
    who = (
        "a wide range of partners"
        if partners > 2
        else ("one partner" if partners == 1 else f"{partners} partners")
    )
    start = f"{when_in(p)}, {bureau} signed {agreements_word(n)} with {who}"
    if not funded:
        return f"{start}; none had financial contributions."
    return (
        f"{start}, out of which {funded} had financial contributions amounting to "
        f"{around_usd(fig.total(p, 'funds'))}."
    )


def cofinancing_blocks(fig: Figures, p: Period, bureau: str) -> list[Block]:
    """The co-financing split (partners vs ITU component): sentence, table, pie."""
    bd = fig.cofinancing(p)
    intro = (
        f"The total financial contributions signed by {bureau} and its partners "
        f"{when_in(p, lower=True)} were distributed as follows:"
    )
    if not bd.total:
        return [Paragraph(f"No financial contributions were signed {when_in(p, lower=True)}.")]
    rows = [(label, usd(v), percent(s, 1)) for label, v, s in bd.rows()]
    return [
        Paragraph(intro),
        Table(
            ("Component", measure_label("funds"), share_label("funds")),
            (*rows, ("Total", usd(bd.total), TOTAL_SHARE)),
            (False, True, True),
        ),
        _pie(bd, f"{period_slug(p)}-cofinancing", f"Co-financing arrangements ({short_label(p)})"),
    ]


def _cols(bd: Breakdown) -> tuple[list[str], list[float], list[float | None]]:
    return [b.label for b in bd.buckets], list(bd.values), list(bd.shares)


def _pie(bd: Breakdown, name: str, title: str) -> Chart:
    """A pie of every bucket in taxonomy order (the chart leaves zero ones out, keeping
    each bucket's colour; they stay in the table)."""
    labels, _, shares = _cols(bd)
    values = tuple(s or 0.0 for s in shares)
    return Chart(
        "pie", name, title, (Panel("", tuple(labels), (Series("share", values, "share"),)),)
    )


def partner_blocks(fig: Figures, p: Period, bureau: str) -> list[Block]:
    """Partners by type (:func:`partner_type_blocks`), then by membership category."""
    return [*partner_type_blocks(fig, p, bureau), *membership_blocks(fig, p)]


def partner_type_blocks(fig: Figures, p: Period, bureau: str) -> list[Block]:
    """Partners by type (count and shares, descending), the table of both measures by
    partner type, and the pie of partner funds by type."""
    by_type = fig.breakdown("partner_type", p, "partners")
    funds = fig.breakdown("partner_type", p, "funds")
    listed = join_and([f"{label} ({percent(s)})" for label, s in descending(by_type)])
    n = int(by_type.total)
    blocks: list[Block] = [
        Paragraph(
            f"{when_in(p)}, {bureau} signed agreements with {n} different "
            f"partner{'s' if n != 1 else ''} that included {listed}."
        ),
        pair_table(dimension_label("partner_type"), "partners", by_type, funds, "partner_funds"),
    ]
    if funds.total:
        blocks.append(
            Paragraph(
                "The signed financial contributions of these partners were distributed as per "
                "the chart below:"
            )
        )
        title = f"Partners' financial contributions by partner type ({short_label(p)})"
        blocks.append(_pie(funds, f"{period_slug(p)}-funds-by-partner-type", title))
    return blocks


def top_blocks(fig: Figures, p: Period, n: int = 3) -> list[Block]:
    """The funding partners with the largest contributions, in their signed currencies
    (Figures.top; seed §3 table)."""
    rows = fig.top(n, p)
    if not rows:
        return []
    verb = "was" if len(rows) == 1 else "were"
    return [
        Paragraph(f"{top_intro(len(rows))} {when_in(p, lower=True)} {verb}:"),
        Table(
            ("Partner", "Signed financial contribution", "USD equivalent"),
            tuple((r.partner, r.signed, usd(r.value)) for r in rows),
            (False, True, True),
        ),
    ]
