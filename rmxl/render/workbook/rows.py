"""Drawing a worksheet's rows from columns kept as arrays (:class:`Column`), a block of
rows at a time, with the very text xlsxwriter's cell writer gives the same cells.

xlsxwriter writes a row as ``<row r="2" spans="1:16">`` and each cell as ``<c r="A2"
s="3" t="s"><v>17</v></c>`` (a shared string), ``<c r="B2" s="4"><v>1234.5</v></c>`` (a
number, ``{:.16G}``) or ``<c r="C2" s="5"><f>…</f><v>3</v></c>`` (a formula and its cached
value); ``spans`` are the first and last column with a cell in each block of 16 rows, and
a cell format gets its index (``s``) when a cell first uses it, row by row, left to
right. :class:`ColumnRows` draws the rows of its columns the same way; a row that also
holds cells written the usual way, row formatting or comments is written by xlsxwriter's
own cell writer, its cells merged (those written the usual way win). The storage side —
which cells become columns — is :mod:`rmxl.render.workbook.columns`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import (
    CellFormulaTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

CHUNK = 2048
"""Rows drawn at a time."""


@dataclass
class Column:
    """One column from row ``first`` down. ``kind``: ``s`` (``values`` are shared-string
    indices, -1 for no cell), ``n`` (numbers, None for no cell) or ``f`` (the cached
    values of ``formula``, one for every row or one per row; None for no cell)."""

    col: int
    first: int
    kind: str
    values: Sequence[Any]
    fmt: Format | None
    formula: str | Sequence[str] = ""

    def present(self) -> np.ndarray:
        """Which rows have a cell (booleans, one per value)."""
        if self.kind == "s":
            return np.asarray(self.values, dtype=np.int32) >= 0
        return np.fromiter((v is not None for v in self.values), bool, len(self.values))

    def cell(self, row: int) -> Any:
        """xlsxwriter's cell tuple at ``row``, or None."""
        i = row - self.first
        if not 0 <= i < len(self.values):
            return None
        v = self.values[i]
        if self.kind == "s":
            return CellStringTuple(v, self.fmt) if v >= 0 else None
        if v is None:
            return None
        if self.kind == "n":
            return CellNumberTuple(v, self.fmt)
        f = self.formula if isinstance(self.formula, str) else self.formula[i]
        return CellFormulaTuple(f, self.fmt, v)


class ColumnRows(Worksheet):
    """A worksheet that also holds columns (:class:`Column`, in ``_columns``) and draws
    their rows itself (module doc)."""

    def __init__(self) -> None:
        super().__init__()
        self._columns: list[Column] = []

    def _write_rows(self) -> None:
        if not self._columns:
            super()._write_rows()
            return
        if self.excel_version == 2010 or self.default_row_height != self.original_row_height:
            self._materialize()  # rows carry more attributes: xlsxwriter writes them
            super()._write_rows()
            return
        spans = self._spans()
        top, end = self.dim_rowmin, self.dim_rowmax + 1
        special = {r for r, cells in self.table.items() if cells}
        special.update(self.row_info, self.comments)
        start = top
        for row in [*sorted(r for r in special if top <= r < end), end]:
            for a in range(start, row, CHUNK):
                self._write_block(a, min(a + CHUNK, row), spans)
            if row < end:
                self._write_one(row, spans.get(row // 16))
            start = row + 1

    def _materialize(self) -> None:
        for column in self._columns:
            for i in range(len(column.values)):
                row = column.first + i
                cell = column.cell(row)
                if cell is not None and column.col not in self.table.get(row, {}):
                    self.table[row][column.col] = cell
        self._columns = []

    def _spans(self) -> dict[int, str]:
        """xlsxwriter's ``spans`` per block of 16 rows: the first and last column with a
        cell in the block (1-based), as ``"1:16"``."""
        lo: dict[int, int] = {}
        hi: dict[int, int] = {}

        def see(block: int, col: int) -> None:
            lo[block] = min(lo.get(block, col), col)
            hi[block] = max(hi.get(block, col), col)

        for cells in (self.table, self.comments):
            for row, cols in cells.items():
                for col in cols:
                    if self.dim_colmin <= col <= self.dim_colmax:
                        see(row // 16, col)
        for column in self._columns:
            rows = np.nonzero(column.present())[0] + column.first
            for block in np.unique(rows // 16).tolist():
                see(block, column.col)
        return {b: f"{lo[b] + 1}:{hi[b] + 1}" for b in lo}

    def _write_one(self, row: int, span: str | None) -> None:
        """One row the way xlsxwriter writes it, its cells merged from the columns and
        the cells written the usual way (which win)."""
        cells = {c.col: cell for c in self._columns if (cell := c.cell(row)) is not None}
        cells.update(self.table.get(row, {}))
        info = self.row_info.get(row)
        if not cells:
            self._write_empty_row(row, span, info)
            return
        self._write_row(row, span, info)
        for col in sorted(cells):
            self._write_cell(row, col, cells[col])
        self._xml_end_tag("row")

    def _write_block(self, a: int, b: int, spans: dict[int, str]) -> None:
        """Rows ``a`` to ``b - 1`` (none of them with cells written the usual way, row
        formatting or comments), drawn column by column."""
        columns = sorted(
            (c for c in self._columns if c.first < b and a < c.first + len(c.values)),
            key=lambda c: (c.col, c.first),
        )
        if not columns:
            return
        self._index_formats(columns, a, b)
        texts: list[list[str]] = []
        last = -1
        for c in columns:  # the runs of one column (pack) become one list
            if c.col != last:
                texts.append([""] * (b - a))
                last = c.col
            lo, hi = max(a, c.first), min(b, c.first + len(c.values))
            texts[-1][lo - a : hi - a] = self._cells(c, lo, hi)
        rows = []
        for row, cells in zip(range(a + 1, b + 1), zip(*texts, strict=True), strict=True):
            body = "".join(cells)
            if body:
                rows.append(f'<row r="{row}" spans="{spans[(row - 1) // 16]}">{body}</row>')
        self.fh.write("".join(rows))

    def _style(self, column: Column) -> Format | None:
        """The format whose index a cell of ``column`` carries (as ``_write_cell``)."""
        if column.fmt is not None:
            return column.fmt
        info = self.col_info.get(column.col)
        return info.column_format if info is not None else None

    def _index_formats(self, columns: list[Column], a: int, b: int) -> None:
        """Give the formats their index in the order xlsxwriter's cell writer would
        (row by row, left to right: the first cell to use a format numbers it)."""
        new = {id(f): f for c in columns if (f := self._style(c)) is not None and _new(f)}
        if not new:
            return
        for row in range(a, b):
            for c in columns:
                f = self._style(c)
                if f is not None and id(f) in new and c.cell(row) is not None:
                    f._get_xf_index()
                    del new[id(f)]
                    if not new:
                        return

    def _cells(self, column: Column, lo: int, hi: int) -> list[str]:
        """The ``<c>`` elements of ``column`` in rows ``lo`` to ``hi - 1``, all within the
        column ("" for none)."""
        fmt = self._style(column)
        if fmt is not None and _new(fmt):  # _index_formats: no cell here
            return [""] * (hi - lo)
        name = xl_col_to_name(column.col)
        s = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
        values = column.values[lo - column.first : hi - column.first]
        rows = range(lo + 1, hi + 1)
        if column.kind == "s":
            cells = [
                f'<c r="{name}{r}"{s} t="s"><v>{v}</v></c>' if v >= 0 else ""
                for r, v in zip(rows, values, strict=True)
            ]
        elif column.kind == "n":
            cells = [
                f'<c r="{name}{r}"{s}><v>{v:.16G}</v></c>' if v is not None else ""
                for r, v in zip(rows, values, strict=True)
            ]
        elif isinstance(column.formula, str):
            f = self._escape_data(column.formula)
            cells = [
                f'<c r="{name}{r}"{s}><f>{f}</f><v>{v}</v></c>' if v is not None else ""
                for r, v in zip(rows, values, strict=True)
            ]
        else:
            esc = self._escape_data
            formulas = column.formula[lo - column.first : hi - column.first]
            cells = [
                f'<c r="{name}{r}"{s}><f>{esc(f)}</f><v>{v}</v></c>' if v is not None else ""
                for r, f, v in zip(rows, formulas, values, strict=True)
            ]
        return cells


def _new(fmt: Format) -> bool:
    """Whether no cell has used ``fmt`` (or a format equal to it) yet: it has no index."""
    return fmt.xf_index is None and fmt._get_format_key() not in fmt.xf_format_indices
