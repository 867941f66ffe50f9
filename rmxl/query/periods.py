"""Periods (spec §3): which agreements a figure covers, by their signed date.

Accepted forms, in every interface (CLI, Python, Excel): a year (``2022``, ``2022.0``,
``"2022"``), a month (``2023-04``), a quarter (``2023Q1``, ``2023-Q1``), a half-year
(``2023H1``, ``2023-H1``), a day (``2023-04-30``, an Excel date cell, or an Excel date
serial such as ``45000``), and a range ``A..B`` whose ends take any of those forms at
their own granularity. Both ends are inclusive. Digits are ASCII; ``2023-1`` and
``２０２３`` are errors (spec §6, Periods).
"""

from __future__ import annotations

import calendar
import datetime as dt
import numbers
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from rmxl.diagnostics import QueryError
from rmxl.query.names import preview

ACCEPTED = "2022, 2023-04, 2023Q1, 2023-Q1, 2023H1, 2023-04-30, 2023-01..2023-04 or an Excel date"

_ONE = re.compile(
    r"^(?P<y>[0-9]{4})(?:\.0+)?$"
    r"|^(?P<my>[0-9]{4})-(?P<m>[0-9]{2})$"
    r"|^(?P<qy>[0-9]{4})-?[Qq](?P<q>[1-4])$"
    r"|^(?P<hy>[0-9]{4})-?[Hh](?P<h>[12])$"
    r"|^(?P<dy>[0-9]{4})-(?P<dm>[0-9]{2})-(?P<dd>[0-9]{2})$"
)

SERIALS = (10_000, 2_958_465)
"""Whole numbers in this range are Excel date serials (1900 date system): 10000 is
1927-05-18, 2958465 is 9999-12-31 (spec §6, Periods)."""
_EPOCH = dt.date(1899, 12, 30)  # serial 0 after Excel's fictitious 1900-02-29


@dataclass(frozen=True, slots=True)
class Period:
    """A closed interval of signed dates, with the text it was written as (canonical)."""

    start: dt.date
    end: dt.date
    text: str

    def __str__(self) -> str:
        return self.text


def real(value: Any) -> int | float | None:
    """``value`` as a Python number if it is a real number of any type — ``int``,
    ``float``, numpy's ``int64``/``float64`` (:class:`numbers.Real`), :class:`Decimal` —
    else None (``bool`` is no number here, nor is text). A whole one is an ``int`` (a
    whole Decimal exactly), any other a ``float``. The one rule for the numbers the RM_
    functions take (a period, RM_TOP's n)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return None


def _bad(value: Any, why: str = "") -> QueryError:
    if value is None:
        return QueryError("bad-period", f"period is missing; use {ACCEPTED}")
    return QueryError(
        "bad-period", f"period {preview(value)} {why or 'is not a period'}; use {ACCEPTED}"
    )


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

    ``value`` may be a Period, a whole number of any real type (:func:`real`: ``int``,
    ``float``, numpy's, ``Decimal``; a year, as Excel sends ``2022.0``), a ``str``, a
    ``datetime.date``/``datetime`` (that day), or a one-item list (a one-cell range).
    Raises :class:`QueryError` (code ``bad-period``) listing the accepted forms."""
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
        return _number(value)
    if isinstance(value, str):
        if len(value) > 100:
            raise _bad(value)
        return _parse_text(value)
    number = real(value)
    if number is not None:
        return _number(number)
    raise _bad(value)


@lru_cache(maxsize=4096, typed=True)
def _number(value: int | float) -> Period:
    """A whole number: a year (1000–9999) or an Excel date serial (:data:`SERIALS`)."""
    if isinstance(value, float) and not (value == value and abs(value) < 1e12):
        raise _bad(value, "is not a year or an Excel date")
    if isinstance(value, int) and abs(value) >= 10**12:
        raise _bad(value, "is not a year or an Excel date")
    if not float(value).is_integer():
        raise _bad(value, "is not a year")
    n = int(value)
    if 1000 <= n <= 9999:
        return _parse_text(str(n))
    if SERIALS[0] <= n <= SERIALS[1]:
        day = _EPOCH + dt.timedelta(days=n)
        return Period(day, day, day.isoformat())
    raise _bad(value, "is not a year (1000–9999) or an Excel date (10000–2958465)")
