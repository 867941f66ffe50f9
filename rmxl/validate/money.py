"""Money checks: an amount worth less than a cent, the funds limit (spec §6), and the
warnings about rates that jump and amounts far above all others (docs/semantics.md,
"Validation"); and the rate lookups they share (:func:`rate_finder`).

- ``funds-too-large`` (error): the contributions total :data:`rmxl.money.MAX_FUNDS_CENTS`
  or more, so a figure could not be exact to the cent in 15 digits.
- ``rate-jump`` (warning): from one entry of a currency to the next (by date) the rate
  moves by more than half (:data:`JUMP`), or moves by more than :data:`INVERSE_MOVE` to
  about the inverse of the previous one (their product within :data:`INVERSE_NEAR` of 1):
  EUR 1.105 after 0.92 is a rate written USD per EUR.
- ``amount-outlier`` (warning): in a ledger of at least :data:`OUTLIER_MIN_COUNT`
  contributions, one is worth at least :data:`OUTLIER_FACTOR` times the next largest, in
  USD (three zeros too many make it 1,000 times).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable
from decimal import Decimal

from rmxl.diagnostics import Source
from rmxl.model import Agreement, Contribution, Rates
from rmxl.money import MAX_FUNDS_CENTS, MAX_FUNDS_TEXT, usd_cents, usd_text
from rmxl.read.files import LMap
from rmxl.validate.checks import Checker

JUMP = Decimal("0.5")
INVERSE_NEAR = Decimal("0.03")
INVERSE_MOVE = Decimal("0.1")
OUTLIER_FACTOR = 100
OUTLIER_MIN_COUNT = 10

Entry = tuple[dt.date, Decimal]
"""A rate entry: its effective date and the rate (units of the currency per USD)."""


def rate_finder(rates: Rates) -> Callable[[str, dt.date], Entry | None]:
    """:meth:`~rmxl.model.Rates.lookup`, remembered per (currency, day): a ledger names the
    same few currencies on the same days again and again."""
    return functools.cache(rates.lookup)


def below_cent(
    ck: Checker, what: str, c: LMap, amount: Decimal, currency: str, entry: Entry | None
) -> bool:
    """``amount-below-cent`` at the amount, True, when ``amount`` of ``currency`` converts
    to USD 0.00 at ``entry`` (the rate in force, as :func:`rate_finder` found it; rounded
    to the cent, docs/semantics.md, Money): spec §3 would count the agreement as funded
    while its funds gain nothing, a misleading figure."""
    if entry is None or usd_cents(amount, entry[1]) > 0:
        return False
    at = "" if currency == "USD" else f" at {entry[1]} {currency} per USD"
    ck.err(
        "amount-below-cent",
        f"{what}: {currency} {amount}{at} is less than one US cent (USD 0.00)",
        c.val_src("amount"),
        "check the amount and its currency; a contribution worth nothing in USD would make "
        "the agreement count as funded with no funds: remove it (no contributions = a "
        "non-financial agreement)",
    )
    return True


Valued = tuple[int, Agreement, Contribution]
"""A contribution's USD value in cents, its agreement and itself."""


def values(agreements: list[Agreement], rates: Rates) -> list[Valued]:
    """Every contribution of the (valid) agreements with its USD cents."""
    out: list[Valued] = []
    find = rate_finder(rates)
    for a in agreements:
        for c in a.contributions:
            entry = find(c.currency, a.signed)
            if entry is not None:
                out.append((usd_cents(c.amount, entry[1]), a, c))
    return out


def funds_limit(ck: Checker, valued: list[Valued]) -> None:
    """``funds-too-large`` at the largest contribution when the total reaches the limit."""
    total = sum(v for v, _, _ in valued)
    if total < MAX_FUNDS_CENTS:
        return
    cents, a, c = max(valued, key=lambda x: x[0])
    ck.err(
        "funds-too-large",
        f"the ledger's contributions total {usd_text(total)}: figures are exact to the "
        f"cent below {MAX_FUNDS_TEXT}",
        c.source,
        f"the largest is this one of agreement {a.id}, {usd_text(cents)}: check its "
        "amount, currency and rate",
    )


def outliers(ck: Checker, valued: list[Valued]) -> None:
    """``amount-outlier`` for a contribution far above every other (module doc)."""
    if len(valued) < OUTLIER_MIN_COUNT:
        return
    ranked = sorted(valued, key=lambda x: x[0], reverse=True)
    (top, a, c), (second, b, _) = ranked[0], ranked[1]
    if second > 0 and top >= OUTLIER_FACTOR * second:
        ck.err(
            "amount-outlier",
            f"agreement {a.id}: {c.currency} {c.amount} is {usd_text(top)}, "
            f"{top // second:,} times the next largest contribution of the ledger "
            f"({b.id}, {usd_text(second)})",
            c.source,
            "check the amount for extra zeros, and its currency",
        )


def rate_jumps(ck: Checker, table: dict[str, dict[dt.date, tuple[Decimal, Source]]]) -> None:
    """``rate-jump`` between consecutive entries of each currency (module doc)."""
    for cur, entries in table.items():
        ordered = sorted(entries.items())
        for (d0, (r0, _)), (d1, (r1, src)) in itertools.pairwise(ordered):
            move = abs(r1 - r0) / r0
            inverse = abs(r1 * r0 - 1) <= INVERSE_NEAR and move > INVERSE_MOVE
            if move <= JUMP and not inverse:
                continue
            why = (
                f"; it is about 1/{r0} = {1 / r0:.4g}: a rate is {cur} per 1 USD, not USD per {cur}"
                if inverse
                else ""
            )
            ck.err(
                "rate-jump",
                f"rates for {cur}: {r1} on {d1} is {move:.0%} "
                f"{'above' if r1 > r0 else 'below'} the {r0} of {d0}{why}",
                src,
                "check the rate (units of the currency per 1 USD) and its date",
            )
