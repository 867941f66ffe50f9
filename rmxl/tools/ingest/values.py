"""Cell values as teams write them → ledger values (``rmxl import``; docs/records.md).

Each parser takes a cell's Python value (text, number, date…) and returns the ledger
value, or raises :class:`BadValue` whose message says what was found and what is
accepted. Pure functions: no file, no ledger.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from rmxl.tools.ingest.sheet import excel_date


class BadValue(ValueError):
    """A cell that cannot be read as the field asks; ``hint`` says what is accepted."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def fold(text: str) -> str:
    """Text compared case-, accent- and space-insensitively: ``"  Côte  d'Ivoire "`` →
    ``"cote d'ivoire"``."""
    nfkd = unicodedata.normalize("NFKD", str(text))
    bare = "".join(ch for ch in nfkd if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %B, %Y",
)
DAY_FIRST = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y")
MONTH_FIRST = ("%m/%d/%Y", "%m.%d.%Y", "%m-%d-%Y", "%m/%d/%y")
DATE_HINT = "write a date, e.g. 14/03/2022, 14 March 2022 or 2022-03-14"


def parse_date(value: Any, day_first: bool = True) -> dt.date:
    """A date cell: a date or datetime, an Excel serial number (1900 system, 10000 to
    2958465, spec §6), or text in one of :data:`DATE_FORMATS` or, numeric, day first
    (``14/03/2022``; month first with ``day_first=False``)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 10000 <= value <= 2958465 and float(value).is_integer():
            return excel_date(value)
        raise BadValue(f"{value!r} is not a date", DATE_HINT)
    text = " ".join(str(value).replace(",", ", ").split()).replace(" ,", ",")
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    for fmt in DATE_FORMATS + (DAY_FIRST if day_first else MONTH_FIRST):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{4,7}(\.0+)?", text):
        return parse_date(float(text), day_first)
    raise BadValue(f"{str(value)!r} is not a date", DATE_HINT)


SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "FR.": "CHF"}
SCALES = {
    "k": 3,
    "thousand": 3,
    "thousands": 3,
    "m": 6,
    "mn": 6,
    "mio": 6,
    "million": 6,
    "millions": 6,
    "bn": 9,
    "billion": 9,
}
AMOUNT_HINT = "write e.g. 1,000,000, 1000000.50, CHF 2.4 million or USD 500k"
_AMOUNT = re.compile(
    r"^(?P<pre>[A-Za-z$€£¥.]{1,4})?\s*(?P<num>[\d][\d\s',.\u00a0\u202f]*)\s*"
    r"(?P<scale>[A-Za-z]+)?\s*(?P<post>[A-Za-z$€£¥]{3})?$"
)


def parse_amount(value: Any, currencies: frozenset[str]) -> tuple[Decimal, str | None]:
    """An amount cell → ``(amount, currency or None)``: a number, or text such as
    ``1,000,000``, ``1 000 000``, ``1'000'000``, ``2.4 million``, ``CHF 2.4 million``,
    ``USD 500k``, ``$1.6m``, ``2,400,000 CHF``. The currency written in the text is an ISO
    4217 code of ``currencies`` or a symbol ($ € £ ¥). A number cell is read to the 15
    significant digits a spreadsheet shows (``=1.1*3`` → ``3.3``); text is read exactly,
    at any size. Raises :class:`BadValue`."""
    if isinstance(value, bool) or value is None:
        raise BadValue(f"{value!r} is not an amount", AMOUNT_HINT)
    if isinstance(value, int):
        return Decimal(value), None
    if isinstance(value, float):  # a cell's double, as the spreadsheet shows it: 15 digits
        return _exact(Decimal(f"{value:.15g}")), None
    text = " ".join(str(value).split())
    m = _AMOUNT.match(text)
    if not m:
        raise BadValue(f"{text!r} is not an amount", AMOUNT_HINT)
    currency = None
    for part in (m["pre"], m["post"]):
        if part:
            code = SYMBOLS.get(part.upper(), part.upper())
            if code not in currencies or (currency and currency != code):
                raise BadValue(f"{text!r}: {part!r} is not a currency", AMOUNT_HINT)
            currency = code
    scale = 0
    if m["scale"]:
        word = m["scale"].lower()
        if word.upper() in currencies and not m["post"]:
            currency = word.upper()
        elif word in SCALES:
            scale = SCALES[word]
        else:
            raise BadValue(f"{text!r}: {m['scale']!r} is not a currency or a scale", AMOUNT_HINT)
    number = _number(m["num"].strip(), text)
    exact = Context(prec=len(number.as_tuple().digits))  # scaleb rounds to the context
    return _exact(number.scaleb(scale, exact)), currency


def _number(num: str, text: str) -> Decimal:
    """Digits with thousands separators (``,``  ``.`` space ``'``) and a decimal mark.

    A group of thousands never starts with 0, so ``0,923`` is 0.923 (a decimal comma),
    never 923; ``1,5`` and ``1.000,50`` are decimal commas too, ``1,500`` is 1500."""
    s = re.sub(r"[\s'\u00a0\u202f]", "", num)
    if re.fullmatch(r"[1-9]\d{0,2}(,\d{3})+(\.\d+)?", s) or re.fullmatch(r"\d+(\.\d+)?", s):
        s = s.replace(",", "")
    elif (
        re.fullmatch(r"[1-9]\d{0,2}(\.\d{3})+(,\d+)?", s)
        or re.fullmatch(r"\d+,\d{1,2}", s)
        or re.fullmatch(r"0,\d+", s)
    ):
        s = s.replace(".", "").replace(",", ".")
    else:
        raise BadValue(f"{text!r}: {num!r} is not a number", AMOUNT_HINT)
    try:
        return Decimal(s)
    except InvalidOperation as e:
        raise BadValue(f"{text!r} is not an amount", AMOUNT_HINT) from e


def parse_number(text: str) -> Decimal:
    """Text of a plain number as spreadsheets show it (``0.923``, ``1,302.5``, ``0,923``:
    :func:`_number`'s rules), exact. Raises :class:`BadValue`."""
    return _exact(_number(text.strip(), text))


def _exact(d: Decimal) -> Decimal:
    """Without trailing zeros or exponent: ``2.40E+6`` → ``2400000``; exact at any size
    (no rounding to the decimal context's 28 digits: the limits on amounts are checked
    afterwards, on the value as written)."""
    if not d.is_finite():
        raise BadValue(f"{d} is not an amount", AMOUNT_HINT)
    if d == d.to_integral_value():
        return Decimal(int(d))
    return d.normalize(Context(prec=len(d.as_tuple().digits)))


def amount_text(d: Decimal) -> str:
    """A Decimal as YAML writes a number: ``2400000``, ``1234.5``."""
    return format(_exact(d), "f")


def split_cell(value: Any, separators: str) -> list[str]:
    """A cell holding several values (partners, regions…) → its parts, trimmed, empty
    parts dropped; ``separators`` is a regular expression."""
    if value is None:
        return []
    parts = re.split(separators, str(value))
    return [" ".join(p.split()) for p in parts if p and p.strip()]
