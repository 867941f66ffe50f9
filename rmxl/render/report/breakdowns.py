"""The report's breakdown blocks: membership (with the taxonomy's groups and footnote),
regions and priorities (chart and table), and the year-on-year comparison.

Every number comes from :class:`~rmxl.query.figures.Figures`; this module chooses words,
order and number format (:mod:`rmxl.render.report.words`).
"""

from __future__ import annotations

from rmxl.model import NONE
from rmxl.query.figures import Breakdown, Figures
from rmxl.query.money_words import percent
from rmxl.query.periods import Period
from rmxl.render.labels import dimension_label, measure_label, share_label
from rmxl.render.report.blocks import Block, Chart, Heading, Panel, Paragraph, Series, Table
from rmxl.render.report.words import (
    TOTAL_SHARE,
    comparison_phrase,
    join_and,
    period_slug,
    short_label,
    usd,
    usd_million,
    when_in,
)


def descending(bd: Breakdown, skip: str = "", codes: bool = False) -> list[tuple[str, float]]:
    """``[(label, share)]`` (``codes``: ``[(code, share)]``) of the non-zero buckets (but
    the one coded ``skip``), largest first, ties in taxonomy order (the seed's sentences
    list partner types that way)."""
    rows = zip(bd.buckets, bd.values, bd.shares, strict=True)
    kept = [
        (b.code if codes else b.label, s)
        for b, v, s in rows
        if v and s is not None and b.code != skip
    ]
    return sorted(kept, key=lambda r: -r[1])


def membership_blocks(fig: Figures, p: Period) -> list[Block]:
    """The sentence of the seed's §3 ("Amongst these partners, 19% were ITU ADMIN, …, 12%
    ITU-D Sector Members (7% SIO and 5% ROA), …, as per ITU Membership categories."),
    members only, largest share first, the taxonomy's groups named together (at their
    largest member's place: the seed's order in §3 and §4), with the
    taxonomy's footnote; and the table of every category, non-members included."""
    bd = fig.breakdown("membership", p, "partners")
    members = [f"{percent(s)} {label}" for label, s in membership_items(fig, bd)]
    if members:
        members[0] = members[0].replace("% ", "% were ", 1)
        text = f"Amongst these partners, {join_and(members)}, as per ITU Membership categories."
        note = fig.taxonomy.membership.footnote or ""
    else:
        text, note = "None of these partners is an ITU member.", ""
    rows = tuple((label, f"{v:,}", percent(s, 1)) for label, v, s in bd.rows())
    table = Table(
        (dimension_label("membership"), measure_label("partners"), share_label("partners")),
        (*rows, ("Total", f"{bd.total:,}", TOTAL_SHARE)),
        (False, True, True),
    )
    return [Paragraph(text, note=note), table]


def membership_items(fig: Figures, bd: Breakdown) -> list[tuple[str, float]]:
    """``[(words, share)]`` of the member categories with partners, largest first; the
    categories of a taxonomy group make one item ("ITU-D Sector Members (7% SIO and 5%
    ROA)", or "(SIO)" when one member has partners), placed where its largest member
    would be, whose share is their partners' sum over the total (docs/ledger-format.md,
    taxonomy groups)."""
    counts = {b.code: v for b, v in zip(bd.buckets, bd.values, strict=True)}
    grouped = {c: g for g in fig.taxonomy.membership.groups for c in g.codes}
    items: list[tuple[str, float]] = []
    said: set[str] = set()
    for code, share in descending(bd, skip=NONE, codes=True):
        group = grouped.get(code)
        if group is None:
            items.append((code_label(bd, code), share))
        elif group.label not in said:  # at its largest member's place, as the seed
            said.add(group.label)
            inside = [(c, counts[c] / bd.total) for c in group.codes if counts.get(c)]
            words = inside[0][0]
            if len(inside) > 1:
                words = join_and([f"{percent(sh)} {c}" for c, sh in inside])
            total = sum(counts[c] for c, _ in inside) / bd.total
            items.append((f"{group.label} ({words})", total))
    return items


def code_label(bd: Breakdown, code: str) -> str:
    return next(b.label for b in bd.buckets if b.code == code)


def distribution_blocks(fig: Figures, p: Period, dim: str) -> list[Block]:
    """Regions or thematic priorities by number of agreements and by funds: a sentence,
    a two-panel bar chart of the shares (without the buckets that have neither agreements
    nor funds: the seed's charts leave them out) and a table of values and shares of every
    bucket. Priorities are
    called by the plan's own word (taxonomy ``priorities_term``: "ITU-D priorities")."""
    number = fig.breakdown(dim, p, "agreements")
    funds = fig.breakdown(dim, p, "funds")
    drawn = [i for i, (c, f) in enumerate(zip(number.values, funds.values, strict=True)) if c or f]
    labels = tuple(number.buckets[i].label for i in drawn)
    panels = [
        Panel(
            f"Number of agreements (share of {number.total:,})",
            labels,
            (_share_series("Agreements", number, drawn),),
        )
    ]
    if funds.total:
        title = f"Funds signed (share of {usd_million(funds.total)})"
        panels.append(Panel(title, labels, (_share_series("Funds", funds, drawn),)))
    when = when_in(p, lower=True)
    if dim == "region":
        intro = (
            "The chart below showcases the geographical distribution of the partnership "
            f"agreements signed {when} (in terms of number and funds signed):"
        )
        head, stem = dimension_label("region"), "regions"
    else:
        plans = list(fig.taxonomy.plans_during(p.start, p.end))
        terms = list(dict.fromkeys(pl.priorities_term for pl in plans))
        term = " and ".join(terms)
        intro = (
            f"The {term} of the {join_and([pl.label for pl in plans])} that benefitted from "
            f"the agreements signed {when} (in terms of number and funds signed) were:"
        )
        one = _singular(terms[0]) if len(terms) == 1 else "priority"
        head, stem = one[:1].upper() + one[1:], "priorities"
    what = head if head[:2].isupper() else head[:1].lower() + head[1:]  # ITU-D stays
    chart = Chart(
        "bars",
        f"{period_slug(p)}-{stem}",
        f"Distribution of agreements signed by {what} ({short_label(p)})",
        tuple(panels),
    )
    table = pair_table(head, "agreements", number, funds)
    return [Paragraph(intro), chart, table]


def _singular(term: str) -> str:
    """``ITU-D priorities`` → ``ITU-D priority``; ``thematic priorities`` → ``thematic
    priority`` (English plural of the taxonomy's ``priorities_term``)."""
    if term.endswith("ies"):
        return term[:-3] + "y"
    return term.removesuffix("s")


def pair_table(
    head: str, count: str, number: Breakdown, funds: Breakdown, money: str = "funds"
) -> Table:
    """Per bucket: a count and its share, funds (USD) and their share; then the totals,
    at 100%. Each column says what it counts, in the labels of
    :mod:`rmxl.render.labels` (shared with the workbook): "Share of agreements",
    "Partners' funds (USD)" (``money="partner_funds"``: partner-type funds leave out
    ITU's component) or "Funds (USD)"."""
    rows = tuple(
        (b.label, f"{c:,}", percent(s, 1), usd(f), percent(fs, 1))
        for b, c, s, f, fs in zip(
            number.buckets, number.values, number.shares, funds.values, funds.shares, strict=True
        )
    )
    share_funds = TOTAL_SHARE if funds.total else ""
    total = ("Total", f"{number.total:,}", TOTAL_SHARE, usd(funds.total), share_funds)
    headers = (head, measure_label(count), share_label(count), measure_label(money))
    return Table(
        (*headers, share_label(money)),
        (*rows, total),
        (False, True, True, True, True),
    )


def _share_series(name: str, bd: Breakdown, drawn: list[int]) -> Series:
    return Series(name, tuple(bd.shares[i] or 0.0 for i in drawn), "share")


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
