"""Long columns of a worksheet kept as arrays, and written to its XML a block of rows at a
time.

xlsxwriter keeps every cell of a sheet until the workbook is closed, each as a named
tuple in a dict of dicts (about 150 bytes a cell, 5 million cells in the data tables at
100,000 agreements). :class:`ColumnSheet` keeps a column written with
:meth:`~ColumnSheet.text_column`, :meth:`~ColumnSheet.number_column` or
:meth:`~ColumnSheet.formula_column` as one array instead — shared-string indices (4
bytes a cell), the numbers themselves, or one formula and its values — and draws its
``<row>`` elements from them when the sheet is written, with the very text xlsxwriter
would write for the same cells (``<c r="A2" s="3" t="s"><v>17</v></c>``, numbers as
``{:.16G}``), the same shared strings in the same order, the same ``spans`` and the same
cell formats' indices, assigned in the same order. So the workbook's bytes are those of
writing every cell with xlsxwriter (tests/test_workbook_stream.py builds both ways).

Cells it does not take are written the usual way and win over a column's cell in the
same place: a text longer than half of Excel's 32,767 characters (xlsxwriter cuts it),
a number that is not a finite int or float (xlsxwriter refuses NaN), a formula xlsxwriter
would rewrite (array or dynamic). A row with such a cell, row formatting or comments is
written by xlsxwriter's own cell writer.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_range
from xlsxwriter.worksheet import (
    CellFormulaTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
    re_dynamic_function,
)

CHUNK = 2048
"""Rows drawn at a time."""

MIN_RUN = 8
"""The shortest run of cells :meth:`ColumnSheet.pack` makes a column of."""


@dataclass
class _Column:
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


class ColumnSheet(Worksheet):
    """A worksheet whose long columns are kept as arrays (module doc). Columns start at
    row 1 (below a header) unless ``first`` is given, and are written before any other
    cell in their range."""

    def __init__(self) -> None:
        super().__init__()
        self._columns: list[_Column] = []

    def text_column(self, col: int, values: Iterable[Any], fmt: Any = None, first: int = 1) -> None:
        """Ledger text from row ``first`` down, always as strings (never formulas);
        None, NaN and "" leave the cell blank."""
        half = self.xls_strmax // 2
        index = self.str_table._get_shared_string_index
        out = array("i")
        for r, v in enumerate(values, first):
            if v is None or v != v or v == "":
                out.append(-1)
                continue
            s = str(v)
            if len(s) > half or r >= self.xls_rowmax:
                self._write_string(r, col, s, fmt)  # cut to Excel's limit, or refused
                out.append(-1)
            else:
                out.append(index(s))
        self._add(_Column(col, first, "s", out, fmt))

    def number_column(
        self, col: int, values: Iterable[float], fmt: Any = None, first: int = 1
    ) -> None:
        """Numbers from row ``first`` down."""
        out: list[Any] = []
        for r, v in enumerate(values, first):
            if (v.__class__ is float or v.__class__ is int) and math.isfinite(v):
                out.append(v if r < self.xls_rowmax else None)
            else:
                self._write_number(r, col, v, fmt)  # NaN refused, Fraction converted
                out.append(None)
        self._add(_Column(col, first, "n", out, fmt))

    def formula_column(
        self, col: int, formula: str, values: Iterable[Any], fmt: Any = None, first: int = 1
    ) -> None:
        """The same formula in every row from ``first`` down (a table's ``[#This Row]``
        formula), with each row's cached value (an int, a float or "")."""
        plain = (
            formula != ""
            and not (formula.startswith("{") and formula.endswith("}"))
            and not re_dynamic_function.search(formula)
        )
        prepared = self._prepare_formula(formula) if plain else ""
        out: list[Any] = []
        for r, v in enumerate(values, first):
            if plain and _cached(v) and r < self.xls_rowmax:
                out.append(v)
            else:
                self._write_formula(r, col, formula, fmt, v)
                out.append(None)
        self._add(_Column(col, first, "f", out, fmt, prepared))

    def _add(self, column: _Column) -> None:
        rows = np.nonzero(column.present())[0]
        if len(rows):
            self._check_dimensions(column.first + int(rows[0]), column.col)
            self._check_dimensions(column.first + int(rows[-1]), column.col)
        self._columns.append(column)

    def pack(self) -> None:
        """Keep the cells written so far the usual way as columns where they can be:
        runs of at least :data:`MIN_RUN` rows down a column of strings, numbers or
        formulas (with an int, float or "" value) of one format, outside rows with row
        formatting or comments. A sheet written cell by cell then costs, once packed,
        what its columns cost; its bytes are the same."""
        open_runs: dict[int, tuple[str, Any, list[tuple[int, Any]]]] = {}
        runs: list[tuple[int, str, Any, list[tuple[int, Any]]]] = []
        for row in sorted(self.table):
            if row in self.row_info or row in self.comments or row in self.hyperlinks:
                continue
            for col, cell in self.table[row].items():
                kind, run = _kind(cell), open_runs.get(col)
                if run is not None and (run[0], run[1], run[2][-1][0]) != (
                    kind,
                    cell.format,
                    row - 1,
                ):
                    runs.append((col, *open_runs.pop(col)))
                    run = None
                if kind is not None:
                    run = run or open_runs.setdefault(col, (kind, cell.format, []))
                    run[2].append((row, cell))
        runs += [(col, *run) for col, run in open_runs.items()]
        for col, kind, fmt, cells in runs:
            if len(cells) >= MIN_RUN:
                self._pack_run(col, kind, fmt, cells)

    def _pack_run(self, col: int, kind: str, fmt: Any, run: list[tuple[int, Any]]) -> None:
        first = run[0][0]
        if kind == "s":
            column = _Column(col, first, kind, array("i", (c.string for _, c in run)), fmt)
        elif kind == "n":
            column = _Column(col, first, kind, [c.number for _, c in run], fmt)
        else:
            values = [c.value for _, c in run]
            column = _Column(col, first, kind, values, fmt, [c.formula for _, c in run])
        for row, _ in run:
            cells = self.table[row]
            del cells[col]
            if not cells:
                del self.table[row]
        self._columns.append(column)

    def add_table(
        self, first_row: int, first_col: int, last_row: int, last_col: int, options: Any = None
    ) -> int:
        """xlsxwriter's ``add_table``, without its record of every cell of the range (a
        dict entry per cell, to refuse an overlapping table or merge: two of them per
        cell of the data tables) when this is the sheet's only table over more than two
        rows, with no merged cells, totals, data or column formulas: the table is
        declared over its first two rows, then given its full range."""
        opts = options or {}
        simple = (
            not self.tables
            and not self.merged_cells
            and opts.get("header_row", True)
            and not opts.get("total_row")
            and "data" not in opts
            and not any(c.get("formula") for c in opts.get("columns", []) if c)
            and first_row >= 0
            and first_row + 1 < last_row < self.xls_rowmax
            and 0 <= first_col <= last_col < self.xls_colmax
        )
        if not simple:
            return int(super().add_table(first_row, first_col, last_row, last_col, options))
        done = int(super().add_table(first_row, first_col, first_row + 1, last_col, options))
        if done == 0:
            table = self.tables[-1]
            table["range"] = table["a_range"] = xl_range(first_row, first_col, last_row, last_col)
            if "autofilter" in table:
                table["autofilter"] = table["a_range"]
        return done

    # Writing the sheet's XML.

    def _get_range_data(self, row_start: int, col_start: int, row_end: int, col_end: int) -> Any:
        """The cells a chart shows, cached in the chart (xlsxwriter reads them from its
        table of cells: the columns' cells are put there meanwhile)."""
        added = []
        for c in self._columns:
            if col_start <= c.col <= col_end:
                end = min(row_end + 1, c.first + len(c.values))
                for row in range(max(row_start, c.first), end):
                    cell = c.cell(row)
                    if cell is not None and c.col not in self.table.get(row, {}):
                        self.table[row][c.col] = cell
                        added.append((row, c.col))
        try:
            return super()._get_range_data(row_start, col_start, row_end, col_end)
        finally:
            for row, col in added:
                del self.table[row][col]
                if not self.table[row]:
                    del self.table[row]

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

    def _style(self, column: _Column) -> Format | None:
        """The format whose index a cell of ``column`` carries (as ``_write_cell``)."""
        if column.fmt is not None:
            return column.fmt
        info = self.col_info.get(column.col)
        return info.column_format if info is not None else None

    def _index_formats(self, columns: list[_Column], a: int, b: int) -> None:
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

    def _cells(self, column: _Column, lo: int, hi: int) -> list[str]:
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


def _cached(value: Any) -> bool:
    """Whether a formula's cached value is written as is, with no type (``t``)."""
    return value.__class__ is int or value.__class__ is float or value == ""


def _kind(cell: Any) -> str | None:
    """The kind of column (:class:`_Column`) a cell written the usual way can join."""
    if cell.__class__ is CellStringTuple:
        return "s"
    if cell.__class__ is CellNumberTuple:
        v = cell.number
        return "n" if (v.__class__ is float or v.__class__ is int) and math.isfinite(v) else None
    if cell.__class__ is CellFormulaTuple:
        return "f" if _cached(cell.value) else None
    return None


def _new(fmt: Format) -> bool:
    """Whether no cell has used ``fmt`` (or a format equal to it) yet: it has no index."""
    return fmt.xf_index is None and fmt._get_format_key() not in fmt.xf_format_indices
