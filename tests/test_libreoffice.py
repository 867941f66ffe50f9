"""A second engine agrees (issue 5.3): LibreOffice headless opens the built workbook,
recalculates every formula (a profile with OOXMLRecalcMode = 0, "always"; see
docs/field-notes) and exports each sheet as CSV; every formula cell must equal the value
rmxl wrote, which test_workbook checks against Figures.

The Analysis sheet is compared too: this profile has no RM_ add-in, so its cells must
show the values rmxl build stored, not #NAME? (issue 12; with the rmxl extension they
compute live: test_libreoffice_functions). Needs ``soffice`` (Debian
libreoffice-calc-nogui); skipped when it is absent unless RMXL_REQUIRE_SOFFICE=1.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from rmxl.pipeline import load as loader
from rmxl.render.workbook.build import build_workbook

from conftest import DEMO

SOFFICE = shutil.which("soffice")
if SOFFICE is None and os.environ.get("RMXL_REQUIRE_SOFFICE") != "1":
    pytest.skip("soffice (LibreOffice) is not installed", allow_module_level=True)

CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
SKIPPED_SHEETS: set[str] = set()


def recalculated(
    book: Path, tmp: Path, profile: Path | None = None, env: dict[str, str] | None = None
) -> dict[str, list[list[str]]]:
    """Every sheet of ``book`` as LibreOffice recalculates it: sheet → CSV rows. A fresh
    profile in ``tmp`` unless ``profile`` (one that recalculates on load) is given;
    ``env`` is soffice's environment (default: this process's)."""
    if profile is None:
        profile = tmp / "profile"
        (profile / "user").mkdir(parents=True, exist_ok=True)
        (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    out = tmp / "csv"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--convert-to",
            CSV_FILTER,
            "--outdir",
            str(out),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    prefix = f"{book.stem}-"
    return {
        p.stem.removeprefix(prefix): list(csv.reader(p.open(encoding="utf-8", newline="")))
        for p in out.glob("*.csv")
    }


def number(text: str) -> float | None:
    """A CSV cell as a number (``12.5%`` → 0.125), or None if it is not one."""
    t = text.strip()
    scale = 100 if t.endswith("%") else 1
    try:
        return float(t.removesuffix("%")) / scale
    except ValueError:
        return None


def disagreements(book: Path, sheets: dict[str, list[list[str]]]) -> tuple[int, list[str]]:
    """(number of formula cells compared, the ones where LibreOffice differs)."""
    formulas = openpyxl.load_workbook(book)
    cached = openpyxl.load_workbook(book, data_only=True)
    compared, bad = 0, []
    for ws in formulas.worksheets:
        if ws.title in SKIPPED_SHEETS:
            continue
        rows = sheets[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                compared += 1
                want = cached[ws.title][cell.coordinate].value
                r, c = cell.row - 1, cell.column - 1
                got = rows[r][c] if r < len(rows) and c < len(rows[r]) else ""
                if isinstance(want, int | float):
                    n = number(got)
                    ok = n is not None and math.isclose(n, want, rel_tol=1e-9, abs_tol=1e-9)
                else:
                    ok = got == (want or "")
                if not ok:
                    bad.append(f"{ws.title}!{cell.coordinate}: rmxl {want!r}, LibreOffice {got!r}")
    return compared, bad


def test_libreoffice_recalculates_rather_than_trusting_cached_values(tmp_path: Path) -> None:
    """Guard: a formula written with a wrong cached value comes back right."""
    book = tmp_path / "guard.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    ws = wb.add_worksheet("S")
    ws.write_number(0, 0, 8)
    ws.write_number(1, 0, 9)
    ws.write_formula(2, 0, '=SUMIFS(A1:A2,A1:A2,">0")', None, 999)
    wb.close()
    assert recalculated(book, tmp_path)["S"][2] == ["17"]


@pytest.mark.parametrize(
    ("ledger", "periods"),
    [
        ("inline", None),
        ("inline", ["2022-07..2023-06", "2022H2", "2021-07..2022-06"]),  # two action plans
        ("demo", None),
    ],
)
def test_every_formula_cell_agrees_with_rmxl(
    ledger: str, periods: list[str] | None, small: Path, tmp_path: Path
) -> None:
    root = small if ledger == "inline" else DEMO
    if ledger == "demo" and not (DEMO / "taxonomy.yaml").exists():
        pytest.skip("demo ledger not present")
    book = build_workbook(loader.figures(root), tmp_path / "rm.xlsx", periods, environ={})
    sheets = recalculated(book, tmp_path)
    names = openpyxl.load_workbook(book, read_only=True).sheetnames
    assert sorted(sheets) == sorted(names)  # opened without repair: every sheet exported
    compared, bad = disagreements(book, sheets)
    assert bad == []
    # the default build no longer repeats a year that is not over as a whole year
    assert compared > (1300 if ledger == "demo" else 400)
