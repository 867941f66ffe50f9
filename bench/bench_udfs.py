"""Microseconds per Excel function call, on synthetic ledgers of growing size (issue 3).

``python bench/bench_udfs.py [--sizes 1000 10000 100000] [--calls 10000] [--keep DIR]``

For each size it writes a synthetic ledger (:mod:`synth`, seed 0), points
``RMXL_LEDGER`` at it and times, in this process:

- ``first``: the first call, which reads, validates and compiles the ledger and builds
  its point-query index (:mod:`rmxl.query.points`); ``index``: that build alone, seconds;
- ``recalc``: ``--calls`` calls cycling through 24 cells of RM_SHARE and RM_TOTAL with
  Excel-shaped arguments (``2022.0``, ``None``, padded text, other case, a date) — what
  recalculating a sheet costs once each cell has been computed (best of three runs);
- ``new cells``: ``--calls`` calls, each with arguments never seen before (the same
  questions spelled with different padding and case), so the answer memo misses and the
  figures' own memo answers — what a sheet of that many distinct cells costs;
- ``breakdowns``: how long the first question of each of the 24 cells took (before
  issue 14 each computed a whole breakdown; now a point query answers it);
- ``varied``: ``--calls`` questions never asked before (issue 14), drawn at random (seed
  0) over every dimension, a bucket of it, every measure, and periods of every kind —
  years, halves, quarters, months, days and ranges — each timed on its own: mean and
  99th percentile in µs; then the same questions again (``repeated``, mean µs).

The target of issue 3 is ``recalc`` ≤ 20 µs per call at 100k agreements; issue 14's:
``varied`` ≤ 50 µs mean and ≤ 2 ms p99, ``repeated`` ≤ 5 µs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate

from rmxl import udfs
from rmxl.pipeline.sessions import SESSIONS
from rmxl.query.points import Points

Call = tuple[Callable[..., Any], tuple[Any, ...]]
REPEAT = 3
"""The recalculation loop runs this many times and the fastest counts (as ``timeit``
does): other processes on a shared machine only ever make a run slower."""

CELLS: list[Call] = [
    (udfs.RM_SHARE, ("region", "Africa", 2022.0, None)),
    (udfs.RM_SHARE, ("region", " europe ", 2021.0, "agreements")),
    (udfs.RM_SHARE, (" Partner Type ", "Governmental entities", 2022.0, None)),
    (udfs.RM_SHARE, ("partner_type", "academia", "2020", "partners")),
    (udfs.RM_SHARE, ("priority", "Cybersecurity", 2019.0, None)),
    (udfs.RM_SHARE, ("PRIORITY", "affordable-connectivity", 2023.0, "funded_agreements")),
    (udfs.RM_SHARE, ("membership", "ITU ADMIN", 2018.0, "partner_funds")),
    (udfs.RM_SHARE, ("membership", "Not a member", 2017.0, "partners")),
    (udfs.RM_SHARE, ("currency", "CHF", 2016.0, None)),
    (udfs.RM_SHARE, ("region", "Multi-regions", "2022Q1", None)),
    (udfs.RM_SHARE, ("region", "Asia-Pacific", "2021-01..2021-06", "itu_funds")),
    (udfs.RM_SHARE, ("partner_type", "UN organizations", [[2015.0]], None)),
    (udfs.RM_TOTAL, (2022.0, None, None, None)),
    (udfs.RM_TOTAL, (2021.0, "agreements", None, None)),
    (udfs.RM_TOTAL, ("2020", "partners", None, None)),
    (udfs.RM_TOTAL, (2019.0, "itu_funds", None, None)),
    (udfs.RM_TOTAL, (2018.0, "funds", "region", "Africa")),
    (udfs.RM_TOTAL, (2017.0, " Funded_Agreements ", None, None)),
    (udfs.RM_TOTAL, ("2023Q1", None, None, None)),
    (udfs.RM_TOTAL, (dt.datetime(2022, 3, 14), "agreements", None, None)),
    (udfs.RM_TOTAL, (2014.0, "partner_funds", "partner_type", "government")),
    (udfs.RM_TOTAL, ("2013H2", None, None, None)),
    (udfs.RM_TOTAL, (2016.0, "funds", "currency", "EUR")),
    (udfs.RM_TOTAL, (2015.0, "agreements", "priority", "multi")),
]


def new_cells(count: int) -> list[Call]:
    """``count`` calls whose arguments differ from every other's: the cells' questions,
    every text argument padded with a different number of spaces before and after."""
    out: list[Call] = []
    for i in range(count):
        fn, args = CELLS[i % len(CELLS)]
        k = 1 + i // len(CELLS)  # spaces before and after: at most 66, periods take 100
        lead, trail = " " * (k // 60), " " * (k % 60)
        varied = tuple(lead + a + trail if isinstance(a, str) else a for a in args)
        if varied == args:  # no text argument: spell the default measure out
            varied = (args[0], lead + "funds" + trail, *args[2:])
        out.append((fn, varied))
    return out


def periods(rng: random.Random) -> str | float:
    """A period of a random kind between 2013 and 2023."""
    y = rng.randint(2013, 2023)
    kind = rng.randrange(6)
    if kind == 0:
        return float(y)
    if kind == 1:
        return f"{y}H{rng.randint(1, 2)}"
    if kind == 2:
        return f"{y}Q{rng.randint(1, 4)}"
    if kind == 3:
        return f"{y}-{rng.randint(1, 12):02d}"
    if kind == 4:
        return f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    a, b = sorted((rng.randint(2013, 2023), rng.randint(2013, 2023)))
    return (
        f"{a}-{rng.randint(1, 12):02d}..{b}-12"
        if a < b
        else f"{a}-01..{a}-{rng.randint(1, 12):02d}"
    )


def varied(count: int, buckets: dict[str, list[str]], seed: int = 0) -> list[Call]:
    """``count`` distinct RM_SHARE/RM_TOTAL questions over every dimension, bucket kind,
    measure and period kind (``itu_funds`` only where spec §3 allows it)."""
    from rmxl.query.names import DIMENSIONS, MEASURES

    rng = random.Random(seed)
    seen: set[tuple[Any, ...]] = set()
    out: list[Call] = []
    while len(out) < count:
        d = rng.choice(list(DIMENSIONS))
        m = rng.choice([m for m in MEASURES if m != "itu_funds" or DIMENSIONS[d] != "partner"])
        b, p = rng.choice(buckets[d]), periods(rng)
        call: Call = (
            (udfs.RM_SHARE, (d, b, p, m)) if rng.random() < 0.5 else (udfs.RM_TOTAL, (p, m, d, b))
        )
        if call[1] not in seen:
            seen.add(call[1])
            out.append(call)
    return out


def each_timed(calls: list[Call]) -> list[float]:
    """Microseconds of each call."""
    out = []
    clock = time.perf_counter_ns
    for fn, args in calls:
        start = clock()
        fn(*args)
        out.append((clock() - start) / 1000)
    return out


def bench_varied(n: int, calls: int) -> dict[str, float]:
    """Issue 14's questions not asked before (mean, p99) and repeated (mean), in µs, on
    the ledger ``RMXL_LEDGER`` names (already compiled by a first call)."""
    fig = SESSIONS.figures(os.environ["RMXL_LEDGER"])
    buckets = {
        d: [b.code for b in fig.breakdown(d, "2013..2023").buckets][:200]
        for d in ("region", "priority", "partner_type", "membership", "partner", "country")
    }
    buckets["currency"] = ["USD", "CHF", "EUR", "GBP", "JPY"]
    questions = varied(calls, buckets)
    first = sorted(each_timed(questions))
    again = each_timed(questions)
    return {
        "varied_mean": sum(first) / len(first),
        "varied_p99": first[int(len(first) * 0.99)],
        "repeated": sum(again) / len(again),
    }


def timed(calls: list[Call]) -> tuple[float, list[Any]]:
    """Seconds for all the calls, and their results."""
    results = []
    start = time.perf_counter()
    for fn, args in calls:
        results.append(fn(*args))
    return time.perf_counter() - start, results


def bench(n: int, calls: int, folder: Path) -> dict[str, float]:
    root = generate(n, folder / f"ledger-{n}")
    os.environ["RMXL_LEDGER"] = str(root)
    SESSIONS.clear()
    first, _ = timed([CELLS[0]])
    start = time.perf_counter()
    Points(SESSIONS.figures(root).compiled).warm()  # again, to time it alone
    index = time.perf_counter() - start
    warm, _ = timed(CELLS)  # each cell's first question
    loop = [CELLS[i % len(CELLS)] for i in range(calls)]
    recalc, results = min(timed(loop) for _ in range(REPEAT))
    errors = {r for r in results if isinstance(r, str)}
    if errors:
        raise SystemExit(f"unexpected messages at {n}: {sorted(errors)[:3]}")
    fresh = new_cells(calls)
    newc, results = timed(fresh)
    errors = {r for r in results if isinstance(r, str)}
    if errors:
        raise SystemExit(f"unexpected messages at {n}: {sorted(errors)[:3]}")
    SESSIONS.clear()
    timed([CELLS[0]])
    return {
        "first": first,
        "index": index,
        "breakdowns": warm / len(CELLS),
        "recalc": recalc / calls * 1e6,
        "new": newc / calls * 1e6,
        **bench_varied(n, calls),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the ledgers here and keep them")
    args = parser.parse_args()
    print(
        f"{'agreements':>10}  {'first call':>10}  {'index':>6}  {'per cell':>9}  "
        f"{'recalc µs/call':>14}  {'new cells µs/call':>17}  "
        f"{'varied mean/p99 µs':>18}  {'repeated µs':>11}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        for n in args.sizes:
            r = bench(n, args.calls, folder)
            print(
                f"{n:>10,}  {r['first']:>9.1f}s  {r['index']:>5.2f}s  "
                f"{r['breakdowns'] * 1000:>7.1f}ms  "
                f"{r['recalc']:>14.1f}  {r['new']:>17.1f}  "
                f"{r['varied_mean']:>9.0f}/{r['varied_p99']:<8.0f}  {r['repeated']:>11.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
