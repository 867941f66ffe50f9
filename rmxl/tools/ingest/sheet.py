"""Read one sheet of a spreadsheet file into a grid of Python values (``rmxl import``).

.xlsx, .xlsm, .xls, .ods through python-calamine (values as cached by the spreadsheet:
numbers, text, booleans, dates and datetimes); .csv through the csv module (text, the
delimiter sniffed: UTF-16 with BOM, UTF-8 with or without BOM, else Windows-1252). The
default sheet is the first visible worksheet. Before anything is read
the file is checked: size (:data:`MAX_BYTES`), kind (by its first bytes, not its name),
encryption. A formula cell whose value was never computed (a file written by a program,
never opened in a spreadsheet) reads as empty in every reader: such cells of .xlsx files
are found in the sheet's XML and reported, never read as empty.

Problems are :class:`~rmxl.diagnostics.Diagnostic` values with a :class:`Cell` source,
shown ``FILE:Sheet!C12``; :class:`ImportFailure` carries them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from rmxl.diagnostics import Diagnostic, Source, make
from rmxl.fileio import open_regular
from rmxl.tools.ingest import extent

MAX_BYTES = 50 * 1024 * 1024
"""A spreadsheet larger than this (50 MiB; 10,000 agreements take about 1 MiB) is refused
before it is read."""

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
UTF16 = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True)
class Cell(Source):
    """A spreadsheet cell: ``line`` is the 1-based row, ``column`` the 1-based column."""

    sheet: str = ""

    def __str__(self) -> str:
        where = f"{self.sheet}!" if self.sheet else ""
        return f"{self.file}:{where}{letters(self.column)}{self.line}"


def letters(column: int) -> str:
    """1 → ``A``, 27 → ``AA``."""
    out = ""
    while column:
        column, r = divmod(column - 1, 26)
        out = chr(65 + r) + out
    return out


def column_number(text: str) -> int:
    """``A`` → 1, ``AA`` → 27."""
    n = 0
    for ch in text.upper():
        n = n * 26 + ord(ch) - 64
    return n


@dataclass(frozen=True, slots=True)
class CellError:
    """An Excel error value held by a cell (``#N/A``, ``#DIV/0!``…, a formula that
    failed). The reader gives such a cell as empty; the grid keeps it, so that a field
    read from it is refused at its cell (``import-cell-error``) rather than read as empty
    (an amount dropped without a word)."""

    text: str


class ImportFailure(Exception):
    """The import cannot go on; ``diagnostics`` says every reason."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(str(diagnostics[0]) if diagnostics else "import failed")
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class Grid:
    """One sheet: ``rows[r][c]`` (0-based) holds the cell's value (None when empty)."""

    file: str
    sheet: str
    rows: list[list[Any]]

    def cell(self, r: int, c: int) -> Cell:
        return Cell(self.file, r + 1, c + 1, self.sheet)


def _fail(code: str, message: str, file: str, hint: str = "") -> ImportFailure:
    return ImportFailure([make(code, message, Source(file, 1, 1), hint)])


def kind_of(path: Path, display: str, any_text: bool = False) -> str:
    """``zip`` (xlsx/xlsm/ods), ``ole`` (xls, or an encrypted xlsx) or ``csv`` (text:
    a .csv or .txt file, or with ``any_text`` any file without NUL bytes).

    Raises :class:`ImportFailure` for a file that is too large, unreadable, or neither."""
    try:
        f, size = open_regular(path)  # a FIFO or device is refused, never waited on
        with f:
            head = f.read(4096) if size <= MAX_BYTES else b""
    except OSError as e:
        raise _fail("import-unreadable", f"cannot read {display}: {e.strerror}", display) from e
    if size > MAX_BYTES:
        raise _fail(
            "import-too-large",
            f"{display} is {size / 1048576:.0f} MiB; spreadsheets over "
            f"{MAX_BYTES // 1048576} MiB are not read",
            display,
            "split the file by year, or save it as .csv without formatting",
        )
    if head.startswith(ZIP):
        return "zip"
    if head.startswith(OLE):
        return "ole"
    if (any_text or path.suffix.lower() in (".csv", ".txt")) and (
        b"\x00" not in head or head.startswith(UTF16)
    ):
        return "csv"
    raise _fail(
        "import-unreadable",
        f"{display} is not a spreadsheet (.xlsx, .xls, .ods or .csv)",
        display,
        "save it from the spreadsheet program as .xlsx or .csv",
    )


def read_grid(path: Path, sheet: str | None, display: str | None = None) -> Grid:
    """The sheet named ``sheet`` (default: the first) of the file at ``path``.

    Raises :class:`ImportFailure` (``import-too-large``, ``import-unreadable``,
    ``import-encrypted``, ``import-no-sheet``, ``import-formula``)."""
    shown = display or path.as_posix()
    kind = kind_of(path, shown)
    if kind == "csv":
        return Grid(shown, "", _csv_rows(path, shown))
    import python_calamine as pc

    if kind == "ole" and _encrypted(path):
        raise _encrypted_failure(shown)
    if kind == "zip":
        _check_extent(path, shown, None)  # an .ods: every table is read on opening
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own kinds and plain ValueErrors
        if "password" in str(e).lower() or "encrypt" in str(e).lower():
            raise _encrypted_failure(shown) from e
        raise _fail(
            "import-unreadable",
            f"{shown} cannot be read as a spreadsheet: {str(e).splitlines()[0][:160]}",
            shown,
            "open it in a spreadsheet program and save it again as .xlsx",
        ) from e
    names = list(wb.sheet_names)
    name = sheet if sheet is not None else _first_visible(wb, pc)
    if name not in names:
        low = {n.strip().casefold(): n for n in names}
        found = low.get(name.strip().casefold())
        if found is None:
            raise _fail(
                "import-no-sheet",
                f"{shown} has no sheet {name!r}",
                shown,
                "its sheets: " + ", ".join(repr(n) for n in names),
            )
        name = found
    if kind == "zip":
        _check_extent(path, shown, name)
    rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    grid = Grid(shown, name, [[None if v == "" else v for v in row] for row in rows])
    if kind == "zip":
        _check_formulas(path, grid)
    return grid


def _mark_ods_errors(path: Path, grid: Grid) -> None:
    """Mark the error cells of an .ods table in ``grid`` (:class:`CellError`)."""
    try:
        with zipfile.ZipFile(path) as z:
            found = extent.ods_error_cells(z, grid.sheet)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError, zlib.error):
        return
    except extent.TooLarge:
        return
    for row, col, text in found:
        if row < len(grid.rows) and col < len(grid.rows[row]):
            grid.rows[row][col] = CellError(text)


def _check_extent(path: Path, shown: str, sheet: str | None) -> None:
    """Refuse (``import-too-large``) a sheet whose used area a reader could not hold:
    for an .ods (``sheet`` None) every table, for an .xlsx the sheet ``sheet``
    (:mod:`rmxl.tools.ingest.extent`). A file that is no readable zip is left to the
    reader, which says so."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if sheet is None and "content.xml" in names and "xl/workbook.xml" not in names:
                extent.check_ods(z)
            elif sheet is not None and (member := _sheet_member(z, sheet)) in names:
                extent.check_xlsx_sheet(z, member, sheet)
    except extent.TooLarge as e:
        raise _fail(
            "import-too-large",
            f"{shown}: sheet {e.sheet!r} is too large to read: {e.why}",
            shown,
            "delete the stray cells far from the table (Ctrl+End goes to the last one), "
            "or save the sheet as .csv",
        ) from e
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ET.ParseError,
        EOFError,
        ValueError,
        NotImplementedError,
        zlib.error,
    ):
        return


def _first_visible(wb: Any, pc: Any) -> str:
    """The first worksheet a person sees when opening the file: hidden sheets (old
    versions, lookup lists) and chart sheets are passed over."""
    for m in wb.sheets_metadata:
        if m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet:
            return str(m.name)
    return str(wb.sheet_names[0])


def _encrypted(path: Path) -> bool:
    """An OLE file holding an ``EncryptedPackage`` stream is an encrypted xlsx."""
    data = path.read_bytes()
    return "EncryptedPackage".encode("utf-16-le") in data


def _encrypted_failure(shown: str) -> ImportFailure:
    return _fail(
        "import-encrypted",
        f"{shown} is protected by a password",
        shown,
        "open it, remove the password (File > Info > Protect Workbook), save, import again",
    )


def text_of(raw: bytes) -> str:
    """The text of a .csv or .txt file: UTF-16 with its byte order mark (Excel's "Unicode
    Text"), else UTF-8 with or without BOM, else Windows-1252."""
    if raw.startswith(UTF16):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _csv_rows(path: Path, shown: str) -> list[list[Any]]:
    text = text_of(path.read_bytes())
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return [[c if c.strip() else None for c in row] for row in reader]


_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_FORMULA_NO_VALUE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*>\s*<f[ >/](?:(?!</c>).)*?</c>', re.S)


_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S
)


def _check_formulas(path: Path, grid: Grid) -> None:
    """Report the formula cells of an xlsx sheet that have no cached value; mark the
    cells holding an error value (:class:`CellError`) in ``grid``, of an .ods too."""
    try:
        with zipfile.ZipFile(path) as z:
            member = _sheet_member(z, grid.sheet)
            if member is None:
                return _mark_ods_errors(path, grid)
            xml = z.read(member)
    except (zipfile.BadZipFile, KeyError, OSError, ET.ParseError):
        return
    for m in _ERROR_CELL.finditer(xml):
        row, col = int(m.group(2)) - 1, column_number(m.group(1).decode()) - 1
        if row < len(grid.rows) and col < len(grid.rows[row]):
            grid.rows[row][col] = CellError(m.group(3).decode("utf-8", "replace"))
    diags = []
    for m in _FORMULA_NO_VALUE.finditer(xml):
        if re.search(rb"<v(?: [^>]*)?>[^<]+</v>|<is>", m.group(0)):
            continue
        row, col = int(m.group(2)), column_number(m.group(1).decode())
        diags.append(
            make(
                "import-formula",
                "this cell holds a formula whose value was never computed",
                Cell(grid.file, row, col, grid.sheet),
                "open the file in a spreadsheet program, let it recalculate, save, import again",
            )
        )
    if diags:
        raise ImportFailure(diags)


def _sheet_member(z: zipfile.ZipFile, sheet: str) -> str | None:
    if "xl/workbook.xml" not in z.namelist():
        return None  # an .ods: its values are always stored with its formulas
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    for s in wb.iterfind("m:sheets/m:sheet", _NS):
        if s.get("name") == sheet:
            t = target.get(s.get(f"{{{_NS['r']}}}id")) or ""
            return t.lstrip("/") if t.startswith("/") else f"xl/{t}"
    return None


def excel_date(serial: float) -> dt.date:
    """An Excel serial day number (1900 date system) → the date it shows."""
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(serial))
