"""Lookup tables for :mod:`rmxl.query.points`, built where they are small (issue 14).

- :class:`DayGrid`: the first row of each bucket signed on or after each day, so that a
  period's rows are found by two array reads instead of two binary searches;
- :class:`MonthGrid`: distinct counts (partners, spec §3) over whole months, so that a
  period made of whole months — a year, a half, a quarter, a month, a range of months —
  reads its count from a table instead of counting over the period's rows.

Both give exactly what the search and the count give (``tests/test_points.py``). Each is
built only if it holds at most :data:`LIMIT` numbers: not for the ``partner`` dimension
of a large ledger (thousands of buckets), whose slices are short anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

LIMIT = 1 << 21
"""Most numbers (``int32``: 8 MiB) in one grid."""
EPOCH = dt.date(1970, 1, 1).toordinal()
"""Ordinal of day 0 of ``datetime64``."""


@dataclass(frozen=True, slots=True)
class DayGrid:
    """``pos[code * width + (day - first)]``: the first row of bucket ``code`` signed on
    or after ``day``, for every day from ``first`` to one past the last row's."""

    first: int
    width: int
    pos: np.ndarray

    def span(self, code: int, start: int, stop: int) -> tuple[int, int]:
        """Rows ``[lo, hi)`` of bucket ``code`` signed on days ``start <= day < stop``."""
        last = self.width - 1
        a, b = start - self.first, stop - self.first
        a = 0 if a < 0 else (last if a > last else a)
        b = 0 if b < 0 else (last if b > last else b)
        base = code * self.width
        return self.pos.item(base + a), self.pos.item(base + b)


def day_grid(keys: np.ndarray, stride: int, buckets: int, days: np.ndarray) -> DayGrid | None:
    """The grid of rows whose ``keys`` (ascending) are ``code * stride + day``."""
    if not len(days):
        return None
    first = int(days.min())
    width = int(days.max()) - first + 2
    if buckets * width > LIMIT:
        return None
    codes = np.arange(buckets, dtype=np.int64)[:, None] * stride
    targets = (codes + (first + np.arange(width, dtype=np.int64))[None, :]).ravel()
    return DayGrid(first, width, keys.searchsorted(targets).astype(np.int32))


@dataclass(frozen=True, slots=True)
class MonthGrid:
    """Distinct counts by whole months: months ``0 .. size - 1`` from the first row's;
    ``starts``: ordinal of the first day of month ``k`` (``k = 0 .. size``) → ``k``;
    ``table[code, b, a + 1] - table[code, a, a + 1]`` (flat ``int32``) is the count of
    bucket ``code`` over months ``a <= k < b``."""

    starts: dict[int, int]
    first: int
    end: int
    size: int
    table: np.ndarray

    def count(self, code: int, start: int, stop: int) -> int | None:
        """The distinct count of bucket ``code`` over days ``start <= day < stop``, or
        None when the period is not made of whole months (count over its rows then)."""
        a = 0 if start <= self.first else self.starts.get(start)
        b = self.size if stop >= self.end else self.starts.get(stop)
        if a is None or b is None:
            return None
        if b <= a:
            return 0
        row = self.size + 2
        base = code * (self.size + 1) * row + a + 1
        return int(self.table.item(base + b * row) - self.table.item(base + a * row))


def month_grid(
    codes: np.ndarray, days: np.ndarray, prev: np.ndarray, buckets: int
) -> MonthGrid | None:
    """The grid of rows sorted by (bucket, day): their bucket ``codes``, ``days``
    (ordinals) and ``prev`` (the previous row of the same bucket and value, or -1). A row
    counts over months ``a <= k < b`` if its month ``k`` is there and its previous row's
    month is before ``a``: ``table`` holds those counts' two-dimensional prefix sums."""
    if not len(days):
        return None
    months = (days - EPOCH).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    m0 = int(months.min())
    size = int(months.max()) - m0 + 1
    if buckets * (size + 1) * (size + 2) > LIMIT:
        return None
    k = months - m0
    before = np.where(prev >= 0, k[np.maximum(prev, 0)], -1) + 1  # 0: none
    cells = (codes * (size + 1) + k) * (size + 2) + before
    hist = np.bincount(cells, minlength=buckets * (size + 1) * (size + 2))
    hist = hist.reshape(buckets, size + 1, size + 2)
    table = np.zeros_like(hist)
    table[:, 1:, 1:] = hist[:, :size, : size + 1].cumsum(axis=1).cumsum(axis=2)
    firsts = np.arange(m0, m0 + size + 1).astype("datetime64[M]").astype("datetime64[D]")
    starts = (firsts.astype(np.int64) + EPOCH).tolist()
    return MonthGrid(
        {day: i for i, day in enumerate(starts)},
        starts[0],
        starts[-1],
        size,
        table.ravel().astype(np.int32),
    )
