"""Words of the report: how a period, a count, an amount and a list are said (the seed
report's style).

Pure functions of a :class:`~rmxl.query.periods.Period` or plain values; no figure here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from rmxl.query.money_words import around_usd
from rmxl.query.periods import Period

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _is_year(p: Period) -> bool:
    return (
        p.start.year == p.end.year
        and (p.start.month, p.start.day) == (1, 1)
        and (p.end.month, p.end.day) == (12, 31)
    )


def _whole_months(p: Period) -> bool:
    last = calendar.monthrange(p.end.year, p.end.month)[1]
    return p.start.day == 1 and p.end.day == last


def _day(d: dt.date, year: bool = True) -> str:
    text = f"{d.day} {calendar.month_name[d.month]}"
    return f"{text} {d.year}" if year else text


def when_in(p: Period, lower: bool = False) -> str:
    """``In 2022``, ``In April 2023``, ``On 30 April 2023``, ``From 1 January to 30 April
    2023``; with ``lower``, the phrase used mid-sentence: ``in 2022``, ``between 1 January
    and 30 April 2023`` (seed §3 and §4 headings and sentences)."""
    if _is_year(p):
        text = f"In {p.start.year}"
    elif p.start == p.end:
        text = f"On {_day(p.start)}"
    elif _whole_months(p) and (p.start.year, p.start.month) == (p.end.year, p.end.month):
        text = f"In {calendar.month_name[p.start.month]} {p.start.year}"
    else:
        same = p.start.year == p.end.year
        a, b = _day(p.start, year=not same), _day(p.end)
        text = f"between {a} and {b}" if lower else f"From {a} to {b}"
        return text
    return text[0].lower() + text[1:] if lower else text


def short_label(p: Period) -> str:
    """A period as a chart or table label: ``2022``, ``Jan-Apr 2023``, ``Apr 2023``, or
    ``1 Jan. 2023 - 15 Mar. 2023`` when it does not run over whole months."""
    if _is_year(p):
        return str(p.start.year)
    if _whole_months(p):
        a, b = calendar.month_abbr[p.start.month], calendar.month_abbr[p.end.month]
        if p.start.year == p.end.year:
            return f"{a} {p.start.year}" if a == b else f"{a}-{b} {p.start.year}"
        return f"{a} {p.start.year}-{b} {p.end.year}"
    if p.start == p.end:
        return p.start.isoformat()
    return f"{p.start.isoformat()} - {p.end.isoformat()}"


def comparison_phrase(first: Period, second: Period) -> str:
    """``the period 1 January – 30 April in both 2022 and 2023`` when the two periods are
    the same days of two years (seed §4), else ``the periods … and …``."""
    shift = second.start.year - first.start.year
    same_days = (
        shift
        and first.start.year == first.end.year
        and second.start.year == second.end.year
        and (first.start.month, first.start.day) == (second.start.month, second.start.day)
        and (first.end.month, first.end.day) == (second.end.month, second.end.day)
    )
    if same_days:
        span = f"{_day(first.start, False)} – {_day(first.end, False)}"
        return f"the period {span} in both {first.start.year} and {second.start.year}"
    return f"the periods {short_label(first)} and {short_label(second)}"


def period_slug(p: Period) -> str:
    """A period as a file-name part: ``2022``, ``2023-01-to-2023-04``."""
    return re.sub(r"[^0-9A-Za-z-]+", "-", p.text.replace("..", "-to-")).strip("-")


def agreements_word(n: int) -> str:
    """``71 agreements``, ``1 agreement``."""
    return f"{n:,} agreement{'s' if n != 1 else ''}"


def join_and(items: list[str]) -> str:
    """``a, b and c`` (the report's lists have no serial comma)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def top_intro(n: int) -> str:
    """``The three funding partners with the largest financial contributions`` (seed
    §3), ``The funding partner with the largest financial contribution`` for one."""
    if n == 1:
        return "The funding partner with the largest financial contribution"
    word = _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else f"{n:,}"
    return f"The {word} funding partners with the largest financial contributions"


def usd(value: float) -> str:
    """Whole US dollars with thousands separators (``9,669,771``), as the seed prints
    amounts; the cents stay in the ledger and the workbook."""
    return f"{value:,.0f}"


def usd_million(value: float) -> str:
    """``USD 9.7 million`` (one decimal, the headline's rounding; chart titles use it so
    a chart never says 9.67 beside a text saying 9.7)."""
    return around_usd(value).removeprefix("around ")


TOTAL_SHARE = "100.0%"
"""The share printed on a Total row (of a table whose shares are of that total)."""
