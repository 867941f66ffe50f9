"""Point queries: one bucket's value, or a level's total, for any period, without building
the period's breakdown (issue 14). The figures are those of spec §3, exactly as
:meth:`rmxl.query.figures.Figures.breakdown` computes them; ``tests/test_points.py``
compares the two on many generated questions.

For each dimension the rows of its level (spec §3: agreement, partner or contribution)
are sorted by ``(bucket, signed day)`` into one array of keys, ``bucket code × STRIDE +
day ordinal``. The rows of one bucket signed in a period are then one slice, found by two
binary searches (``numpy.searchsorted``), and every figure is read off that slice:

- a **sum** (money in integer cents, or agreements with a contribution) is the difference
  of two prefix sums (``int64``: exact, never a float sum; the ledger's funds are below
  :data:`rmxl.money.MAX_FUNDS_CENTS`, so no prefix sum can wrap);
- a **count** of rows is ``hi - lo``. Agreements counted at the partner or contribution
  level are counted on rows made unique per ``(agreement, bucket)``: an agreement has one
  signed day, so its rows in a bucket fall in a period together;
- a **distinct count** (partners) uses the previous occurrence: ``prev[i]`` is the row
  before ``i`` in the same bucket with the same partner (or -1), and the distinct
  partners of rows ``[lo, hi)`` are the rows there with ``prev[i] < lo`` — a vectorised
  count over the slice.

A level's total is the same read on one bucket that holds every row of the level's table.
Where they are small, the lookup tables of :mod:`rmxl.query.grids` replace the binary
searches (a day grid) and the distinct counts over whole months (a month grid).
The tables come from :mod:`rmxl.compile`; nothing here knows bucket names, periods or
errors — :class:`~rmxl.query.figures.Figures` resolves those first, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rmxl.compile import Compiled
from rmxl.query.grids import EPOCH, DayGrid, MonthGrid, day_grid, month_grid
from rmxl.query.names import DIMENSIONS, Level
from rmxl.query.periods import Period

STRIDE = 1 << 22
"""Keys are ``code * STRIDE + day``: above the ordinal of 9999-12-31 (3,652,059)."""
_ALL = "all"
"""The one bucket of a level's totals."""


@dataclass(frozen=True, slots=True)
class Rows:
    """Rows sorted by ``(bucket code, signed day)``.

    ``codes``: bucket key (as the compiled tables hold it) → code; ``keys``: ``int64[n]``
    ascending; ``sums``: column → ``int64[n + 1]`` prefix sums (cents or counts);
    ``prev``: ``int32[n]``, the previous row of the same bucket with the same partner, or
    -1 (None when nothing is counted distinctly)."""

    codes: dict[Any, int]
    keys: np.ndarray
    sums: dict[str, np.ndarray]
    prev: np.ndarray | None
    days: DayGrid | None
    months: MonthGrid | None

    def read(self, key: Any, start: int, stop: int, how: str) -> int:
        """``how`` (a column of :attr:`sums`, ``count`` or ``distinct``) over the rows of
        bucket ``key`` signed on days ``start <= ordinal < stop``; 0 for a key with no
        rows at all."""
        code = self.codes.get(key)
        if code is None:
            return 0
        if how == "distinct" and self.months is not None:
            found = self.months.count(code, start, stop)
            if found is not None:
                return found
        return self.over(*self.span(code, start, stop), how)

    def span(self, code: int, start: int, stop: int) -> tuple[int, int]:
        """Rows ``[lo, hi)`` of bucket ``code`` signed on days ``start <= day < stop``."""
        if self.days is not None:
            return self.days.span(code, start, stop)
        base = code * STRIDE
        lo, hi = self.keys.searchsorted((base + start, base + stop)).tolist()
        return lo, hi

    def over(self, lo: int, hi: int, how: str) -> int:
        """``how`` over the rows ``[lo, hi)`` (:meth:`read`)."""
        if how == "count":
            return hi - lo
        if how == "distinct":
            assert self.prev is not None
            return int(np.count_nonzero(self.prev[lo:hi] < lo))
        cum = self.sums[how]
        return int(cum.item(hi) - cum.item(lo))


def days_of(p: Period) -> tuple[int, int]:
    """A period's days as ordinals ``(start, stop)``: ``start <= day < stop``."""
    return p.start.toordinal(), p.end.toordinal() + 1


Plan = dict[str, tuple[Rows, str]]
"""Measure → the rows that answer it and how (:meth:`Rows.read`)."""


Codes = tuple[np.ndarray, dict[Any, int]]
"""Integer codes of a column's values (``int64[n]``) and value → code."""


def factorize(values: Any) -> Codes:
    """:data:`Codes` of ``values`` (a column or an array of hashable values)."""
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), {k: i for i, k in enumerate(uniques)}


class Table:
    """One compiled table with its day ordinals and column codes, each computed once;
    ``agreement``: each row's agreement as its row in the agreements table (``ids``)."""

    def __init__(self, df: pd.DataFrame, ids: pd.Index) -> None:
        self.df = df
        days = df["signed"].to_numpy().astype("datetime64[D]").astype(np.int64)
        self.days = days + EPOCH
        self._codes: dict[str, Codes] = {}
        self._ids = ids
        self._agreement: np.ndarray | None = None

    @property
    def agreement(self) -> np.ndarray:
        if self._agreement is None:
            self._agreement = self._ids.get_indexer(pd.Index(self.df["agreement_id"])).astype(
                np.int64
            )
        return self._agreement

    def codes(self, column: str) -> Codes:
        found = self._codes.get(column)
        if found is None:
            found = self._codes[column] = factorize(self.df[column])
        return found


def rows(
    buckets: Codes,
    days: np.ndarray,
    sums: dict[str, np.ndarray] | None = None,
    distinct: np.ndarray | None = None,
    unique: np.ndarray | None = None,
) -> Rows:
    """:class:`Rows` of ``n`` rows: their ``buckets`` (codes), ``days`` (ordinals),
    ``sums`` (column → ``int64[n]`` values to sum), ``distinct`` (codes of the values
    counted distinctly, e.g. partners) and ``unique`` (codes: keep one row per
    ``(bucket, unique)``, e.g. per agreement; the sums then read the first row's)."""
    codes, names = buckets
    keys = codes * STRIDE + days
    if unique is None:
        order = np.argsort(keys, kind="stable")
    else:
        order = np.lexsort((unique, keys))
        sk, su = keys[order], unique[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (sk[1:] != sk[:-1]) | (su[1:] != su[:-1])
        order = order[first]
    keys, codes, days = keys[order], codes[order], days[order]
    prefix = {}
    for name, values in (sums or {}).items():
        cum = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(np.asarray(values, dtype=np.int64)[order], out=cum[1:])
        prefix[name] = cum
    size = max(names.values(), default=-1) + 1  # codes are below it
    grid = day_grid(keys, STRIDE, size, days)
    if distinct is None:
        return Rows(names, keys, prefix, None, grid, None)
    prev = _previous(codes, distinct[order])
    return Rows(names, keys, prefix, prev, grid, month_grid(codes, days, prev, size))


def _previous(buckets: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``prev[i]``: the last row before ``i`` with the same bucket and value, or -1."""
    pair = buckets * (int(values.max(initial=0)) + 1) + values
    order = np.argsort(pair, kind="stable")
    same = pair[order][1:] == pair[order][:-1]
    prev = np.full(len(pair), -1, dtype=np.int32)
    prev[order[1:][same]] = order[:-1][same]
    return prev


class Points:
    """Point queries over one compiled ledger (module doc). Each dimension's rows are
    built on its first question (:meth:`warm` builds them all), in ``O(n log n)``;
    afterwards a question costs two binary searches (or two reads of a day grid) per
    bucket, and a distinct count of partners a count over the period's rows (or two reads
    of a month grid, for a period of whole months).

    Answers are raw: cents (``int``) for money measures, ``int`` counts; the caller
    converts (``Figures._out``). ``start``/``stop`` are day ordinals, ``stop`` excluded."""

    def __init__(self, compiled: Compiled) -> None:
        ids = pd.Index(compiled.agreements["agreement_id"])
        self.tables = {
            name: Table(getattr(compiled, name), ids)
            for name in ("agreements", "parties", "contributions")
        }
        self._plans: dict[str, Plan] = {}

    def value(self, d: str, key: Any, start: int, stop: int, m: str) -> int:
        """The raw value of bucket ``key`` of dimension ``d`` for measure ``m`` (spec §3);
        ``itu_funds`` by a partner-level dimension must have been refused before."""
        rows_, how = self.plan(d)[m]
        return rows_.read(key, start, stop, how)

    def total(self, level: Level, start: int, stop: int, m: str) -> tuple[int, bool]:
        """The raw total of measure ``m`` at ``level`` (``Figures._level_total``), and
        whether the period is empty (no agreement signed in it)."""
        plan = self.plan(_ALL)
        agreements, rows_, how = plan["agreements"][0], *plan[m]
        if level == "partner" and m == "funds":
            how = "partner_cents"
        lo, hi = agreements.span(0, start, stop)  # the one bucket: code 0
        if rows_ is agreements:
            return rows_.over(lo, hi, how), lo == hi
        return rows_.read(_ALL, start, stop, how), lo == hi

    def warm(self) -> Points:
        """Build every dimension's rows now (a spreadsheet session does, once)."""
        for d in (_ALL, *DIMENSIONS):
            self.plan(d)
        return self

    def plan(self, d: str) -> Plan:
        """Measure → (rows, how) for dimension ``d`` (or the totals), built once."""
        found = self._plans.get(d)
        if found is None:
            found = self._plans[d] = _build(self.tables, d)
        return found


def _build(tables: dict[str, Table], d: str) -> Plan:
    level = "agreement" if d == _ALL else DIMENSIONS[d]
    if level == "agreement":
        return _agreement_level(tables["agreements"], tables["parties"], d)
    if level == "partner":
        return _partner_level(tables["parties"], d)
    return _currency_level(tables["contributions"])


def _agreement_keys(a: Table, d: str) -> Codes:
    """Codes of region, of ``(plan, priority)``, or of the one bucket of the totals."""
    if d == _ALL:
        return np.zeros(len(a.days), dtype=np.int64), {_ALL: 0}
    if d == "region":
        return a.codes("region")
    plan, plans = a.codes("plan")
    prio, prios = a.codes("priority")
    n, plan_of, prio_of = len(prios), list(plans), list(prios)
    pairs = plan * n + prio
    names = {(plan_of[v // n], prio_of[v % n]): v for v in np.unique(pairs).tolist()}
    return pairs, names


def _agreement_level(a: Table, par: Table, d: str) -> Plan:
    """Region, priority, or the totals: one row per agreement; partners through parties."""
    keys, names = _agreement_keys(a, d)
    cols = ("funds_cents", "partner_cents", "itu_cents", "funded")
    agreements = rows((keys, names), a.days, {col: a.df[col].to_numpy() for col in cols})
    partners = rows((keys[par.agreement], names), par.days, distinct=par.codes("partner_id")[0])
    return {
        "funds": (agreements, "funds_cents"),
        "partner_funds": (agreements, "partner_cents"),
        "itu_funds": (agreements, "itu_cents"),
        "agreements": (agreements, "count"),
        "funded_agreements": (agreements, "funded"),
        "partners": (partners, "distinct"),
    }


def _partner_level(par: Table, d: str) -> Plan:
    """partner_type, membership, partner, country: one row per (agreement, partner)."""
    keys = par.codes("partner_id" if d == "partner" else d)
    partner_ids = par.codes("partner_id")[0]
    own = rows(keys, par.days, {"own_cents": par.df["own_cents"].to_numpy()}, partner_ids)
    once = rows(keys, par.days, {"funded": par.df["funded"].to_numpy()}, unique=par.agreement)
    return {
        "funds": (own, "own_cents"),
        "partner_funds": (own, "own_cents"),
        "agreements": (once, "count"),
        "funded_agreements": (once, "funded"),
        "partners": (own, "distinct"),
    }


def _currency_level(con: Table) -> Plan:
    """currency: one row per contribution; partners among the partners' contributions."""
    keys, names = con.codes("currency")
    cents = con.df["usd_cents"].to_numpy()
    itu = con.df["is_itu"].to_numpy()
    money = rows(
        (keys, names),
        con.days,
        {"usd_cents": cents, "partner_cents": np.where(itu, 0, cents), "itu_cents": cents * itu},
    )
    once = rows((keys, names), con.days, unique=con.agreement)
    mine = ~itu
    by = con.codes("by")[0]
    partners = rows((keys[mine], names), con.days[mine], distinct=by[mine])
    return {
        "funds": (money, "usd_cents"),
        "partner_funds": (money, "partner_cents"),
        "itu_funds": (money, "itu_cents"),
        "agreements": (once, "count"),
        "funded_agreements": (once, "count"),
        "partners": (partners, "distinct"),
    }
