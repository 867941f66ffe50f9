"""The workbook's sheets about itself: Provenance (which ledger, which commit, when, that
it validated clean), ``xlwings.conf`` (the UDF module, as xlwings' quickstart workbook
lays it out) and Analysis (cells that call the RM_ functions).

The Analysis cells are formulas such as ``=RM_SHARE("region","Africa",2022)`` written
with the value :func:`rmxl.query.functions.call` gives for the same call (the code path of the
Excel functions and ``rmxl eval``), so the numbers show before the xlwings add-in has
recalculated. ``RM_BREAKDOWN`` and ``RM_TOP`` are written as dynamic-array formulas whose
spill range holds the table's values.
"""

from __future__ import annotations

import datetime as dt
from importlib.metadata import PackageNotFoundError, version

from xlsxwriter.workbook import Workbook

from rmxl.query.figures import Figures
from rmxl.query.periods import Period
from rmxl.read.identity import commit_label, ledger_name
from rmxl.render.workbook.style import Styles, page_setup, text

UDF_MODULE = "rmxl.udfs"
CONF_SHEET = "xlwings.conf"


def rmxl_version() -> str:
    try:
        return version("rmxl")
    except PackageNotFoundError:
        return "unknown"


def write_provenance(
    wb: Workbook, fig: Figures, when: tuple[dt.datetime, str], st: Styles, template: str = ""
) -> None:
    """Add the Provenance sheet: ledger folder, git commit, build time and its source,
    validation result, counts, the Analysis sheet's template, rmxl version."""
    ledger = fig.compiled.ledger
    ws = wb.add_worksheet("Provenance")
    page_setup(ws, titles=(0, 0))
    ws.write_string(0, 0, "Provenance", st.title)
    commit = commit_label(ledger.root)
    rows = [
        ("Ledger folder", ledger_name(ledger.root)),
        ("Ledger commit", commit or "(not a git checkout)"),
        ("Built at (UTC)", when[0].strftime("%Y-%m-%d %H:%M:%S")),
        ("Time source", when[1]),
        ("Validation", "clean: rmxl validate found no errors"),
        ("Agreements", len(ledger.agreements)),
        ("Partners", len(ledger.partners)),
        ("Analysis template", template or "built-in"),
        ("rmxl version", rmxl_version()),
        ("Built by", "rmxl build (docs/workbook.md)"),
    ]
    for r, (key, value) in enumerate(rows, 2):
        ws.write_string(r, 0, key, st.bold)
        if isinstance(value, int):
            ws.write_number(r, 1, value, st.count_left)  # beside its label, not 60 wide
        else:
            text(ws, r, 1, value)
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 60)


def write_xlwings_conf(wb: Workbook, st: Styles) -> None:
    """Add the ``xlwings.conf`` sheet, hidden: keys in column A from A1, values in column
    B (xlwings reads A1 down to the first blank cell), then instructions after a gap, as
    in xlwings' quickstart workbook."""
    ws = wb.add_worksheet(CONF_SHEET)
    ws.write_string(0, 0, "UDF Modules")
    ws.write_string(0, 1, UDF_MODULE)
    notes = [
        "Instructions:",
        "xlwings reads its settings from this sheet: keys in column A from A1, values in "
        "column B, down to the first empty row.",
        "UDF Modules names the Python module with the RM_ functions. With the xlwings "
        "add-in installed, use xlwings > Import Functions (see docs/spreadsheets.md).",
        "Other settings (Interpreter_Win, PYTHONPATH, Conda Path…) may be added above the "
        "empty row; absent keys fall back to the add-in's settings.",
    ]
    for r, note in enumerate(notes, 4):
        ws.write_string(r, 0, note, st.bold if r == 4 else None)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 14)
    ws.hide()  # xlwings finds it by name; readers have no use for it


def period_arg(p: Period) -> str | int:
    """How a cell passes a period: a year as a number, anything else as its text."""
    return int(p.text) if p.text.isdigit() else p.text
