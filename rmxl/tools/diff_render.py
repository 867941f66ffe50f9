"""Render a :class:`~rmxl.tools.diff.LedgerDiff` as terminal text or as Markdown for a pull
request comment or a GitHub job summary. Figures are shown as ``Figures`` gave them."""

from __future__ import annotations

from rmxl.query.money_words import percent
from rmxl.query.names import MONEY
from rmxl.render.escape import markdown_cell as _md_cell
from rmxl.tools.diff import Change, Effect, LedgerDiff

_SIGN = {"added": "+", "removed": "-", "changed": "~"}
_TITLE = {
    "agreements": "Agreements",
    "partners": "Partners",
    "rates": "Operational rates of exchange",
    "taxonomy": "Taxonomy (codes and labels)",
}


def _value(measure: str, v: float | int) -> str:
    return f"{v:,.2f}" if measure in MONEY else f"{v:,}"


def _delta(measure: str, old: float | int, new: float | int) -> str:
    d = new - old
    if not d:
        return "±0"
    return ("+" if d > 0 else "-") + _value(measure, abs(d))


def _counts(changes: list[Change]) -> str:
    n = {k: sum(c.kind == k for c in changes) for k in ("added", "removed", "changed")}
    return ", ".join(f"{v} {k}" for k, v in n.items() if v)


def _headline(d: LedgerDiff) -> str:
    return f"Ledger changes from {d.old} to {d.new}"


def text(d: LedgerDiff) -> str:
    """Plain text: each section's changes, then each affected year's figures."""
    out = [_headline(d), ""]
    if d.empty():
        return "\n".join([*out, "No change to agreements, partners, rates or taxonomy.", ""])
    for name in ("agreements", "partners", "rates", "taxonomy"):
        changes: list[Change] = getattr(d, name)
        if not changes:
            continue
        out.append(f"{_TITLE[name]}: {_counts(changes)}")
        for c in changes:
            out.append(f"  {_SIGN[c.kind]} {c.id}  {c.summary}")
            out += [f"      {f}: {a} → {b}" for f, a, b in c.fields]
        out.append("")
    for e in d.effects:
        out += _text_effect(e)
    return "\n".join(out).rstrip() + "\n"


def _unchanged(e: Effect) -> bool:
    return not e.moved()


def _text_effect(e: Effect) -> list[str]:
    if _unchanged(e):
        return [f"Figures of {e.period}: unchanged", ""]
    out = [f"Figures of {e.period} (before → after)"]
    for m, a, b in e.totals:
        out.append(f"  {m:18} {_value(m, a):>18} → {_value(m, b):>18}  ({_delta(m, a, b)})")
    for s in e.shares:
        out.append(
            f"  share of {s.measure} by {s.dimension.replace('_', ' ')}, {s.bucket}: "
            f"{percent(s.old, 2)} → {percent(s.new, 2)}"
        )
    return [*out, ""]


def markdown(d: LedgerDiff) -> str:
    """GitHub-flavoured Markdown: a heading, one table per kind of record, one table of
    figures per affected year."""
    out = [f"### {_headline(d)}", ""]
    if d.empty():
        return "\n".join([*out, "No change to agreements, partners, rates or taxonomy.", ""])
    for name in ("agreements", "partners", "rates", "taxonomy"):
        changes: list[Change] = getattr(d, name)
        if not changes:
            continue
        out += [f"**{_TITLE[name]}**: {_counts(changes)}", "", "| | id | what |", "|---|---|---|"]
        for c in changes:
            what = "<br>".join(f"{f}: {_md_cell(a)} → {_md_cell(b)}" for f, a, b in c.fields)
            out.append(f"| {_SIGN[c.kind]} | `{_md_cell(c.id)}` | {what or _md_cell(c.summary)} |")
        out.append("")
    for e in d.effects:
        if _unchanged(e):
            out += [f"**Figures of {e.period}**: unchanged", ""]
            continue
        out += [f"**Figures of {e.period}**", "", "| measure | before | after | change |"]
        out.append("|---|--:|--:|--:|")
        for m, a, b in e.totals:
            out.append(f"| {m} | {_value(m, a)} | {_value(m, b)} | {_delta(m, a, b)} |")
        if e.shares:
            out += ["", "| share moved | bucket | before | after |", "|---|---|--:|--:|"]
            for s in e.shares:
                dim = f"{s.measure} by {s.dimension.replace('_', ' ')}"
                out.append(
                    f"| {dim} | {_md_cell(s.bucket)} | {percent(s.old, 2)} | {percent(s.new, 2)} |"
                )
        out.append("")
    return "\n".join(out)
