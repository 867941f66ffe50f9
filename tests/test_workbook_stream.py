"""rmxl build keeps its memory small (columns kept as arrays, the zip written part by part:
rmxl/render/workbook/columns.py and package.py) and still writes the very bytes of
xlsxwriter writing every cell itself into its in-memory zip, as rmxl did before: whole
workbooks of synthetic and hand-written ledgers, and single sheets of generated columns
with every kind of awkward value."""

from __future__ import annotations

import datetime as dt
import io
import math
import sys
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rmxl.pipeline import load as loader
from rmxl.render.workbook import build as workbook
from rmxl.render.workbook import style
from rmxl.render.workbook.build import build_workbook
from rmxl.render.workbook.package import StreamBook
from rmxl.render.workbook.rows import CHUNK

from conftest import AGREEMENTS, DEMO, base_files, write_ledger

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class PlainSheet(style.Sheet):
    """rmxl's sheet as it was: every cell written with xlsxwriter's own writers."""

    def text_column(self, col: int, values: Any, fmt: Any = None, first: int = 1) -> None:
        for r, v in enumerate(values, first):
            if v is not None and v == v and v != "":
                self._write_string(r, col, str(v), fmt)

    def number_column(self, col: int, values: Any, fmt: Any = None, first: int = 1) -> None:
        for r, v in enumerate(values, first):
            self._write_number(r, col, v, fmt)

    def formula_column(
        self, col: int, formula: Any, values: Any, fmt: Any = None, first: int = 1
    ) -> None:
        for i, (r, v) in enumerate(enumerate(values, first)):
            self._write_formula(r, col, formula if isinstance(formula, str) else formula[i], fmt, v)

    def add_table(self, *args: Any, **kwargs: Any) -> Any:
        return Worksheet.add_table(self, *args, **kwargs)

    def pack(self) -> None:
        pass

    def _write_rows(self) -> None:
        Worksheet._write_rows(self)


class PlainBook(Workbook):
    """xlsxwriter's in-memory workbook, zipped into ``target`` at close."""

    worksheet_class = PlainSheet

    def __init__(self, target: Any, options: dict[str, Any]) -> None:
        super().__init__(target, {**options, "in_memory": True})


def plain_build(root: Path, out: Path, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> bytes:
    with monkeypatch.context() as m:
        m.setattr(workbook, "Book", PlainBook)
        m.setattr(style, "Sheet", PlainSheet)
        build_workbook(loader.figures(root), out, environ=EPOCH, **kw)
    return out.read_bytes()


def synthetic(n: int, folder: Path, seed: int = 1) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        from synth import generate
    finally:
        sys.path.pop(0)
    return generate(n, folder, seed=seed)


@pytest.mark.parametrize("n", [40, 2 * CHUNK + 37])
def test_synthetic_workbook_is_the_plain_build(
    n: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = synthetic(n, tmp_path / "l")
    build_workbook(loader.figures(root), tmp_path / "new.xlsx", environ=EPOCH)
    new = (tmp_path / "new.xlsx").read_bytes()
    assert new == plain_build(root, tmp_path / "old.xlsx", monkeypatch)
    names = zipfile.ZipFile(io.BytesIO(new)).namelist()
    assert names[0] == "[Content_Types].xml" and "xl/tables/table3.xml" in names


def test_demo_and_awkward_ledgers_are_the_plain_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    awkward = AGREEMENTS.replace("Smart villages", "'=1+2 & <b>\"x\"</b>  '").replace(
        "Cyber drills", "' Ünïcode ☃ 𝄞 '"
    )
    hand = write_ledger(tmp_path / "h", base_files(**{"agreements/2022.yaml": awkward}))
    for root, kw in [(DEMO, {}), (hand, {}), (hand, {"periods": ["2022Q1", "2022"]})]:
        build_workbook(loader.figures(root), tmp_path / "new.xlsx", environ=EPOCH, **kw)
        new = (tmp_path / "new.xlsx").read_bytes()
        assert new == plain_build(root, tmp_path / "old.xlsx", monkeypatch, **kw), root


TEXT = st.one_of(
    st.none(),
    st.just(""),
    st.just(math.nan),
    st.sampled_from(["Africa", "Europe", " lead", "trail ", "a&b<c>\"d'", "x\ny", "\x01ctl"]),
    st.text(max_size=12),
    st.integers(-5, 5),
    st.builds(lambda n: "L" * n, st.sampled_from([16383, 16384, 16385, 40000])),
)
NUMBER = st.one_of(
    st.integers(-(10**17), 10**17),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -0.0, 1e-300, 123456789.123456789, 44562]),
    st.sampled_from([True, Fraction(1, 3), math.nan]),
)


FORMULAS = ['=COUNTIF(A:A,"<>")&"x"', "{=SUM(A1:A2)}", "=FILTER(A:A,A:A>0)", "=1<2"]


@st.composite
def sheets(draw: st.DrawFn) -> dict[str, Any]:
    rows = draw(st.integers(1, 70))
    kinds = draw(st.lists(st.sampled_from(["s", "n", "f"]), min_size=1, max_size=5))
    columns = []
    for kind in kinds:
        n = draw(st.integers(0, rows))
        values = draw(st.lists(TEXT if kind == "s" else NUMBER, min_size=n, max_size=n))
        if kind == "f":
            values = [v if isinstance(v, int) or draw(st.booleans()) else "text" for v in values]
        columns.append((kind, draw(st.integers(0, 3)), values, draw(st.sampled_from(range(4)))))
    extra = draw(st.lists(st.tuples(st.integers(0, rows + 2), st.integers(0, 6), TEXT), max_size=4))
    cellwise = []  # written cell by cell, then packed (Sheet.pack), from column 7 on
    for kind in draw(st.lists(st.sampled_from(["s", "n", "f", "x"]), max_size=3)):
        n = draw(st.integers(0, rows))
        values = draw(st.lists(TEXT if kind == "s" else NUMBER, min_size=n, max_size=n))
        one = st.sampled_from(range(4)).map(lambda f, n=n: [f] * n)
        fmts = draw(one | st.lists(st.sampled_from(range(4)), min_size=n, max_size=n))
        cellwise.append((kind, draw(st.integers(0, 12)), values, fmts))
    return {
        "cellwise": cellwise,
        "chart": draw(st.booleans()),
        "columns": columns,
        "extra": extra,
        "row_formats": draw(st.lists(st.integers(0, rows + 2), max_size=3)),
        "table": draw(st.booleans()),
        "default_row": draw(st.sampled_from([None, None, 20])),
        "chunk": draw(st.sampled_from([3, 16, CHUNK])),
    }


def _sheet_bytes(spec: dict[str, Any], stream: bool) -> bytes:
    out = io.BytesIO()
    wb: Workbook = (
        StreamBook(out, OPTIONS) if stream else Workbook(out, {**OPTIONS, "in_memory": True})
    )
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    ws = wb.add_worksheet("Data", style.Sheet if stream else PlainSheet)
    wb.add_worksheet("Other").write_string(0, 0, "before")  # shared strings across sheets
    fmts = [None, wb.add_format({"num_format": "#,##0"}), wb.add_format({"indent": 1})]
    fmts.append(wb.add_format({"num_format": "#,##0"}))  # equal to fmts[1]
    ws.set_column(2, 2, 12, fmts[2])
    if spec["default_row"]:
        ws.set_default_row(spec["default_row"])  # every row then says its height
    ncols = len(spec["columns"])
    headers = [f"H{i}" for i in range(ncols)]
    for c, (kind, each, values, f) in enumerate(spec["columns"]):
        if kind == "s":
            ws.text_column(c, values, fmts[f])
        elif kind == "n":
            ws.number_column(c, values, fmts[f])
        elif each % 2:  # one formula per row
            formulas = [FORMULAS[(c + i) % len(FORMULAS)] for i in range(len(values))]
            ws.formula_column(c, formulas, values, fmts[f])
        else:
            ws.formula_column(c, FORMULAS[c % len(FORMULAS)], values, fmts[f])
    for c, (kind, first, values, fs) in enumerate(spec["cellwise"], 7):
        for r, (v, f) in enumerate(zip(values, fs, strict=True), first):
            if kind == "s":
                ws.write_string(r, c, str(v), fmts[f])
            elif kind == "n":
                ws.write_number(r, c, v, fmts[f])
            elif kind == "f":
                ws.write_formula(r, c, f"=H{r + 1}*2", fmts[f], "" if f == 3 else v)
            else:
                ws.write_blank(r, c, None, fmts[f] or fmts[2])
    ws.pack()
    if spec["chart"]:
        chart = wb.add_chart({"type": "bar"})
        chart.add_series({"values": ["Data", 0, 7, 30, 8], "categories": ["Data", 0, 0, 30, 0]})
        ws.insert_chart(0, 12, chart)
    for row, col, value in spec["extra"]:
        ws.write_string(row, col, str(value), fmts[2])
    for row in spec["row_formats"]:
        ws.set_row(row, 30, fmts[1])
    if spec["table"]:
        last = max(1, *(len(v) for _, _, v, _ in spec["columns"]))
        ws.add_table(
            0, 0, last, ncols - 1, {"name": "T", "columns": [{"header": h} for h in headers]}
        )
    wb.close()
    return out.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets())
@example(
    {
        "columns": [("s", 0, ["a", None, "b"] * 30, 2), ("n", 0, [1.5] * 90, 1)],
        "extra": [],
        "row_formats": [0],
        "table": True,
        "cellwise": [("f", 2, list(range(40)), [1] * 20 + [3] * 20)],
        "chart": True,
        "default_row": None,
        "chunk": 16,
    }
)
def test_columns_write_what_xlsxwriter_writes(spec: dict[str, Any]) -> None:
    """Same bytes, or the same error (xlsxwriter refuses NaN and text as a number)."""
    import rmxl.render.workbook.rows as rows

    results = []
    for stream in (False, True):
        saved, rows.CHUNK = rows.CHUNK, spec["chunk"]
        try:
            results.append(_sheet_bytes(spec, stream))
        except (TypeError, ValueError) as e:
            results.append(type(e))
        finally:
            rows.CHUNK = saved
    if isinstance(results[0], bytes) and isinstance(results[1], bytes):
        assert _parts(results[1]) == _parts(results[0])
    assert results[0] == results[1]


def _parts(data: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {i.filename: z.read(i) for i in z.infolist()}


def test_failed_write_leaves_nothing_and_says_why(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write failing half-way through the zip (disk full) is the OSError itself, the
    old workbook stays and no temporary file is left."""
    out = tmp_path / "rm.xlsx"
    out.write_bytes(b"previous workbook")
    real = zipfile.ZipFile.open
    calls = {"n": 0}

    def full(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 10:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", full)
    with pytest.raises(OSError, match="No space left") as e:
        build_workbook(loader.figures(small), out, environ=EPOCH)
    assert e.value.filename == str(out)
    assert out.read_bytes() == b"previous workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger", "rm.xlsx"]
