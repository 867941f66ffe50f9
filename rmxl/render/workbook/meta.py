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
import subprocess
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook

from rmxl.query.figures import Figures
from rmxl.query.periods import Period
from rmxl.render.workbook.style import Styles, page_setup, quote, text

UDF_MODULE = "rmxl.udfs"
CONF_SHEET = "xlwings.conf"
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The build time of a ledger outside git with no SOURCE_DATE_EPOCH."""


def rmxl_version() -> str:
    try:
        return version("rmxl")
    except PackageNotFoundError:
        return "unknown"


def _git(root: Path, *args: str) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def build_time(root: Path, environ: dict[str, str]) -> tuple[dt.datetime, str]:
    """The time stamped in the workbook and where it comes from: ``SOURCE_DATE_EPOCH``
    (reproducible-builds.org), else the last git commit touching the ledger, else
    :data:`FIXED_TIME` — never the clock, so the same ledger gives the same bytes."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC), "SOURCE_DATE_EPOCH"
    stamp = _git(root, "log", "-1", "--format=%ct", "--", ".")
    if stamp.isdigit():
        return dt.datetime.fromtimestamp(int(stamp), dt.UTC), "last git commit of the ledger"
    return FIXED_TIME, "fixed (no git history, no SOURCE_DATE_EPOCH)"


def ledger_commit(root: Path) -> str:
    """The last commit that changed the ledger folder (12 hex digits, ``+`` when the
    folder has uncommitted changes), or ``""`` outside git. Not HEAD: a commit elsewhere
    in the repository does not change the ledger, so it must not change the workbook."""
    commit = _git(root, "log", "-1", "--format=%h", "--abbrev=12", "--", ".")
    if not commit:
        return ""
    dirty = _git(root, "status", "--porcelain", "--", ".")
    return commit + ("+" if dirty else "")


def ledger_name(root: Path) -> str:
    """The ledger folder as a reader finds it: relative to its git checkout's top folder
    (``ledger``), else the absolute path."""
    top = _git(root, "rev-parse", "--show-toplevel")
    absolute = root.resolve()
    if top:
        try:
            return absolute.relative_to(Path(top).resolve()).as_posix() or "."
        except ValueError:
            pass
    return absolute.as_posix()


def write_provenance(
    wb: Workbook, fig: Figures, when: tuple[dt.datetime, str], st: Styles, template: str = ""
) -> None:
    """Add the Provenance sheet: ledger folder, git commit, build time and its source,
    validation result, counts, the Analysis sheet's template, rmxl version."""
    ledger = fig.compiled.ledger
    ws = wb.add_worksheet("Provenance")
    page_setup(ws, titles=(0, 0))
    ws.write_string(0, 0, "Provenance", st.title)
    commit = ledger_commit(ledger.root)
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


def formula_text(name: str, args: Sequence[Any]) -> str:
    """``=RM_SHARE("region","Africa",2022)``: strings quoted (``"`` doubled), numbers
    as written."""
    parts = [quote(a) if isinstance(a, str) else repr(a) for a in args]
    return f"={name}({','.join(parts)})"


def period_arg(p: Period) -> str | int:
    """How a cell passes a period: a year as a number, anything else as its text."""
    return int(p.text) if p.text.isdigit() else p.text
