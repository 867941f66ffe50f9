"""Query: compiled tables → figures. The one implementation of every figure (spec §3).

The CLI (``rmxl eval``, ``rmxl report``), the workbook, the report and the Excel functions
all call :class:`Figures`. Money is returned in USD (``float``, whole cents), counts as
``int``, shares as fractions 0–1 (``float``).

Levels (spec §3): *agreement*-level dimensions (region, priority) split agreements with
all their contributions, ITU's included; *partner*-level dimensions (partner_type,
membership, partner, country) split each partner's own contributions, so ``funds`` there
equals ``partner_funds`` and ``itu_funds`` is an error; the *contribution*-level dimension
(currency) splits contributions. A share is the bucket's value over the period's total for
the same measure at the same level.

Results are memoised per ``(dimension, period, measure)``, so after the first question
about a period every further one is a dictionary lookup. After :meth:`Figures.use_points`
(the spreadsheet sessions and ``rmxl eval``: every face of an RM_ function) one bucket's
value, a share or a total is read from the point-query index of :mod:`rmxl.query.points`
instead; tests/test_points.py holds the two engines to the same numbers and errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from rmxl.compile import Compiled
from rmxl.diagnostics import QueryError
from rmxl.query.buckets import Bucket, Index, label_of, taxonomy_buckets
from rmxl.query.grouped import grouped
from rmxl.query.money_words import signed_amounts
from rmxl.query.names import DIMENSIONS, MONEY, dimension, measure, preview
from rmxl.query.periods import Period, parse_period, real
from rmxl.query.points import Points, days_of

Number = int | float


@dataclass(frozen=True, slots=True)
class Selection:
    """The rows of each table whose agreement was signed in the period."""

    period: Period
    agreements: pd.DataFrame
    contributions: pd.DataFrame
    parties: pd.DataFrame


@dataclass(frozen=True, slots=True)
class Breakdown:
    """A breakdown: one value and share per bucket, in row order, and the total.

    ``shares[i]`` is None when the total is 0 (a share is then undefined)."""

    dimension: str
    measure: str
    period: Period
    buckets: tuple[Bucket, ...]
    values: tuple[Number, ...]
    total: Number
    shares: tuple[float | None, ...]
    _by_key: dict[Any, Number] = field(default_factory=dict, compare=False, repr=False)

    def value_of(self, key: Any) -> Number:
        """The value of the bucket with ``key``; 0 if it is not a row (a valid bucket that
        takes no part in the period)."""
        if not self._by_key and self.buckets:
            self._by_key.update(zip((b.key for b in self.buckets), self.values, strict=True))
        return self._by_key.get(key, 0.0 if self.measure in MONEY else 0)

    def rows(self) -> list[tuple[str, Number, float | None]]:
        """``[(label, value, share)]`` in row order (the RM_BREAKDOWN table body)."""
        return [
            (b.label, v, s) for b, v, s in zip(self.buckets, self.values, self.shares, strict=True)
        ]

    def frame(self) -> pd.DataFrame:
        """``DataFrame[code, bucket, value, share]`` in row order."""
        return pd.DataFrame(
            {
                "code": [b.code for b in self.buckets],
                "bucket": [b.label for b in self.buckets],
                "value": list(self.values),
                "share": list(self.shares),
            }
        )


@dataclass(frozen=True, slots=True)
class TopRow:
    """A partner of RM_TOP: ``value`` in USD (or a count), ``signed`` as signed
    (``"CHF 2.4 million"``, several currencies joined with `` + ``)."""

    partner_id: str
    partner: str
    value: Number
    signed: str


def _out(measure_name: str, raw: Any) -> Number:
    """Cents → USD float for money measures; counts → int."""
    return int(raw) / 100 if measure_name in MONEY else int(raw)


class Figures:
    """Every figure of spec §3 over one compiled ledger, memoised."""

    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled
        self.taxonomy = compiled.ledger.taxonomy
        self.partner_names = {p.id: p.name for p in compiled.ledger.partners.values()}
        self._selections: dict[Period, Selection] = {}
        self._breakdowns: dict[tuple[str, Period, str], Breakdown] = {}
        self._totals: dict[tuple[Period, str], Number] = {}
        self._indexes: dict[tuple[str, tuple[str, ...]], Index] = {}
        self._amounts = compiled.contributions["amount_text"].map(Decimal)
        self._by_signed: tuple[tuple[pd.DataFrame, Any], ...] | None = None
        self.points: Points | None = None

    def use_points(self) -> Figures:
        """Answer :meth:`total`, :meth:`value` and :meth:`share` by point queries
        (:mod:`rmxl.query.points`: the same numbers and errors, in microseconds at any
        size), building their index now. A spreadsheet session does; other callers ask
        whole breakdowns and keep the breakdown path."""
        self.points = Points(self.compiled).warm()
        for d in DIMENSIONS:  # bucket names too (country and currency read ISO lists)
            self._index(d, parse_period(2000))
        return self

    # -- selection -------------------------------------------------------------------
    def select(self, period: Any) -> Selection:
        """The agreements, contributions and parties of a period (cached)."""
        p = parse_period(period)
        sel = self._selections.get(p)
        if sel is None:
            lo, hi = pd.Timestamp(p.start).to_datetime64(), pd.Timestamp(p.end).to_datetime64()
            sel = Selection(
                p,
                *(
                    df.iloc[signed.searchsorted(lo, "left") : signed.searchsorted(hi, "right")]
                    for df, signed in self._sorted()
                ),
            )
            if len(self._selections) > 256:
                self._selections.clear()
            self._selections[p] = sel
        return sel

    def _sorted(self) -> tuple[tuple[pd.DataFrame, Any], ...]:
        """The agreements, contributions and parties tables sorted by signed date (stable;
        index labels kept), with their sorted dates: a period's rows are then one slice,
        found by binary search, instead of a filtered copy of every column. Every figure
        is a sum, a count or a distinct count, so the order of rows changes none."""
        if self._by_signed is None:
            c = self.compiled
            tables = [
                df.sort_values("signed", kind="stable")
                for df in (c.agreements, c.contributions, c.parties)
            ]
            self._by_signed = tuple((df, df["signed"].to_numpy()) for df in tables)
        return self._by_signed

    # -- totals ----------------------------------------------------------------------
    def total(
        self, period: Any, measure_name: Any = None, dimension_name: Any = None, bucket: Any = None
    ) -> Number:
        """The period's total for a measure (USD float or int count); with a dimension and
        a bucket, that bucket's value (spec §5, RM_TOTAL). An empty period totals 0."""
        p = parse_period(period)  # the arguments are checked in their order
        m = measure(measure_name)
        if dimension_name not in (None, "") or bucket not in (None, ""):
            return self.value(dimension_name, bucket, p, m)
        if self.points is not None:
            return _out(m, self.points.total("agreement", *days_of(p), m)[0])
        key = (p, m)
        if key not in self._totals:
            self._totals[key] = self._level_total(self.select(p), "agreement", m)
        return self._totals[key]

    def _level_total(self, sel: Selection, level: str, m: str) -> Number:
        a = sel.agreements
        if m == "funds":
            raw = a["partner_cents" if level == "partner" else "funds_cents"].sum()
        elif m == "partner_funds":
            raw = a["partner_cents"].sum()
        elif m == "itu_funds":
            raw = a["itu_cents"].sum()
        elif m == "agreements":
            raw = len(a)
        elif m == "funded_agreements":
            raw = a["funded"].sum()
        else:
            raw = sel.parties["partner_id"].nunique()
        return _out(m, raw)

    # -- breakdowns ------------------------------------------------------------------
    def breakdown(self, dimension_name: Any, period: Any, measure_name: Any = None) -> Breakdown:
        """Every bucket's value and share (spec §5, RM_BREAKDOWN). Raises QueryError for an
        unknown name, ``itu_funds`` by a partner-level dimension, or an empty period."""
        d, p, m = dimension(dimension_name), parse_period(period), measure(measure_name)
        key = (d, p, m)
        found = self._breakdowns.get(key)
        if found is None:
            found = self._breakdown(d, p, m)
            if len(self._breakdowns) > 4096:
                self._breakdowns.clear()
            self._breakdowns[key] = found
        return found

    def _breakdown(self, d: str, p: Period, m: str) -> Breakdown:
        level = DIMENSIONS[d]
        _check_level(d, m)
        sel = self.select(p)
        if sel.agreements.empty:
            raise _empty(p)
        series = grouped(sel, d, m)
        total = self._level_total(sel, level, m)
        raw = dict(zip(series.index, series.to_numpy().tolist(), strict=True))
        if d in ("partner", "country", "currency"):
            ordered = series.sort_values(ascending=False, kind="stable").index
            names = {k: label_of(d, k, self.partner_names) for k in ordered}
            keys = sorted(ordered, key=lambda k: (-raw[k], names[k].lower()))
            buckets = [Bucket(k, str(k), names[k]) for k in keys]
        else:
            buckets = taxonomy_buckets(self.taxonomy, d, p)
        values = tuple(_out(m, raw.get(b.key, 0)) for b in buckets)
        shares = tuple((v / total) if total else None for v in values)
        return Breakdown(d, m, p, tuple(buckets), values, total, shares)

    def value(
        self, dimension_name: Any, bucket: Any, period: Any, measure_name: Any = None
    ) -> Number:
        """One bucket's value (USD or a count); 0 for a valid bucket absent from the
        period, and for any valid bucket of an empty period (spec §6). Raises QueryError
        for an unknown bucket."""
        p = parse_period(period)
        if self.points is not None:
            d, m = dimension(dimension_name), measure(measure_name)
            _check_level(d, m)
            return self._point(d, bucket, p, m, days_of(p))
        if self.select(p).agreements.empty:
            d, m = dimension(dimension_name), measure(measure_name)
            _check_level(d, m)
            self._index(d, p).resolve(bucket)
            return 0.0 if m in MONEY else 0
        bd, b = self._find(dimension_name, bucket, p, measure_name)
        return bd.value_of(b.key)

    def share(
        self, dimension_name: Any, bucket: Any, period: Any, measure_name: Any = None
    ) -> float:
        """The bucket's share of the period's total, a fraction 0–1 (spec §3, Shares).
        Raises QueryError for an empty period or a zero total."""
        if self.points is not None:
            return self._point_share(dimension_name, bucket, period, measure_name)
        bd, _ = self._find(dimension_name, bucket, period, measure_name)
        if not bd.total:
            raise _zero_total(bd.measure, bd.period)
        return self.value(dimension_name, bucket, period, measure_name) / bd.total

    def _point_share(
        self, dimension_name: Any, bucket: Any, period: Any, measure_name: Any
    ) -> float:
        """:meth:`share` by point queries: the same checks in the same order."""
        assert self.points is not None
        d, p, m = dimension(dimension_name), parse_period(period), measure(measure_name)
        _check_level(d, m)
        days = days_of(p)
        raw, empty = self.points.total(DIMENSIONS[d], *days, m)
        if empty:
            raise _empty(p)
        total = _out(m, raw)
        value = self._point(d, bucket, p, m, days)
        if not total:
            raise _zero_total(m, p)
        return value / total

    def _point(self, d: str, bucket: Any, p: Period, m: str, days: tuple[int, int]) -> Number:
        """One bucket's value by point query (:meth:`value`'s rules); resolves the bucket."""
        assert self.points is not None
        index = self._index(d, p)
        key = index.resolve(bucket).key
        if d == "priority" and key not in index.in_period:
            return _out(m, 0)  # a priority of a plan not in force: not a row (Breakdown)
        return _out(m, self.points.value(d, key, *days, m))

    def _find(
        self, dimension_name: Any, bucket: Any, period: Any, measure_name: Any
    ) -> tuple[Breakdown, Bucket]:
        bd = self.breakdown(dimension_name, period, measure_name)
        return bd, self._index(bd.dimension, bd.period).resolve(bucket)

    def _index(self, d: str, period: Period) -> Index:
        """The bucket names of dimension ``d`` in ``period`` (cached per set of plans)."""
        key: tuple[str, tuple[str, ...]] = (d, ())
        if d == "priority":
            key = (d, tuple(p.code for p in self.taxonomy.plans_during(period.start, period.end)))
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = Index(self.taxonomy, d, period, self.partner_names)
        return index

    # -- co-financing ----------------------------------------------------------------
    def cofinancing(self, period: Any) -> Breakdown:
        """A period's funds split into the partners' contributions and ITU's co-financing
        component (the seed report's "Co-financing arrangements" chart): buckets
        ``partners`` and ``itu``, values in USD, shares fractions 0–1 of ``funds``
        (spec §3, Measures: funds = partner_funds + itu_funds; a share is None when funds
        are 0). Raises QueryError ``empty-period`` when no agreement was signed."""
        p = parse_period(period)
        if self.select(p).agreements.empty:
            raise _empty(p)
        values = (self.total(p, "partner_funds"), self.total(p, "itu_funds"))
        total = self.total(p, "funds")
        buckets = (
            Bucket("partners", "partners", "Partners' component"),
            Bucket("itu", "itu", "ITU component"),
        )
        shares = tuple((v / total) if total else None for v in values)
        return Breakdown("cofinancing", "funds", p, buckets, values, total, shares)

    # -- top partners ----------------------------------------------------------------
    def top(self, n: Any, period: Any, measure_name: Any = None) -> list[TopRow]:
        """The ``n`` partners with the largest value, descending, ties by name (spec §6,
        RM_TOP): for a money measure the partners with a value above 0; for a count, every
        partner of the period's agreements, zeros included."""
        count = _count(n)
        bd = self.breakdown("partner", period, measure_name)
        sel = self.select(bd.period)
        if bd.measure in MONEY:
            rows = [(b, v) for b, v in zip(bd.buckets, bd.values, strict=True) if v]
        else:
            ids = sel.parties["partner_id"].unique()
            names = {k: label_of("partner", k, self.partner_names) for k in ids}
            keys = sorted(ids, key=lambda k: (-bd.value_of(k), names[k].lower()))
            rows = [(Bucket(k, str(k), names[k]), bd.value_of(k)) for k in keys]
        rows = rows[:count]
        con = sel.contributions
        out = []
        for b, v in rows:
            mine = con[con["by"] == b.key]
            out.append(
                TopRow(
                    b.key,
                    b.label,
                    v,
                    signed_amounts(
                        zip(
                            mine["currency"],
                            self._amounts.loc[mine.index],
                            mine["usd_cents"],
                            strict=True,
                        )
                    ),
                )
            )
        return out


def _empty(p: Period) -> QueryError:
    return QueryError("empty-period", f"no agreements were signed in {p}")


def _zero_total(m: str, p: Period) -> QueryError:
    return QueryError("zero-total", f"the total {m} of {p} is 0, so a share is undefined")


def _check_level(d: str, m: str) -> None:
    """ITU's co-financing cannot be split by a partner-level dimension (spec §3)."""
    if m == "itu_funds" and DIMENSIONS[d] == "partner":
        raise QueryError(
            "itu-not-partner",
            f"itu_funds cannot be split by {d}: ITU is no "
            "partner (use funds or partner_funds, or an agreement-level "
            "dimension: region, priority)",
        )


def _count(n: Any) -> int:
    """RM_TOP's ``n``: a whole number from 1 (a larger one than the partners lists all),
    of any real type (:func:`~rmxl.query.periods.real`), or its text with the same rule as
    a period's (ASCII digits, ``"5"`` or ``"5.0"``; spec §6, Periods)."""
    if isinstance(n, list | tuple) and len(n) == 1:
        n = n[0]
    shown = n
    if isinstance(n, str) and re.fullmatch(r"[0-9]{1,19}(?:\.0+)?", n.strip()) and len(n) < 40:
        n = int(n.strip().partition(".")[0])
    n = real(n)
    ok = n is not None and n == n and n >= 1
    if ok and isinstance(n, float):
        ok = n != float("inf") and n.is_integer()
    if not ok or n is None:
        raise QueryError(
            "bad-count", f"n must be a whole number of partners, 1 or more, not {preview(shown)}"
        )
    return int(min(n, 10**9))
