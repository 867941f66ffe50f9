"""Shared pieces of the workbook writer: cell formats, safe text, sheet names, page setup
and the formula text that selects a period (the words themselves are in
:mod:`rmxl.render.labels`).

Number formats (docs/workbook.md): money ``#,##0`` (USD, whole dollars shown, cents kept
in the cell), counts ``#,##0``, shares ``0.0%``, dates ``yyyy-mm-dd``; chart axes in USD
million ``#,##0.0,,"M"``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rmxl.query.periods import Period
from rmxl.render.labels import typed_period_label
from rmxl.render.workbook.columns import ColumnSheet
from rmxl.render.workbook.package import StreamBook

MONEY_FMT = "#,##0"
COUNT_FMT = "#,##0"
PERCENT_FMT = "0.0%"
DATE_FMT = "yyyy-mm-dd"
MILLIONS_FMT = '#,##0.0,,"M"'
MILLIONS_LABEL_FMT = '#,##0.00,,"M"'
EXCEL_EPOCH = dt.date(1899, 12, 30)
MAX_SHEET_NAME = 31


class Sheet(ColumnSheet):
    """A worksheet (long columns kept as arrays: :class:`~rmxl.render.workbook.columns.
    ColumnSheet`) that skips xlsxwriter's renaming of Excel 2010+ functions (about 30
    regular-expression substitutions per formula, half the time of a large build): rmxl's
    formulas use only COUNTIF(S), SUMIFS, IF, DATE and the RM_ functions, none of which
    takes the ``_xlfn.`` prefix. The LibreOffice test recalculates every formula."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula.removeprefix("{").removeprefix("=").removesuffix("}")


class Book(StreamBook):
    """An xlsxwriter workbook whose worksheets are :class:`Sheet`, written straight into
    an open file (:class:`~rmxl.render.workbook.package.StreamBook`)."""

    worksheet_class = Sheet


def add_sheet(wb: Workbook, name: str) -> Sheet:
    """Add a :class:`Sheet` called ``name``."""
    ws = wb.add_worksheet(name, Sheet)
    assert isinstance(ws, Sheet)
    return ws


@dataclass(frozen=True)
class Styles:
    """The cell formats of one workbook (xlsxwriter formats belong to a workbook)."""

    title: Any
    note: Any
    header: Any
    header_right: Any
    header_indent: Any
    text: Any  # indented text, beside a right-aligned number
    wrap: Any  # text that wraps within its column
    bold: Any
    money: Any
    count: Any
    count_left: Any
    percent: Any
    date: Any
    rate: Any
    total_text: Any
    total_money: Any
    total_count: Any

    @classmethod
    def of(cls, wb: Workbook) -> Styles:
        top = {"top": 1, "bold": True}
        head = {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}
        return cls(
            title=wb.add_format({"bold": True, "font_size": 14}),
            note=wb.add_format({"italic": True, "font_color": "#595959"}),
            header=wb.add_format(head),
            header_right=wb.add_format({**head, "align": "right"}),
            header_indent=wb.add_format({**head, "align": "left", "indent": 1}),
            text=wb.add_format({"indent": 1}),
            wrap=wb.add_format({"text_wrap": True}),
            bold=wb.add_format({"bold": True}),
            money=wb.add_format({"num_format": MONEY_FMT}),
            count=wb.add_format({"num_format": COUNT_FMT}),
            count_left=wb.add_format({"num_format": COUNT_FMT, "align": "left"}),
            percent=wb.add_format({"num_format": PERCENT_FMT}),
            date=wb.add_format({"num_format": DATE_FMT, "align": "left"}),
            rate=wb.add_format({"num_format": "0.0000"}),
            total_text=wb.add_format(top),
            total_money=wb.add_format({**top, "num_format": MONEY_FMT}),
            total_count=wb.add_format({**top, "num_format": COUNT_FMT}),
        )

    def number(self, money: bool) -> Any:
        return self.money if money else self.count

    def total(self, money: bool) -> Any:
        return self.total_money if money else self.total_count


def excel_date(day: dt.date) -> int:
    """An Excel serial day number (1900 date system): 2022-01-01 → 44562."""
    return (day - EXCEL_EPOCH).days


def text(ws: Worksheet, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """Write ledger text as a string, never a formula or a number, whatever it starts
    with (``=``, ``+``, ``-``, ``@``: ledger files come from pull requests)."""
    if value is None or value == "":
        return
    ws.write_string(row, col, str(value), fmt)


SHEET_WORDS = {
    "region": "region",
    "priority": "priority",
    "partner_type": "partner type",
    "membership": "membership",
    "partner": "partner",
    "country": "country",
    "currency": "currency",
}
"""Dimension → the word of its sheet names (``By partner type 2022``)."""


def sheet_name(dim: str, p: Period, taken: set[str]) -> str:
    """A breakdown sheet's name as a person would type it: ``By region 2022``, ``By
    partner type 2023 to 30 Apr``; the period's short text when the label makes it longer
    than Excel's 31 characters, then cut (and made unique)."""
    word = SHEET_WORDS.get(dim, dim)
    name = f"By {word} {typed_period_label(p)}"
    if len(name) > MAX_SHEET_NAME:
        name = f"By {word} {p.text}"
    if len(name) > MAX_SHEET_NAME:
        name = f"By {word} {p.start:%Y%m%d}-{p.end:%Y%m%d}"[:MAX_SHEET_NAME]
    name = re.sub(r"[\[\]:*?/\\]", "_", name)
    base, i = name, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f" ({i})"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        i += 1
    taken.add(name)
    return name


def in_period(column: str, start: str, end: str) -> str:
    """COUNTIFS/SUMIFS criteria pairs selecting ``column`` (a date column) between two
    cells or expressions, both ends inclusive (spec §3, Periods)."""
    return f'{column},">="&{start},{column},"<="&{end}'


def date_expr(day: dt.date) -> str:
    """An Excel expression for a date: ``DATE(2022,1,1)``."""
    return f"DATE({day.year},{day.month},{day.day})"


def quote(value: str) -> str:
    """A formula string literal: ``"Af""rica"``."""
    return '"' + value.replace('"', '""') + '"'


def page_setup(
    ws: Worksheet, one_page: bool = True, titles: tuple[int, int] = (0, 0), fit: bool = True
) -> None:
    """Print (and PDF) layout: A4 landscape, one page wide (``fit``; else at 100%, over
    as many pages as it takes); a report sheet fits on one page, a data table runs on as
    many pages as it needs. Rows ``titles`` (first, last; 0-based) are repeated at the
    top of every printed page; a footer names the sheet and numbers the pages."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    if fit:
        ws.fit_to_pages(1, 1 if one_page else 0)
    ws.repeat_rows(*titles)
    ws.set_footer("&L&8&A&R&8Page &P of &N")
