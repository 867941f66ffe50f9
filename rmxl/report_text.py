"""Render a period's figures as terminal tables (``rmxl report``). No figure is computed
here: every number comes from :class:`~rmxl.query.Figures`."""

from __future__ import annotations

from .errors import QueryError
from .formats import around_usd, percent
from .names import MONEY
from .query import Figures

SECTIONS = [
    ("partner_type", "partners"),
    ("partner_type", "funds"),
    ("membership", "partners"),
    ("region", "agreements"),
    ("region", "funds"),
    ("priority", "agreements"),
    ("priority", "funds"),
]


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(headers), rule, *(fmt(r) for r in rows)])


def _value(measure: str, v: float | int) -> str:
    return f"{v:,.2f}" if measure in MONEY else f"{v:,}"


def text_report(fig: Figures, period: str) -> str:
    """Headline figures, top partners and the breakdowns of :data:`SECTIONS`."""
    sel = fig.select(period)
    p = sel.period
    n = fig.total(p, "agreements")
    head = [
        f"Period {p} ({p.start} to {p.end})",
        "",
        f"Agreements           {n:>16,}",
        f"Funded agreements    {fig.total(p, 'funded_agreements'):>16,}",
        f"Distinct partners    {fig.total(p, 'partners'):>16,}",
        f"Funds (USD)          {fig.total(p, 'funds'):>16,.2f}   "
        f"{around_usd(fig.total(p, 'funds'))}",
        f"  partners (USD)     {fig.total(p, 'partner_funds'):>16,.2f}",
        f"  ITU (USD)          {fig.total(p, 'itu_funds'):>16,.2f}",
    ]
    if not n:
        return "\n".join([*head, "", "(no agreements signed in this period)"])
    parts = ["\n".join(head)]
    top = fig.top(3, p)
    if top:
        parts.append(
            "Top partners by signed contribution\n"
            + _table(
                ["partner", "USD", "signed"],
                [[r.partner, f"{r.value:,.2f}", r.signed] for r in top],
                {1},
            )
        )
    for dim, measure in SECTIONS:
        try:
            bd = fig.breakdown(dim, p, measure)
        except QueryError as e:
            parts.append(f"{dim} by {measure}: {e}")
            continue
        rows = [[label, _value(measure, v), percent(s, 1)] for label, v, s in bd.rows()]
        rows.append(["Total", _value(measure, bd.total), ""])
        parts.append(
            f"{measure} by {dim.replace('_', ' ')}\n"
            + _table(["bucket", measure, "share"], rows, {1, 2})
        )
    return "\n\n".join(parts)
