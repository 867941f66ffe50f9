"""The field's journals: what ``hledger check`` and ``bean-check`` read in the benchmarks.

One two-posting transaction per synthetic agreement (bench/synth.py makes the ledger),
carrying what an agreement carries: date, id, title, region, priority and country tags, a
partner's amount in its currency.
"""

from __future__ import annotations

import random
from pathlib import Path

CURRENCIES = ("USD", "USD", "CHF", "EUR", "GBP", "JPY")


def transactions(n: int, seed: int = 0) -> list[tuple[str, str, str, int, str]]:
    """``n`` (date, id, partner, amount, currency): one per synthetic agreement, with its
    first contribution."""
    rng = random.Random(seed)
    partners = max(40, n // 10)
    out = []
    for i in range(n):
        year = 2013 + i * 11 // n
        day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        aid = f"SYN-{year}-{i + 1:06d}"
        amount, cur = rng.randint(1, 5000) * 1000, rng.choice(CURRENCIES)
        out.append((day, aid, f"p-{rng.randrange(partners):06d}", amount, cur))
    out.sort()
    return out


def hledger_journal(n: int, path: Path) -> Path:
    """Two-posting transactions carrying what an agreement carries: date, id, title,
    region, priority and country tags, a partner's amount in its currency."""
    lines = []
    for day, aid, partner, amount, cur in transactions(n):
        lines.append(
            f"{day} {aid} | Synthetic agreement {aid}  ; region:africa, priority:inclusion, "
            "country:KE"
        )
        lines += [f"    assets:partners:{partner}  {amount} {cur}", "    income:agreements", ""]
    path.write_text("\n".join(lines))
    return path


def beancount_journal(n: int, path: Path) -> Path:
    """The same transactions in beancount syntax (accounts opened, metadata for tags)."""
    txns = transactions(n)
    accounts = sorted({p for _, _, p, _, _ in txns})
    lines = ['option "operating_currency" "USD"', "2010-01-01 open Income:Agreements"]
    lines += [f"2010-01-01 open Assets:Partners:{p.upper()}" for p in accounts]
    for day, aid, partner, amount, cur in txns:
        lines += [f'{day} * "{aid}" "Synthetic agreement {aid}"', '  region: "africa"']
        lines += [f"  Assets:Partners:{partner.upper()}  {amount} {cur}", "  Income:Agreements", ""]
    path.write_text("\n".join(lines))
    return path
