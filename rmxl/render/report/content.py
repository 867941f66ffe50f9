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

from dataclasses import dataclass, field, replace
from typing import Literal

from rmxl.diagnostics import QueryError
from rmxl.model import NONE, ActionPlan
from rmxl.query.figures import Breakdown, Figures
from rmxl.query.money_words import around_usd, millions, percent
from rmxl.query.periods import Period, parse_period
from rmxl.render.report.words import (
    agreements_word,
    comparison_phrase,
    join_and,
    period_slug,
    short_label,
    top_intro,
    when_in,
)

Unit = Literal["share", "count", "usd_million"]
"""How a chart series' values are drawn and labelled: a fraction 0–1 (``75.6%``), a count
(``33``) or USD millions (``3.43``)."""


@dataclass(frozen=True, slots=True)
class Series:
    """One series of a chart: a value per category, in ``unit``."""

    name: str
    values: tuple[float, ...]
    unit: Unit


@dataclass(frozen=True, slots=True)
class Panel:
    """One plot of a chart: categories (in row order) and one or more series."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart to draw (:mod:`rmxl.render.charts`): ``pie`` (one panel, one share series),
    ``bars`` (horizontal, panels side by side) or ``columns`` (vertical, clustered).
    ``name`` is the file stem (``2022-funds-by-partner-type``; without the period in a
    one-period report)."""

    kind: Literal["pie", "bars", "columns"]
    name: str
    title: str
    panels: tuple[Panel, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table of formatted cells; ``numeric[i]`` right-aligns column ``i``."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]


Block = Heading | Paragraph | Table | Chart


@dataclass(frozen=True, slots=True)
class Report:
    """The report: a title and its blocks, in reading order."""

    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]


def usd(value: float) -> str:
    """USD to the cent, as compiled, with thousands separators (``9,669,771.00``)."""
    return f"{value:,.2f}"


def build_report(
    fig: Figures, periods: list[str], compare: str | None = None, bureau: str = "BDT"
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
    return Report(title, tuple(blocks))


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


def descending(bd: Breakdown, skip: str = "") -> list[tuple[str, float]]:
    """``[(label, share)]`` of the non-zero buckets (but the one coded ``skip``), largest
    first, ties in taxonomy order (the seed's sentences list partner types that way)."""
    rows = zip(bd.buckets, bd.values, bd.shares, strict=True)
    kept = [(b.label, s) for b, v, s in rows if v and s is not None and b.code != skip]
    return sorted(kept, key=lambda r: -r[1])


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
            ("Component", "USD", "Share"),
            (*rows, ("Total", usd(bd.total), "")),
            (False, True, True),
        ),
        _pie(bd, f"{period_slug(p)}-cofinancing", f"Co-financing arrangements ({short_label(p)})"),
    ]


def _cols(bd: Breakdown) -> tuple[list[str], list[float], list[float | None]]:
    return [b.label for b in bd.buckets], list(bd.values), list(bd.shares)


def _pie(bd: Breakdown, name: str, title: str) -> Chart:
    labels, _, shares = _cols(bd)
    values = tuple(s or 0.0 for s in shares)
    return Chart(
        "pie", name, title, (Panel("", tuple(labels), (Series("share", values, "share"),)),)
    )


def partner_blocks(fig: Figures, p: Period, bureau: str) -> list[Block]:
    """Partners by type (count and shares, descending) and by membership category, the
    table of both measures by partner type, and the pie of partner funds by type."""
    by_type = fig.breakdown("partner_type", p, "partners")
    funds = fig.breakdown("partner_type", p, "funds")
    listed = join_and([f"{label} ({percent(s)})" for label, s in descending(by_type)])
    n = int(by_type.total)
    blocks: list[Block] = [
        Paragraph(
            f"{when_in(p)}, {bureau} signed agreements with {n} different "
            f"partner{'s' if n != 1 else ''} that included {listed}."
        ),
        _pair_table("Partner type", "Partners", by_type, funds),
    ]
    if funds.total:
        blocks.append(
            Paragraph(
                "The signed financial contributions of these partners were distributed as per "
                "the chart below:"
            )
        )
        title = f"Partners' financial contributions per type ({short_label(p)})"
        blocks.append(_pie(funds, f"{period_slug(p)}-funds-by-partner-type", title))
    blocks.extend(membership_blocks(fig, p))
    return blocks


def membership_blocks(fig: Figures, p: Period) -> list[Block]:
    """The sentence of the seed's §3 ("Amongst these partners, 19% were ITU ADMIN, 8% ITU
    ADMIN RELATED, …, as per ITU Membership categories."), members only, largest share
    first; and the table of every category, non-members included."""
    bd = fig.breakdown("membership", p, "partners")
    members = [f"{percent(s)} {label}" for label, s in descending(bd, skip=NONE)]
    if members:
        members[0] = members[0].replace("% ", "% were ", 1)
        text = f"Amongst these partners, {join_and(members)}, as per ITU Membership categories."
    else:
        text = "None of these partners is an ITU member."
    table = Table(
        ("Membership category", "Partners", "Share"),
        tuple((label, f"{v:,}", percent(s, 1)) for label, v, s in bd.rows()),
        (False, True, True),
    )
    return [Paragraph(text), table]


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


def distribution_blocks(fig: Figures, p: Period, dim: str) -> list[Block]:
    """Regions or thematic priorities by number of agreements and by funds: a sentence,
    a two-panel bar chart of the shares and a table of values and shares."""
    number = fig.breakdown(dim, p, "agreements")
    funds = fig.breakdown(dim, p, "funds")
    labels = tuple(b.label for b in number.buckets)
    panels = [
        Panel(
            f"Number of agreements (share of {number.total:,})",
            labels,
            (_share_series("Agreements", number),),
        )
    ]
    if funds.total:
        title = f"Funds signed (share of {millions(funds.total, 'USD')})"
        panels.append(Panel(title, labels, (_share_series("Funds", funds),)))
    if dim == "region":
        intro = (
            "The chart below showcases the geographical distribution of the partnership "
            f"agreements signed {when_in(p, lower=True)} (in terms of number and funds signed):"
        )
        title, head, stem = "Distribution of agreements signed per regions", "Region", "regions"
    else:
        plans = join_and([pl.label for pl in fig.taxonomy.action_plans if _overlaps(pl, p)])
        intro = (
            f"The thematic priorities of the {plans} that benefitted from the agreements "
            f"signed {when_in(p, lower=True)} (in terms of number and funds signed) were:"
        )
        title, head, stem = (
            "Distribution of agreements signed per thematic priorities",
            "Thematic priority",
            "priorities",
        )
    chart = Chart("bars", f"{period_slug(p)}-{stem}", f"{title} ({short_label(p)})", tuple(panels))
    table = _pair_table(head, "Agreements", number, funds)
    return [Paragraph(intro), chart, table]


def _pair_table(head: str, count_name: str, number: Breakdown, funds: Breakdown) -> Table:
    """Per bucket: a count and its share, funds (USD) and their share; then the totals."""
    rows = tuple(
        (b.label, f"{c:,}", percent(s, 1), usd(f), percent(fs, 1))
        for b, c, s, f, fs in zip(
            number.buckets, number.values, number.shares, funds.values, funds.shares, strict=True
        )
    )
    total = ("Total", f"{number.total:,}", "", usd(funds.total), "")
    return Table(
        (head, count_name, "Share", "Funds (USD)", "Share"),
        (*rows, total),
        (False, True, True, True, True),
    )


def _overlaps(plan: ActionPlan, p: Period) -> bool:
    return plan.start <= p.end and (plan.end is None or plan.end >= p.start)


def _share_series(name: str, bd: Breakdown) -> Series:
    return Series(name, tuple(s or 0.0 for s in bd.shares), "share")


COMPARED = (
    ("Partners", "Partner funds", "partner_funds"),
    ("ITU", "ITU funds", "itu_funds"),
    ("Total", "Total funds", "funds"),
)
"""The comparison's funds: chart label, table label, measure (seed §4 charts)."""


def comparison_section(fig: Figures, p: Period, other: Period) -> list[Block]:
    """Agreements, partner funds, ITU funds and total funds of two periods, earlier first
    (the seed's comparison charts: 3.43/0.46/3.89 vs 5.32/0.09/5.41 USD million)."""
    both = sorted([p, other], key=lambda q: (q.start, q.end))
    names = tuple(short_label(q) for q in both)
    count = [int(fig.total(q, "agreements")) for q in both]
    million = [[fig.total(q, m) / 1_000_000 for *_, m in COMPARED] for q in both]
    rows = [("Number of agreements", *(f"{c:,}" for c in count))]
    rows += [
        (f"{label} (USD million)", *(f"{m[i]:,.2f}" for m in million))
        for i, (_, label, _) in enumerate(COMPARED)
    ]
    agreements = Panel(
        "Number of agreements signed",
        ("Agreements",),
        tuple(Series(nm, (float(c),), "count") for nm, c in zip(names, count, strict=True)),
    )
    funds = Panel(
        "Funds signed (USD million)",
        tuple(short for short, *_ in COMPARED),
        tuple(Series(nm, tuple(m), "usd_million") for nm, m in zip(names, million, strict=True)),
    )
    return [
        Heading(f"Comparison: {names[0]} and {names[1]}", 3),
        Paragraph(
            "The charts below present a comparison in terms of number of agreements and funds "
            f"signed for {comparison_phrase(both[0], both[1])}:"
        ),
        Chart("columns", "comparison", f"{names[0]} compared with {names[1]}", (agreements, funds)),
        Table(("", *names), tuple(rows), (False, True, True)),
    ]
