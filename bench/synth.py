"""A synthetic, valid ledger of any size, for the speed benchmarks.

``python bench/synth.py --agreements N --out DIR`` (or ``generate(n, out_dir, seed=0)``)
writes a ledger in the layout of spec §1: ``taxonomy.yaml``, ``partners.yaml``,
``rates.yaml`` and ``agreements/YYYY.yaml`` for each of the eleven years 2013–2023
(14 files). The same ``n`` and ``seed`` always give the same bytes.

What it holds (every rule of spec §2 is met, so ``rmxl validate`` reports no error):

- the spec's taxonomy, plus an earlier action plan (``dap``, 2011–2017) so every
  signed date has a plan in force;
- ``max(40, n // 10)`` partners of every partner type, membership category (or none)
  and a real ISO 3166-1 country;
- monthly rates for CHF, EUR, GBP, JPY and AUD from January 2013 to December 2023;
- ``n`` agreements spread evenly over the years, signed on days in the past, with 1–3
  partners, 1–2 regions, 1–2 priorities of the plan in force, and for about 70% of them
  1–2 contributions by their partners, some with an ITU co-financing component.

Files are written as YAML text directly (no YAML library), each atomically.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

YEARS = tuple(range(2013, 2024))
CURRENCIES = {"CHF": 0.95, "EUR": 0.9, "GBP": 0.78, "JPY": 115.0, "AUD": 1.4}
COUNTRIES = ("CH", "NO", "JP", "KR", "DE", "FR", "BR", "KE", "IN", "AU", "CA", "SN", "EG")
REGION_LABELS = {
    "africa": "Africa",
    "americas": "Americas",
    "arab-states": "Arab States",
    "asia-pacific": "Asia-Pacific",
    "cis": "CIS",
    "europe": "Europe",
}
TYPE_LABELS = {  # code: (label, IATI organisation type)
    "government": ("Governmental entities", "10"),
    "private-sector": ("Private sector entities", "70"),
    "academia": ("Academia", "80"),
    "un": ("UN organizations", "40"),
    "intl-org": ("International and Regional Organizations", "40"),
    "foundation": ("Foundations", "60"),
    "other": ("Others", "90"),
}
MEMBERSHIP_LABELS = {
    "ADMIN": "ITU ADMIN",
    "SIO": "ITU-D Sector Member (SIO)",
    "ROA": "ITU-D Sector Member (ROA)",
    "UNIVER-RSRCH": "ITU UNIVER/RSRCH",
}
REGIONS = tuple(REGION_LABELS)
TYPES = tuple(TYPE_LABELS)
MEMBERSHIP = (*MEMBERSHIP_LABELS, None, None)  # a third of the partners are no members
PLANS = (  # (code, first year, last year, priorities)
    ("dap", 2011, 2017, ("infrastructure", "innovation", "inclusion", "cyber-trust")),
    ("baap", 2018, 2022, ("capacity-development", "cybersecurity", "digital-inclusion")),
    ("kap", 2023, None, ("affordable-connectivity", "digital-transformation")),
)


def taxonomy_text() -> str:
    """The taxonomy section: regions, partner types, membership and three action plans."""
    out = ["taxonomy:\n  regions:\n    multi_label: Multi-regions\n    values:\n"]
    out.extend(f"      - {{code: {c}, label: {lb}}}\n" for c, lb in REGION_LABELS.items())
    out.append("  partner_types:\n    values:\n")
    out.extend(
        f'      - {{code: {c}, label: {lb}, iati: "{iati}"}}\n'
        for c, (lb, iati) in TYPE_LABELS.items()
    )
    out.append("  membership:\n    values:\n")
    out.extend(f"      - {{code: {c}, label: {lb}}}\n" for c, lb in MEMBERSHIP_LABELS.items())
    out.append("  action_plans:\n")
    for code, first, last, priorities in PLANS:
        out.append(f"    - code: {code}\n      label: Action plan {code.upper()}\n")
        out.append(f"      from: {first}-01-01\n")
        if last is not None:
            out.append(f"      to: {last}-12-31\n")
        out.append(f"      multi_label: Multi-{code}\n      priorities:\n")
        out.extend(f"        - {{code: {p}, label: {p.title()}}}\n" for p in priorities)
    return "".join(out)


def partners_text(count: int, rng: random.Random) -> tuple[str, list[str]]:
    """``count`` partners; returns the section's text and the partner ids."""
    ids = [f"p-{i:06d}" for i in range(1, count + 1)]
    lines = ["partners:\n"]
    for i, pid in enumerate(ids):
        member = rng.choice(MEMBERSHIP)
        lines.append(
            f"  - {{id: {pid}, name: Partner {i + 1:06d}, type: {TYPES[i % len(TYPES)]}"
            + (f", membership: {member}" if member else "")
            + f", country: {rng.choice(COUNTRIES)}}}\n"
        )
    return "".join(lines), ids


def rates_text(rng: random.Random) -> str:
    """Monthly rates (units per USD) of every currency for every month of YEARS."""
    lines = ["rates:\n"]
    for cur, base in CURRENCIES.items():
        lines.append(f"  {cur}:\n")
        for year in YEARS:
            for month in range(1, 13):
                rate = round(base * rng.uniform(0.9, 1.1), 4)
                lines.append(f"    {year}-{month:02d}-01: {rate}\n")
    return "".join(lines)


def _plan(year: int) -> tuple[str, ...]:
    return next(p for _, a, b, p in PLANS if a <= year and (b is None or year <= b))


def agreement_text(aid: str, year: int, partner_ids: list[str], rng: random.Random) -> str:
    """One agreement record as YAML text (a list item of ``agreements:``)."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    partners = rng.sample(partner_ids, rng.randint(1, 3))
    regions = rng.sample(REGIONS, 1 if rng.random() < 0.7 else 2)
    plan = _plan(year)
    priorities = rng.sample(plan, 1 if rng.random() < 0.7 else 2)
    lines = [
        f"  - id: {aid}\n",
        f"    title: Synthetic agreement {aid}\n",
        f"    signed: {year}-{month:02d}-{day:02d}\n",
        f"    partners: [{', '.join(partners)}]\n",
        f"    regions: [{', '.join(regions)}]\n",
        f"    priorities: [{', '.join(priorities)}]\n",
    ]
    if rng.random() < 0.7:
        lines.append("    contributions:\n")
        for by in partners[: rng.randint(1, 2)]:
            cur = rng.choice(("USD", "USD", *CURRENCIES))
            amount = rng.randint(10, 5000) * 1000
            lines.append(f"      - {{by: {by}, amount: {amount}, currency: {cur}}}\n")
        if rng.random() < 0.3:
            lines.append(
                f"      - {{by: ITU, amount: {rng.randint(5, 200) * 500}, currency: USD}}\n"
            )
    if rng.random() < 0.5:
        lines.append(f"    countries: [{rng.choice(COUNTRIES)}]\n")
    return "".join(lines)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def generate(n: int, out_dir: str | os.PathLike[str], seed: int = 0) -> Path:
    """Write a valid synthetic ledger of ``n`` agreements under ``out_dir``; returns the
    folder. Deterministic in ``(n, seed)``. Raises ValueError if ``n`` < 1."""
    if n < 1:
        raise ValueError(f"need at least 1 agreement, not {n}")
    root = Path(out_dir)
    rng = random.Random(seed)
    text, partner_ids = partners_text(max(40, n // 10), rng)
    write_atomic(root / "taxonomy.yaml", taxonomy_text())
    write_atomic(root / "partners.yaml", text)
    write_atomic(root / "rates.yaml", rates_text(rng))
    per_year, extra = divmod(n, len(YEARS))
    for i, year in enumerate(YEARS):
        count = per_year + (1 if i < extra else 0)
        body = [
            agreement_text(f"SYN-{year}-{k:06d}", year, partner_ids, rng)
            for k in range(1, count + 1)
        ]
        write_atomic(root / "agreements" / f"{year}.yaml", "agreements:\n" + "".join(body))
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, required=True, metavar="N")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        root = generate(args.agreements, args.out, args.seed)
    except (ValueError, OSError) as e:
        print(f"synth: {e}", file=sys.stderr)
        return 1
    print(f"wrote {args.agreements} agreements to {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
