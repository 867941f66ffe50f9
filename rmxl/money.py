"""Money: the limits of an amount, a rate and a ledger's funds, and exact conversion to cents.

Spec §6 ("Vocabularies and money"): amounts and rates are exact decimals, every sum is
exact whatever its size, and an amount or rate that ``rmxl validate`` accepts never makes
a later command fail. rmxl keeps that promise with limits checked by validation
(:mod:`rmxl.validate.checks`, :mod:`rmxl.validate.money`) and one exact conversion used by
validation and compilation alike (:func:`usd_cents`). The limits, and why
(docs/semantics.md, "Money"):

- an amount is a positive decimal of at most :data:`MAX_DIGITS` significant digits, at
  most :data:`MAX_AMOUNT` and with at most :data:`MAX_DECIMALS` decimals: a spreadsheet
  cell holds 15 digits, and no currency has a smaller unit than 1/10,000 (ISO 4217);
- a rate (currency units per USD) is a positive decimal of at most 15 significant digits
  from :data:`MIN_RATE` to :data:`MAX_RATE` (gold, XAU, is about 0.0005; the weakest
  currencies some 10^5);
- a ledger's contributions total less than :data:`MAX_FUNDS_CENTS` cents (USD 10^13, ten
  trillion), so that every figure — a sum of some of them — is an exact integer number of
  cents in int64 and prints to the cent in 15 digits, as a float, in JSON and in Excel.

Pure functions; no pandas.
"""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")
"""One cent, the unit every USD value is rounded to."""
MAX_DIGITS = 15
"""Most significant digits of an amount or a rate (what a spreadsheet cell holds)."""
MAX_AMOUNT = Decimal(10) ** 15
"""Largest amount, in its currency's units."""
MAX_DECIMALS = 4
"""Most decimals of an amount (ISO 4217 minor units go to 4)."""
MIN_RATE = Decimal("1e-6")
MAX_RATE = Decimal("1e9")
"""Smallest and largest rate of exchange, currency units per USD."""
MAX_FUNDS_CENTS = 10**15
"""A ledger's contributions total less than this, in cents (USD 10,000,000,000,000)."""
MAX_FUNDS_TEXT = "USD 10,000,000,000,000 (10^13)"


def _shape(value: Decimal) -> tuple[str, int]:
    """The significant digits of a finite decimal, trailing zeros dropped, and the
    exponent of its last one (no context arithmetic: any exponent is safe)."""
    t = value.as_tuple()
    text = "".join(map(str, t.digits)).lstrip("0")
    stripped = text.rstrip("0")
    exp = t.exponent if isinstance(t.exponent, int) else 0
    return stripped, exp + len(text) - len(stripped)


def digits(value: Decimal) -> int:
    """Significant digits of a finite decimal (``1_000`` → 1, ``0.921`` → 3)."""
    return len(_shape(value)[0])


def decimals(value: Decimal) -> int:
    """Decimals of a finite decimal, trailing zeros ignored (``2.50`` → 1)."""
    return max(0, -_shape(value)[1])


def amount_problem(value: Decimal) -> str:
    """Why ``value`` (positive, finite) cannot be an amount, or ``""``."""
    if value > MAX_AMOUNT:
        return "is implausibly large: amounts above 10^15 are refused"
    if decimals(value) > MAX_DECIMALS:
        return f"has more than {MAX_DECIMALS} decimals: round it to the currency's smallest unit"
    if digits(value) > MAX_DIGITS:
        return f"has more than {MAX_DIGITS} significant digits (a spreadsheet cell holds 15)"
    return ""


def rate_problem(value: Decimal) -> str:
    """Why ``value`` (positive, finite) cannot be a rate of exchange, or ``""``."""
    if not MIN_RATE <= value <= MAX_RATE:
        return "is out of range: a rate is between 0.000001 and 1,000,000,000 units per USD"
    if digits(value) > MAX_DIGITS:
        return f"has more than {MAX_DIGITS} significant digits (a spreadsheet cell holds 15)"
    return ""


def usd_cents(amount: Decimal, rate: Decimal) -> int:
    """USD value of ``amount`` at ``rate`` (currency units per USD), in whole cents,
    rounded half to even (spec §2 rates; the rounding is rmxl's, docs/semantics.md).

    Computed with integers, so the result is exact for any size of amount and rate (a
    decimal division would round twice: to its precision, then to the cent)."""
    a_num, a_den = amount.as_integer_ratio()
    r_num, r_den = rate.as_integer_ratio()
    num, den = a_num * r_den * 100, a_den * r_num
    q, r = divmod(num, den)
    if 2 * r > den or (2 * r == den and q % 2):
        q += 1
    return q


def usd_text(cents: int) -> str:
    """``USD 1,234,567.89`` for an integer number of cents."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}USD {whole:,}.{part:02d}"
