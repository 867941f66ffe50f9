"""The RM_ functions live in LibreOffice Calc (issue 12): the rmxl extension installed
into a private profile, the workbook of ``rmxl build`` recalculated headless after one
amount of the ledger changed, and every RM_ cell of its Analysis sheet compared with
``rmxl eval`` on the changed ledger.

Needs ``soffice`` and LibreOffice's Python script provider (Debian
libreoffice-calc-nogui, libreoffice-script-provider-python; .ci/run installs them);
skipped when soffice is absent unless RMXL_REQUIRE_SOFFICE=1.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from test_libreoffice import PROFILE, SOFFICE, recalculated

from rmxl.calc.package import oxt_bytes
from rmxl.query.functions import FUNCTIONS

from conftest import DEMO, live_formula, run_cli

if not (DEMO / "taxonomy.yaml").is_file():
    pytest.skip("the demo ledger is not there", allow_module_level=True)

CHANGED = (
    "{by: gulf-fibre, amount: 40000, currency: USD}",
    "{by: gulf-fibre, amount: 50000, currency: USD}",
)
"""One amount of the demo ledger (BDT-2022-020), 40,000 → 50,000 USD: 2022 funds go from
9,669,771 (the seed report) to 9,679,771."""


def helpers() -> list[int]:
    """Process ids of running rmxl helpers."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"rmxl.calc.helper" in cmd:
            found.append(int(proc.name))
    return found


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private LibreOffice profile that recalculates on load, with the extension."""
    root = tmp_path_factory.mktemp("lo") / "profile"
    (root / "user").mkdir(parents=True)
    (root / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    code, out, err = run_cli("libreoffice", "install", "--profile", str(root))
    assert code == 0, err
    assert "installed" in out
    return root


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo repository's ledger with the workbook built from it, then one
    amount changed (the workbook keeps the values of before)."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(DEMO, root / "ledger")
    code, _, err = run_cli(
        "build", "--ledger", str(root / "ledger"), "--out", str(root / "workbook" / "rm.xlsx")
    )
    assert code == 0, err
    path = root / "ledger" / "agreements" / "2022.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(CHANGED[0]) == 1
    path.write_text(text.replace(*CHANGED), encoding="utf-8")
    return root


def recalculate(book: Path, profile: Path, tmp: Path, **env: str) -> dict[str, list[list[str]]]:
    """Every sheet of ``book`` as LibreOffice recalculates it with ``profile`` (sheet →
    CSV rows); the ledger is found from the workbook's folder, as a user's would be. No
    helper may be left running afterwards."""
    environ = {k: v for k, v in os.environ.items() if k != "RMXL_LEDGER"}
    environ.update(RMXL_HELPER_IDLE="60", **env)
    sheets = recalculated(book, tmp, profile, environ)
    deadline = time.monotonic() + 10  # the helper stops when LibreOffice closes its pipe
    while helpers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert helpers() == [], "an rmxl helper was left running"
    return sheets


def rm_cells(book: Path) -> list[tuple[int, int, str, int]]:
    """``(row, column, formula, rows)`` of every RM_ formula of the Analysis sheet (0-based;
    ``rows`` is the height of a table's spill range, 1 for a single cell)."""
    ws = openpyxl.load_workbook(book)["Analysis"]
    found = []
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            text = live_formula(getattr(value, "text", value))
            if (cell.data_type == "f" or hasattr(value, "ref")) and cell.column > 1:
                assert isinstance(text, str)
                formula = text.lstrip("=")
                assert formula.startswith(tuple(FUNCTIONS)), formula
                rows = 1
                if hasattr(value, "ref"):
                    lo, _, hi = str(value.ref).partition(":")
                    rows = int("".join(filter(str.isdigit, hi or lo))) - cell.row + 1
                found.append((cell.row - 1, cell.column - 1, formula, rows))
    return found


def evaluated(ledger: Path, formulas: list[str]) -> list[list[str]]:
    """``rmxl eval`` of each formula on ``ledger``: its output lines split at tabs."""
    out = []
    for f in formulas:
        code, text, err = run_cli("eval", "--ledger", str(ledger), f)
        assert code == 0, err
        out.append(text)
    return [[line.split("\t") for line in t.splitlines()] for t in out]  # type: ignore[misc]


def same(lo: str, rmxl: str) -> bool:
    """A CSV cell of LibreOffice equals rmxl's printed value (15 digits; ``12.5%``)."""
    if lo == rmxl:
        return True
    try:
        a = float(lo.removesuffix("%")) / (100 if lo.endswith("%") else 1)
        return math.isclose(a, float(rmxl), rel_tol=1e-9, abs_tol=1e-12)
    except ValueError:
        return False


def disagreements(repo: Path, sheet: list[list[str]]) -> tuple[int, list[str]]:
    """(RM_ cells compared, those where LibreOffice differs from rmxl eval)."""
    book = repo / "workbook" / "rm.xlsx"
    cells = rm_cells(book)
    answers = evaluated(repo / "ledger", [f for _, _, f, _ in cells])
    compared, bad = 0, []
    for (r, c, formula, rows), lines in zip(cells, answers, strict=True):
        for i, want in enumerate(lines[:rows]):
            for j, value in enumerate(want):
                got = (
                    sheet[r + i][c + j] if r + i < len(sheet) and c + j < len(sheet[r + i]) else ""
                )
                compared += 1
                if not same(got, value):
                    bad.append(f"{formula} [{i},{j}]: rmxl {value!r}, LibreOffice {got!r}")
    return compared, bad


def test_the_analysis_sheet_recalculates_from_the_changed_ledger(
    profile: Path, repo: Path, tmp_path: Path
) -> None:
    sheets = recalculate(repo / "workbook" / "rm.xlsx", profile, tmp_path)
    analysis = sheets["Analysis"]
    flat = [v for row in analysis for v in row]
    assert not [v for v in flat if v.startswith(("#NAME?", "Err:", "#VALUE!", "rmxl"))]
    compared, bad = disagreements(repo, analysis)
    assert bad == []
    assert compared > 100
    funds = next(row for row in analysis if row[1] == '=RM_TOTAL(2022,"funds")')
    assert funds[2] == "9679771"  # the stored value was 9669771: computed live
    assert analysis[1][0].startswith("The RM_ cells are live")


def test_libreoffices_python_needs_no_pandas(profile: Path, repo: Path, tmp_path: Path) -> None:
    """LibreOffice's Python cannot import pandas here (as in the Windows and macOS builds,
    which bundle a Python without it); the cells still compute."""
    shadow = tmp_path / "shadow"
    (shadow / "pandas").mkdir(parents=True)
    (shadow / "pandas" / "__init__.py").write_text("raise ImportError('no pandas here')\n")
    seen = tmp_path / "seen.json"
    (shadow / "sitecustomize.py").write_text(
        "import json, sys\n"
        "try:\n    import pandas\n    ok = True\nexcept ImportError:\n    ok = False\n"
        f"json.dump({{'pandas': ok, 'python': sys.executable}}, open({str(seen)!r}, 'w'))\n"
    )
    sheets = recalculate(repo / "workbook" / "rm.xlsx", profile, tmp_path, PYTHONPATH=str(shadow))
    assert json.loads(seen.read_text())["pandas"] is False  # LibreOffice's Python ran it
    compared, bad = disagreements(repo, sheets["Analysis"])
    assert bad == [] and compared > 100


def test_spreadsheet_shaped_arguments_in_calc(profile: Path, repo: Path, tmp_path: Path) -> None:
    """Calc's own values as arguments: an error cell stays an error (not the funds
    share), a date cell is that day, a range where one value is expected says so, a
    blank cell is an omitted argument."""
    book = repo / "workbook" / "shapes.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    ws = wb.add_worksheet("S")
    ws.write_string(0, 1, "Africa")
    ws.write_number(1, 1, 44623)  # 2022-03-03 (a date cell): BDT-2022-017 alone was signed then
    ws.write_string(2, 1, "region")
    formulas = [
        '=RM_SHARE("region","Africa",2022,NA())',
        '=RM_TOTAL(B2,"agreements")',
        "=RM_SHARE(B3,B1:B2,2022)",
        "=RM_TOTAL(2022,B5)",
    ]
    for i, f in enumerate(formulas):
        ws.write_formula(i, 0, f, None, 0)
    wb.close()
    rows = recalculate(book, profile, tmp_path)["S"]
    assert [r[0] for r in rows[:4]] == [
        "#N/A",
        "1",
        "bucket is a range of 2 cells; give one value (one cell)",
        "9679771",
    ]


def test_the_extension_carries_no_dependency() -> None:
    """What runs inside LibreOffice imports only the standard library and uno."""
    import ast
    import io
    import sys
    import zipfile

    with zipfile.ZipFile(io.BytesIO(oxt_bytes("/x/python"))) as z:
        names = set(z.namelist())
        source = z.read("rmxl_calc.py").decode()
        config = json.loads(z.read("config.json"))
    assert {"META-INF/manifest.xml", "description.xml", "rmxl.idl", "functions.bas"} <= names
    assert config["python"] == "/x/python"
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    uno = {"uno", "unohelper", "com", "org"}
    assert imported - uno - {"__future__"} <= set(sys.stdlib_module_names)


def test_recalculation_times(profile: Path, repo: Path, tmp_path: Path) -> None:
    """The first recalculation (LibreOffice starts the helper, which compiles the ledger)
    and a later one in the same session (answers from memory), as printed by -s."""
    macro = profile / "user" / "Scripts" / "python" / "rmxl_timing.py"
    macro.parent.mkdir(parents=True, exist_ok=True)
    report = tmp_path / "times.json"
    macro.write_text(
        TIMING.replace("@REPORT@", str(report)).replace(
            "@BOOK@", (repo / "workbook" / "rm.xlsx").as_uri()
        ),
        encoding="utf-8",
    )
    try:
        env = {k: v for k, v in os.environ.items() if k != "RMXL_LEDGER"}
        subprocess.run(
            [
                str(SOFFICE),
                f"-env:UserInstallation={profile.resolve().as_uri()}",
                "--headless",
                "vnd.sun.star.script:rmxl_timing.py$timing?language=Python&location=user",
            ],
            check=True,
            capture_output=True,
            timeout=300,
            env=env,
        )
    finally:
        macro.unlink()
    times: dict[str, Any] = json.loads(report.read_text())
    print(f"\nLibreOffice recalculation: {times}")
    assert "error" not in times
    assert times["funds"] == 9679771
    assert times["later"] < times["first"]


TIMING = """
import json, time
import uno
from com.sun.star.beans import PropertyValue

def timing(*args):
    desktop = XSCRIPTCONTEXT.getDesktop()
    hidden = PropertyValue(); hidden.Name = "Hidden"; hidden.Value = True
    out = {}
    try:
        t = time.perf_counter()
        doc = desktop.loadComponentFromURL("@BOOK@", "_blank", 0, (hidden,))
        out["first"] = time.perf_counter() - t
        t = time.perf_counter()
        doc.calculateAll()
        out["later"] = time.perf_counter() - t
        sheet = doc.Sheets.getByName("Analysis")
        for r in range(60):
            if sheet.getCellByPosition(1, r).getString() == '=RM_TOTAL(2022,"funds")':
                out["funds"] = sheet.getCellByPosition(2, r).getValue()
        doc.close(True)
    except Exception as e:
        out["error"] = repr(e)
    finally:
        json.dump(out, open("@REPORT@", "w"))
        desktop.terminate()
"""
