"""Long columns of a worksheet kept as arrays.

xlsxwriter keeps every cell of a sheet until the workbook is closed, each as a named
tuple in a dict of dicts (about 150 bytes a cell, 5 million cells in the data tables at
100,000 agreements). :class:`ColumnSheet` keeps a column written with
:meth:`~ColumnSheet.text_column`, :meth:`~ColumnSheet.number_column` or
:meth:`~ColumnSheet.formula_column` as one array instead — shared-string indices (4
bytes a cell), the numbers themselves, or one formula and its values — registering its
strings in the shared strings as writing each cell would, in the same order;
:meth:`~ColumnSheet.pack` turns cells already written one by one (a breakdown sheet) into
such columns. Their rows are drawn by :mod:`rmxl.render.workbook.rows` with the very text
xlsxwriter would write, so the workbook's bytes are those of writing every cell with
xlsxwriter (tests/test_workbook_stream.py builds both ways).

Cells it does not take are written the usual way and win over a column's cell in the
same place: a text longer than half of Excel's 32,767 characters (xlsxwriter cuts it),
a number that is not a finite int or float (xlsxwriter refuses NaN), a formula xlsxwriter
would rewrite (array or dynamic).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from xlsxwriter.utility import xl_range
from xlsxwriter.worksheet import (
    CellFormulaTuple,
    CellNumberTuple,
    CellStringTuple,
    re_dynamic_function,
)

from rmxl.render.workbook.rows import Column, ColumnRows

MIN_RUN = 8
"""The shortest run of cells :meth:`ColumnSheet.pack` makes a column of."""


class ColumnSheet(ColumnRows):
    """A worksheet whose long columns are kept as arrays (module doc). Columns start at
    row 1 (below a header) unless ``first`` is given, and are written before any other
    cell in their range."""

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
        self._add(Column(col, first, "s", out, fmt))

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
        self._add(Column(col, first, "n", out, fmt))

    def formula_column(
        self,
        col: int,
        formula: str | Sequence[str],
        values: Iterable[Any],
        fmt: Any = None,
        first: int = 1,
    ) -> None:
        """A formula in every row from ``first`` down — the same one (a table's ``[#This
        Row]`` formula) or one per row — with each row's cached value (an int, a float
        or "")."""
        same = _prepared(self, formula) if isinstance(formula, str) else None
        out: list[Any] = []
        each: list[str] = []  # per row: as stored
        for i, (r, v) in enumerate(enumerate(values, first)):
            f = formula if isinstance(formula, str) else formula[i]
            text = same if isinstance(formula, str) else _prepared(self, f)
            if text is not None and _cached(v) and r < self.xls_rowmax:
                out.append(v)
            else:
                self._write_formula(r, col, f, fmt, v)
                out.append(None)
            if not isinstance(formula, str):
                each.append(text or "")
        stored = (same or "") if isinstance(formula, str) else each
        self._add(Column(col, first, "f", out, fmt, stored))

    def _add(self, column: Column) -> None:
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
            column = Column(col, first, kind, array("i", (c.string for _, c in run)), fmt)
        elif kind == "n":
            column = Column(col, first, kind, [c.number for _, c in run], fmt)
        else:
            values = [c.value for _, c in run]
            column = Column(col, first, kind, values, fmt, [c.formula for _, c in run])
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

    # What a chart shows.

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


def _prepared(sheet: ColumnSheet, formula: str) -> str | None:
    """The formula as xlsxwriter stores it, or None for one it rewrites (array, dynamic)
    or refuses (empty)."""
    if (
        formula == ""
        or (formula.startswith("{") and formula.endswith("}"))
        or re_dynamic_function.search(formula)
    ):
        return None
    return str(sheet._prepare_formula(formula))


def _cached(value: Any) -> bool:
    """Whether a formula's cached value is written as is, with no type (``t``)."""
    return value.__class__ is int or value.__class__ is float or value == ""


def _kind(cell: Any) -> str | None:
    """The kind of column (:class:`Column`) a cell written the usual way can join."""
    if cell.__class__ is CellStringTuple:
        return "s"
    if cell.__class__ is CellNumberTuple:
        v = cell.number
        return "n" if (v.__class__ is float or v.__class__ is int) and math.isfinite(v) else None
    if cell.__class__ is CellFormulaTuple:
        return "f" if _cached(cell.value) else None
    return None
