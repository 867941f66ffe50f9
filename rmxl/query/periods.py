"""Periods (spec §3): which agreements a figure covers, by their signed date.

Accepted forms, in every interface (CLI, Python, Excel): a year (``2022``, ``2022.0``,
``"2022"``), a month (``2023-04``), a quarter (``2023Q1``, ``2023-Q1``), a half-year
(``2023H1``), a day (``2023-04-30``, or an Excel date cell), and a range ``A..B`` whose
ends take any of those forms at their own granularity. Both ends are inclusive.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rmxl.diagnostics import QueryError

ACCEPTED = "2022, 2023-04, 2023Q1, 2023-Q1, 2023H1, 2023-04-30, 2023-01..2023-04 or an Excel date"

_ONE = re.compile(
    r"^(?P<y>\d{4})(?:\.0+)?$"
    r"|^(?P<my>\d{4})-(?P<m>\d{1,2})$"
    r"|^(?P<qy>\d{4})-?[Qq](?P<q>[1-4])$"
    r"|^(?P<hy>\d{4})-?[Hh](?P<h>[12])$"
    r"|^(?P<dy>\d{4})-(?P<dm>\d{1,2})-(?P<dd>\d{1,2})$"
)


@dataclass(frozen=True, slots=True)
class Period:
    """A closed interval of signed dates, with the text it was written as (canonical)."""

    start: dt.date
    end: dt.date
    text: str

    def __str__(self) -> str:
        return self.text

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _bad(value: Any, why: str = "") -> QueryError:
    if value is None:
        return QueryError("bad-period", f"period is missing; use {ACCEPTED}")
    shown = repr(value) if not isinstance(value, str) else f"'{value}'"
    return QueryError("bad-period", f"period {shown} {why or 'is not a period'}; use {ACCEPTED}")


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _one(text: str) -> tuple[dt.date, dt.date, str]:
    m = _ONE.match(text)
    if not m:
        raise _bad(text)
    try:
        if m["y"]:
            y = int(m["y"])
            return dt.date(y, 1, 1), dt.date(y, 12, 31), str(y)
        if m["my"]:
            y, mo = int(m["my"]), int(m["m"])
            return dt.date(y, mo, 1), _month_end(y, mo), f"{y}-{mo:02d}"
        if m["qy"]:
            y, q = int(m["qy"]), int(m["q"])
            return dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), f"{y}Q{q}"
        if m["hy"]:
            y, h = int(m["hy"]), int(m["h"])
            return dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h), f"{y}H{h}"
        day = dt.date(int(m["dy"]), int(m["dm"]), int(m["dd"]))
        return day, day, day.isoformat()
    except ValueError as e:
        raise _bad(text, f"is not in the calendar ({e})") from None


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Period:
    t = text.strip()
    if ".." in t:
        a, _, b = t.partition("..")
        start, _, ta = _one(a.strip())
        _, end, tb = _one(b.strip())
        if end < start:
            raise _bad(text, "ends before it starts")
        return Period(start, end, f"{ta}..{tb}")
    start, end, canon = _one(t)
    return Period(start, end, canon)


def parse_period(value: Any) -> Period:
    """A :class:`Period` from any accepted form (module doc).

    ``value`` may be a Period, an int or integral float (a year, as Excel sends
    ``2022.0``), a ``str``, a ``datetime.date``/``datetime`` (that day), or a one-item
    list (a one-cell range). Raises :class:`QueryError` (code ``bad-period``) listing the
    accepted forms."""
    if isinstance(value, Period):
        return value
    if isinstance(value, list | tuple) and len(value) == 1:
        return parse_period(value[0])
    if isinstance(value, bool) or value is None:
        raise _bad(value, "is missing" if value is None else "")
    if isinstance(value, dt.datetime):
        day = value.date()
        return Period(day, day, day.isoformat())
    if isinstance(value, dt.date):
        return Period(value, value, value.isoformat())
    if isinstance(value, int | float):
        if value != value or not float(value).is_integer() or not 1000 <= value <= 9999:
            raise _bad(value, "is not a year")
        return _parse_text(str(int(value)))
    if isinstance(value, str):
        return _parse_text(value)
    raise _bad(value)
