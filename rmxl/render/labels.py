"""The words a reader sees for rmxl's field codes: measures, dimensions, column headers,
flags and periods — one home for the workbook (``rmxl build``) and the report
(``rmxl report``), so both say "Partners' funds (USD)" where the spec (§3) says
``partner_funds``.

Field codes stay where a machine reads them: RM_ formulas take ``"partner_funds"``,
``rmxl eval`` prints them, and the workbook keeps them in hidden helper columns. Pure
functions of codes and :class:`~rmxl.query.periods.Period`; no figure here (issue 11).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from rmxl.query.periods import Period

MEASURE_LABELS: dict[str, str] = {
    "agreements": "Agreements",
    "funded_agreements": "Funded agreements",
    "partners": "Partners",
    "funds": "Funds (USD)",
    "partner_funds": "Partners' funds (USD)",
    "itu_funds": "ITU funds (USD)",
}
"""Measure (spec §3) → row or column label; money measures name their unit."""

MEASURE_NOUNS: dict[str, str] = {
    "agreements": "agreements",
    "funded_agreements": "funded agreements",
    "partners": "partners",
    "funds": "funds",
    "partner_funds": "partners' funds",
    "itu_funds": "ITU funds",
}
"""Measure → the noun used mid-sentence and in "Share of …" headers."""

DIMENSION_LABELS: dict[str, str] = {
    "region": "Region",
    "priority": "Thematic priority",
    "partner_type": "Partner type",
    "membership": "Membership category",
    "partner": "Partner",
    "country": "Country",
    "currency": "Currency",
}
"""Dimension (spec §3) → the header of its bucket column."""

COLUMN_LABELS: dict[str, str] = {
    "agreement": "Agreement",
    "title": "Title",
    "signed": "Signed",
    "plan": "Action plan",
    "regions": "Regions",
    "priorities": "Priorities",
    "partners": "Partners",
    "funded": "Funded",
    "reference": "Reference",
    "source": "Source",
    "by": "Contributed by",
    "itu": "ITU",
    "amount": "Amount",
    "rate": "Rate (per USD)",
    "rate_date": "Rate date",
    "usd": "USD",
    "name": "Name",
    "effective": "Effective",
    "partner_id": "Partner id",
    "plan_code": "Plan code",
    **DIMENSION_LABELS,
}
"""Field of the compiled tables → column header (the data sheets of the workbook)."""

YES, NO = "Yes", "No"
"""How a flag (``funded``, ``itu``) is shown: never 1/0."""

_MONTHS = [calendar.month_abbr[m] for m in range(13)]
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")
_HALF = re.compile(r"^\d{4}H[12]$")


def measure_label(measure: str) -> str:
    """``"partner_funds"`` → ``"Partners' funds (USD)"``; an unknown code is returned as is."""
    return MEASURE_LABELS.get(measure, measure)


def share_label(measure: str) -> str:
    """The header of a measure's share column: ``"Share of partners' funds"``."""
    return f"Share of {MEASURE_NOUNS.get(measure, measure)}"


def dimension_label(dim: str) -> str:
    """``"partner_type"`` → ``"Partner type"``."""
    return DIMENSION_LABELS.get(dim, dim)


def column_label(field: str) -> str:
    """A data-table field or measure → its header (``"rate_date"`` → ``"Rate date"``,
    ``"itu_funds"`` → ``"ITU funds (USD)"``)."""
    return COLUMN_LABELS.get(field) or MEASURE_LABELS.get(field, field)


def flag(value: object) -> str:
    """A true/false flag as a reader says it: ``"Yes"`` or ``"No"``."""
    return YES if value else NO


def day_label(d: dt.date, year: bool = True) -> str:
    """``30 Apr 2023`` (``30 Apr`` without the year)."""
    text = f"{d.day} {_MONTHS[d.month]}"
    return f"{text} {d.year}" if year else text


def _month_end(d: dt.date) -> bool:
    return (d + dt.timedelta(days=1)).day == 1


def period_label(p: Period) -> str:
    """A period as a reader says it (spec §3 Periods for the forms):

    - a calendar year: ``2022``;
    - 1 January to a day before 31 December of the same year — a year so far, the
      default build's latest year: ``2023 to 30 Apr`` (never ``2023``);
    - a quarter or half written as such: ``Q1 2023``, ``H1 2023``;
    - whole months: ``Apr 2023``, ``Feb–Apr 2023``, ``Nov 2022–Feb 2023``;
    - one day: ``30 Apr 2023``; any other span: ``5 Jan–10 Feb 2023``."""
    a, b = p.start, p.end
    same_year = a.year == b.year
    if same_year and (a.month, a.day) == (1, 1):
        if (b.month, b.day) == (12, 31):
            return str(a.year)
        if not (_QUARTER.match(p.text) or _HALF.match(p.text)):
            return f"{a.year} to {day_label(b, year=False)}"
    if _QUARTER.match(p.text) or _HALF.match(p.text):
        return f"{p.text[4:]} {p.text[:4]}"
    if a == b:
        return day_label(a)
    if a.day == 1 and _month_end(b):
        if same_year:
            if a.month == b.month:
                return f"{_MONTHS[a.month]} {a.year}"
            return f"{_MONTHS[a.month]}–{_MONTHS[b.month]} {a.year}"
        return f"{_MONTHS[a.month]} {a.year}–{_MONTHS[b.month]} {b.year}"
    if same_year:
        return f"{day_label(a, year=False)}–{day_label(b)}"
    return f"{day_label(a)}–{day_label(b)}"


def typed_period_label(p: Period) -> str:
    """:func:`period_label` with plain hyphens for the en dashes, as a person types it
    (sheet names, file names): ``Feb-Apr 2023``."""
    return period_label(p).replace("–", "-")
