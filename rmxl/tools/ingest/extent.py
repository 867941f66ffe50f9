"""How many cells a reader would hold for a sheet, found before it reads it (``rmxl import``,
``rmxl rates import``).

python-calamine holds a sheet as one dense block, from its first to its last cell with a
value: a 5 KB .xlsx with one value in A1 and another in XFD1048576 asks for 17 billion
cells (512 GB) and the process aborts; a small .ods repeats a cell over millions of rows
and columns the same way. So the sheet's XML is scanned first, streamed from the zip
without being kept, for the rows and columns of the cells that hold a value (an .xlsx
``<c>`` with content, an .ods cell with ``office:value-type``, its repeats counted), and a
used area over :data:`MAX_CELLS`, or XML that unpacks to over :data:`MAX_XML` bytes (a zip
bomb), is refused as ``import-too-large`` before any reader sees it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

MAX_CELLS = 10_000_000
"""Largest used area of a sheet, in cells (10,000 agreements take about 200,000)."""
MAX_XML = 1 << 30
"""Largest XML of one sheet (or of an .ods's content), unpacked: 1 GiB."""
CHUNK = 1 << 22

_XLSX_VALUED = re.compile(
    rb'<(?:[\w.-]+:)?c\s(?:[^>]*?\s)?r="\$?([A-Za-z]{1,3})\$?(\d{1,7})"[^>]*?(?<!/)>'
    rb"(?!\s*</(?:[\w.-]+:)?c>)"
)
_XLSX_NO_REF = re.compile(rb'<(?:[\w.-]+:)?c(?=[\s/>])(?![^>]*\sr=")')
_XLSX_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")
_XLSX_EMPTY = re.compile(rb"\s*</(?:[\w.-]+:)?c>")
_CELL_REF = re.compile(rb'\br="\$?([A-Za-z]{1,3})\$?(\d{1,7})"')
_ROW_REF = re.compile(rb'\br="(\d{1,7})"')
_ODS_TAG = re.compile(rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*)>")
_ODS_NAME = re.compile(rb'\btable:name="([^"]*)"')
_ODS_ROWS = re.compile(rb'\btable:number-rows-repeated="(\d{1,10})"')
_ODS_COLS = re.compile(rb'\btable:number-columns-repeated="(\d{1,10})"')


class TooLarge(Exception):
    """The sheet (``sheet``, its name where known) is too large to read: ``why``."""

    def __init__(self, sheet: str, why: str) -> None:
        super().__init__(why)
        self.sheet = sheet
        self.why = why


@dataclass
class _Box:
    """The bounding box of the cells with a value (1-based, inclusive)."""

    top: int = 0
    left: int = 0
    bottom: int = 0
    right: int = 0

    def add(self, top: int, left: int, bottom: int, right: int) -> None:
        if not self.top:
            self.top, self.left, self.bottom, self.right = top, left, bottom, right
            return
        self.top, self.left = min(self.top, top), min(self.left, left)
        self.bottom, self.right = max(self.bottom, bottom), max(self.right, right)

    @property
    def cells(self) -> int:
        return (self.bottom - self.top + 1) * (self.right - self.left + 1) if self.top else 0


def check_xlsx_sheet(z: zipfile.ZipFile, member: str, sheet: str) -> None:
    """Raise :class:`TooLarge` when the worksheet ``member`` of an .xlsx is too large.
    Cells that name their place (``<c r="B7">``, as every writer does) are found by one
    regular expression; a sheet with a cell that does not is read tag by tag."""
    box = _Box()
    for buf, end in _chunks(z, member, sheet):
        if _XLSX_NO_REF.search(buf, 0, end):
            return _check_xlsx_in_order(z, member, sheet)
        refs = _XLSX_VALUED.findall(buf, 0, end)
        if refs:
            rows = [int(r) for _, r in refs]
            cols = [_column(c) for c in {c for c, _ in refs}]
            box.add(min(rows), min(cols), max(rows), max(cols))
        _refuse_over(box, sheet)
    return None


def _check_xlsx_in_order(z: zipfile.ZipFile, member: str, sheet: str) -> None:
    """:func:`check_xlsx_sheet` for a sheet whose cells may omit ``r``: a cell without
    one follows the previous cell of its row, a row without one the previous row."""
    box, row, col = _Box(), 0, 0
    for buf, end in _chunks(z, member, sheet):
        for m in _XLSX_TAG.finditer(buf, 0, end):
            name, attrs = m.group(1), m.group(2)
            if name == b"row":
                r = _ROW_REF.search(attrs)
                row, col = (int(r.group(1)) if r else row + 1), 0
                continue
            ref = _CELL_REF.search(attrs)
            if ref:
                col, row = _column(ref.group(1)), int(ref.group(2))
            else:
                col += 1
            if attrs.rstrip().endswith(b"/") or _XLSX_EMPTY.match(buf, m.end(), end):
                continue
            box.add(row, col, row, col)
        _refuse_over(box, sheet)


def check_ods(z: zipfile.ZipFile) -> None:
    """Raise :class:`TooLarge` when a table of an .ods is too large (a reader of .ods
    files reads every table when it opens the file)."""
    box, name, row, col = _Box(), "", 0, 0
    for buf, end in _chunks(z, "content.xml", ""):
        for m in _ODS_TAG.finditer(buf, 0, end):
            tag, attrs = m.group(1), m.group(2)
            if tag == b"table":
                _refuse_over(box, name)
                found = _ODS_NAME.search(attrs)
                box, row = _Box(), 0
                name = found.group(1).decode("utf-8", "replace") if found else ""
            elif tag == b"table-row":
                repeat = _ODS_ROWS.search(attrs)
                top, row = row + 1, row + (int(repeat.group(1)) if repeat else 1)
                col = 0
            else:
                repeat = _ODS_COLS.search(attrs)
                left, col = col + 1, col + (int(repeat.group(1)) if repeat else 1)
                if b"office:value-type=" in attrs:
                    box.add(top, left, row, col)
        _refuse_over(box, name)


def _chunks(z: zipfile.ZipFile, member: str, sheet: str) -> Iterator[tuple[bytes, int]]:
    """The member's bytes in growing windows, each with the end of its complete tags
    (up to its last ``<``, or the one before when that one ends a cell)."""
    total, buf = 0, b""
    with z.open(member) as f:
        while True:
            data = f.read(CHUNK)
            total += len(data)
            if total > MAX_XML:
                raise TooLarge(sheet, f"its XML unpacks to over {MAX_XML >> 30} GiB")
            buf += data
            if not data:
                yield buf, len(buf)
                return
            end = max(buf.rfind(b"<"), 0)
            if buf.startswith(b"</", end):
                end = max(buf.rfind(b"<", 0, end), 0)
            yield buf, end
            buf = buf[end:]


def _refuse_over(box: _Box, sheet: str) -> None:
    if box.cells > MAX_CELLS:
        raise TooLarge(
            sheet,
            f"its cells with a value span {box.bottom - box.top + 1:,} rows × "
            f"{box.right - box.left + 1:,} columns ({box.cells:,} cells; at most "
            f"{MAX_CELLS:,} are read), up to row {box.bottom:,}, column {box.right:,}",
        )


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


_ODS_ERROR_TEXT = re.compile(rb"<text:p>([^<]*)")


def ods_error_cells(z: zipfile.ZipFile, table: str) -> list[tuple[int, int, str]]:
    """The cells of the .ods table named ``table`` that hold an error value
    (``calcext:value-type="error"``, a formula that failed): ``(row, column, text)``,
    0-based, the text as shown (``#N/A``). python-calamine reads them as empty."""
    out: list[tuple[int, int, str]] = []
    inside, row, col = False, 0, 0
    for buf, end in _chunks(z, "content.xml", table):
        for m in _ODS_TAG.finditer(buf, 0, end):
            tag, attrs = m.group(1), m.group(2)
            if tag == b"table":
                found = _ODS_NAME.search(attrs)
                name = found.group(1).decode("utf-8", "replace") if found else ""
                inside, row = name == table, 0
            elif not inside:
                continue
            elif tag == b"table-row":
                repeat = _ODS_ROWS.search(attrs)
                top, row = row, row + (int(repeat.group(1)) if repeat else 1)
                col = 0
            else:
                repeat = _ODS_COLS.search(attrs)
                left, col = col, col + (int(repeat.group(1)) if repeat else 1)
                if b'calcext:value-type="error"' in attrs and col - left == 1 and row - top == 1:
                    text = _ODS_ERROR_TEXT.match(buf, m.end(), end)
                    out.append(
                        (top, left, text.group(1).decode("utf-8", "replace") if text else "#VALUE!")
                    )
    return out
