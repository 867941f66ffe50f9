"""rmxl.query.points: point queries give exactly the breakdown path's answers (issue 14).

Each test compiles a ledger once and asks two :class:`Figures` over it the same questions:
one answers by whole breakdowns (``Figures.breakdown``, the path every other face uses),
the other by point queries (``Figures.use_points``, the path of the spreadsheet
sessions). Every answer must be identical — the same value of the same type (a float
USD, an int count, a float share), or the same QueryError code and message. The
questions are drawn by a seeded generator over every dimension, measure and period form,
with edge cases: empty periods, zero totals, unknown and ambiguous buckets, priorities of
two action plans, agreements with several partners of one type, ITU-only money.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from rmxl.diagnostics import QueryError
from rmxl.pipeline.load import figures
from rmxl.pipeline.sessions import Sessions
from rmxl.query.figures import Figures
from rmxl.query.names import DIMENSIONS, MEASURES

from conftest import DEMO, base_files, write_ledger


def synthetic(n: int, folder: Path, seed: int) -> Path:
    """A ledger of bench/synth.py (the benchmarks' ledgers)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        from synth import generate
    finally:
        sys.path.pop(0)
    return generate(n, folder, seed=seed)


EXTRA_NAMES = ["Afirca", "nope", " MULTI ", "multi", "none", "kap:multi", "baap:multi", "XAU"]


def pair(root: Path) -> tuple[Figures, Figures]:
    """The breakdown path and the point path over one compiled ledger."""
    slow = figures(root)
    return slow, Figures(slow.compiled).use_points()


def answer(fig: Figures, fn: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    try:
        value = getattr(fig, fn)(*args)
    except QueryError as e:
        return ("error", e.code, str(e))
    return ("ok", value, type(value))


def names(fig: Figures, span: str) -> dict[str, list[Any]]:
    """Bucket names per dimension: codes and labels of the span's buckets, respelled."""
    out: dict[str, list[Any]] = {}
    for d in DIMENSIONS:
        found = fig.breakdown(d, span).buckets
        out[d] = [b.code for b in found] + [f" {b.label.upper()} " for b in found]
        out[d] += EXTRA_NAMES
    out["country"] += ["FR", "No country"]
    out["currency"] += ["usd", " eur"]
    out["partner"] += list(fig.partner_names)[:5]
    out["priority"] += ["cybersecurity", "affordable-connectivity", "kap:affordable-connectivity"]
    return out


def period(rng: random.Random, years: tuple[int, int]) -> Any:
    """A period of any accepted form (and a few bad ones) between ``years``."""
    y = rng.randint(*years)
    mo, d = rng.randint(1, 12), rng.randint(1, 28)
    b = rng.randint(y, years[1])
    forms = [
        float(y),
        y,
        str(y),
        f"{y}H{rng.randint(1, 2)}",
        f"{y}-Q{rng.randint(1, 4)}",
        f"{y}-{mo:02d}",
        f"{y}-{mo:02d}-{d:02d}",
        dt.date(y, mo, d),
        dt.datetime(y, mo, d, 13, 5),
        (dt.date(y, mo, d) - dt.date(1899, 12, 30)).days,  # an Excel date serial
        f"{y}-{mo:02d}..{b}-{rng.randint(1, 12):02d}",
        f"{y}-{mo:02d}-{d:02d}..{b}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"{y}..{b}",
        f"{y}Q{rng.randint(1, 4)}..{b}H{rng.randint(1, 2)}",
        years[0] - 1,  # empty
        rng.choice(["2023-1", "2022-02-30", "soon", None, "2023..2022"]),
    ]
    return rng.choice(forms)


def compare(slow: Figures, fast: Figures, years: tuple[int, int], count: int, seed: int) -> int:
    """Ask ``count`` random questions of both; assert equal answers; return how many of
    them were answered with a number (so a test can check it asked real questions)."""
    rng = random.Random(seed)
    buckets = names(slow, f"{years[0]}..{years[1]}")
    numbers = 0
    for _ in range(count):
        d = rng.choice(list(DIMENSIONS))
        m = rng.choice([*MEASURES, None])
        b, p = rng.choice(buckets[d]), period(rng, years)
        for fn, args in (
            ("share", (d, b, p, m)),
            ("value", (d, b, p, m)),
            ("total", (p, m)),
            ("total", (p, m, d, b)),
        ):
            expected = answer(slow, fn, args)
            assert answer(fast, fn, args) == expected, (fn, args)
            numbers += expected[0] == "ok"
    return numbers


EDGES = """\
agreements:
  - id: E-1
    title: Two governments, one paying twice
    signed: 2022-01-10
    partners: [ch-fdfa, no-mfa]
    regions: [africa]
    priorities: [cybersecurity]
    contributions:
      - {by: ch-fdfa, amount: 1000, currency: CHF}
      - {by: ch-fdfa, amount: 500, currency: USD}
      - {by: no-mfa, amount: 250.5, currency: USD}
  - id: E-2
    title: ITU alone pays
    signed: 2022-01-10
    partners: [acme, no-mfa]
    regions: [africa, cis]
    priorities: [cybersecurity, digital-inclusion]
    contributions:
      - {by: ITU, amount: 99.99, currency: USD}
  - id: E-3
    title: No money in February
    signed: 2022-02-15
    partners: [uni-x]
    regions: [europe]
    priorities: [digital-inclusion]
  - id: E-4
    title: The plan changes
    signed: 2022-12-31
    partners: [ch-fdfa, no-mfa, acme]
    regions: [americas]
    priorities: [digital-inclusion]
    contributions:
      - {by: no-mfa, amount: 0.01, currency: USD}
  - id: E-5
    title: First day of Kigali
    signed: 2023-01-01
    partners: [no-mfa, ch-fdfa]
    regions: [americas, europe]
    priorities: [affordable-connectivity, digital-transformation]
    contributions:
      - {by: ch-fdfa, amount: 7, currency: CHF}
      - {by: ITU, amount: 3, currency: CHF}
"""


def test_edge_cases_of_the_small_ledgers(small: Path, tmp_path: Path) -> None:
    for root in (
        small,
        write_ledger(tmp_path / "edges", base_files(**{"agreements/2022.yaml": EDGES})),
    ):
        slow, fast = pair(root)
        assert compare(slow, fast, (2021, 2023), 700, seed=1) > 200


def test_the_edge_cases_are_asked(tmp_path: Path) -> None:
    """The edges above answer as the spec says, on both paths (a guard on the guard)."""
    root = write_ledger(tmp_path / "edges", base_files(**{"agreements/2022.yaml": EDGES}))
    for fig in pair(root):
        # E-1 and E-4 have two government partners: each counted once per agreement
        assert fig.value("partner_type", "government", "2022", "agreements") == 3
        assert fig.value("partner_type", "government", "2022", "partners") == 2
        assert fig.share("currency", "usd", "2022-01", "partner_funds") == 750.5 / 1_792.17
        assert fig.total("2022-01", "itu_funds") == 99.99
        assert fig.value("priority", "kap:multi", "2022-12..2023-01", "agreements") == 1
        assert fig.value("priority", "affordable-connectivity", 2022) == 0.0
        for args, code in [
            (("region", "Europe", "2022-02"), "zero-total"),
            (("region", "Europe", "2022-03"), "empty-period"),
            (("region", "Afirca", "2022"), "unknown-bucket"),
            (("priority", "multi", "2022..2023"), "ambiguous-bucket"),
            (("partner", "acme", "2022", "itu_funds"), "itu-not-partner"),
        ]:
            with pytest.raises(QueryError) as e:
                fig.share(*args)
            assert e.value.code == code


def test_the_demo_ledger(tmp_path: Path) -> None:
    if not (DEMO / "taxonomy.yaml").is_file():
        pytest.skip("the demo ledger is not there")
    slow, fast = pair(DEMO)
    assert compare(slow, fast, (2021, 2023), 1500, seed=2) > 600


@pytest.mark.parametrize(("n", "seed"), [(120, 1), (400, 2), (3000, 3)])
def test_synthetic_ledgers(tmp_path: Path, n: int, seed: int) -> None:
    slow, fast = pair(synthetic(n, tmp_path / "l", seed))
    assert compare(slow, fast, (2012, 2023), 900, seed=seed) > 500


def test_a_spreadsheet_session_answers_by_point_queries(small: Path) -> None:
    fig = Sessions().figures(small)
    assert fig.points is not None
    assert fig.share("region", "Africa", 2022) == 2_550_000 / 2_650_000
