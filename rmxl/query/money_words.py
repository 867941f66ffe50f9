"""Number words in the report's style: ``CHF 2.4 million``, ``around USD 9.7 million``.

Pure functions, used by the query stage (RM_TOP's ``signed`` column) and the renderers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal


def millions(amount: Decimal | float, currency: str) -> str:
    """An amount as the report prints it: ``CHF 2.4 million``, ``EUR 0.9 million``,
    ``EUR 3 million``; below 100,000 in full (``USD 15,000``). Millions keep up to two
    decimals, trailing zeros dropped (``USD 1.25 million``)."""
    a = Decimal(str(amount))
    if abs(a) >= 100_000:
        text = f"{a / 1_000_000:.2f}".rstrip("0").rstrip(".")
        return f"{currency} {text} million"
    text = f"{a:,.2f}".removesuffix(".00")
    return f"{currency} {text}"


def signed_amounts(rows: Iterable[tuple[str, Decimal, int]]) -> str:
    """``(currency, amount, usd_cents)`` rows → amounts summed per currency, largest USD
    first, joined with `` + `` (``"CHF 2.4 million + USD 50,000"``); ``""`` if none."""
    amount: dict[str, Decimal] = defaultdict(Decimal)
    usd: dict[str, int] = defaultdict(int)
    for cur, a, cents in rows:
        amount[cur] += a
        usd[cur] += int(cents)
    order = sorted(amount, key=lambda c: (-usd[c], c))
    return " + ".join(millions(amount[c], c) for c in order)


def around_usd(usd: float) -> str:
    """``around USD 9.7 million`` (one decimal, as the report's headline)."""
    if abs(usd) >= 100_000:
        return f"around USD {usd / 1_000_000:.1f} million"
    return f"around USD {usd:,.0f}"


def percent(share: float | None, digits: int = 0) -> str:
    """A fraction 0–1 as ``42%`` (or with ``digits`` decimals); ``""`` for None."""
    return "" if share is None else f"{share * 100:.{digits}f}%"
