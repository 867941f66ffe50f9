"""Registration of the RM_ functions, through xlwings' own Windows code, on Linux.

On Linux ``xw.func``/``xw.arg``/``xw.ret`` are no-ops (field notes), so importing
rmxl.udfs proves nothing about what Excel will see. ``xlwings.udfs`` — where the real
decorators and the VBA generator of "Import Functions" live — imports once the pywin32
modules are stubbed. These tests put its ``xlfunc``/``xlarg``/``xlret`` in place of the
no-ops, re-execute rmxl/udfs.py so its own decorator lines build the metadata, and run
``generate_vba_wrapper``: the VBA module Excel would import.
"""

from __future__ import annotations

import importlib
import io
import re
import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest
import xlwings as xw

import rmxl.udfs

PYWIN32 = ("pythoncom", "pywintypes", "win32com", "win32com.client")

SIGNATURES = {
    "RM_BREAKDOWN": "dimension, period, Optional measure",
    "RM_CHART": "dimension, period, Optional measure, Optional kind",
    "RM_INFO": "Optional field",
    "RM_SHARE": "dimension, bucket, period, Optional measure",
    "RM_TOP": "n, period, Optional measure",
    "RM_TOTAL": "period, Optional measure, Optional dimension, Optional bucket",
}
"""spec §5: the arguments, and which are optional ([measure] …)."""


def _stub(name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.CoInitialize = lambda: None  # type: ignore[attr-defined]
    module.Dispatch = lambda *a, **k: None  # type: ignore[attr-defined]
    module.com_error = type("com_error", (Exception,), {})  # type: ignore[attr-defined]
    return module


@pytest.fixture
def windows_udfs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``xlwings.udfs`` imported over stub pywin32 modules, its decorators standing in
    for ``xw.func/arg/ret``; rmxl.udfs re-executed under them. Undone afterwards."""
    for name in PYWIN32:
        if name not in sys.modules:
            monkeypatch.setitem(sys.modules, name, _stub(name))
    monkeypatch.delitem(sys.modules, "xlwings.udfs", raising=False)
    xlu = importlib.import_module("xlwings.udfs")
    saved = xw.func, xw.arg, xw.ret
    xw.func, xw.arg, xw.ret = xlu.xlfunc, xlu.xlarg, xlu.xlret  # type: ignore[assignment]
    try:
        yield xlu
    finally:
        xw.func, xw.arg, xw.ret = saved  # type: ignore[assignment]
        sys.modules.pop("xlwings.udfs", None)
        if hasattr(xw, "udfs"):
            delattr(xw, "udfs")
        importlib.reload(rmxl.udfs)


def vba_of(xlu: Any, module: types.ModuleType, book: str = "rm.xlsm") -> str:
    """The VBA that "Import Functions" writes for ``module`` into workbook ``book``."""
    out = io.StringIO()
    xlu.generate_vba_wrapper(module.__name__, module, out, types.SimpleNamespace(Name=book))
    return out.getvalue()


def test_decorators_are_no_ops_here() -> None:
    assert not hasattr(rmxl.udfs.RM_SHARE, "__xlfunc__")


def test_vba_function_per_rm_function_with_its_arguments(windows_udfs: Any) -> None:
    module = importlib.reload(rmxl.udfs)
    vba = vba_of(windows_udfs, module)
    found = dict(re.findall(r"^Function (RM_\w+)\((.*)\)$", vba, re.MULTILINE))
    assert found == SIGNATURES
    assert len(re.findall(r"^Function ", vba, re.MULTILINE)) == len(SIGNATURES)
    # caller is xlwings' reserved argument: passed by xlwings, never shown in Excel
    assert (
        'RM_SHARE = XLPy.CallUDF("rmxl.udfs", "RM_SHARE", '
        "Array(dimension, bucket, period, measure, Nothing), ThisWorkbook, "
        "Application.Caller)"
    ) in vba
    # RM_CHART alone is not run by the function wizard's preview (it draws a picture)
    assert vba.count("Controls(1).Enabled) Then Exit Function") == 1
    chart = vba.split("Function RM_CHART(")[1].split("End Function")[0]
    assert "Controls(1).Enabled) Then Exit Function" in chart
    # an error inside xlwings becomes the cell's text, not a VBA error dialog
    assert vba.count("RM_SHARE = Err.Description") == 1


def test_add_in_calls_use_the_active_workbook(windows_udfs: Any) -> None:
    vba = vba_of(windows_udfs, importlib.reload(rmxl.udfs), book="rmxl.xlam")
    assert "ActiveWorkbook, Application.Caller)" in vba
    assert "ThisWorkbook" not in vba


def test_function_wizard_texts(windows_udfs: Any) -> None:
    module = importlib.reload(rmxl.udfs)
    for name, signature in SIGNATURES.items():
        meta = getattr(module, name).__xlfunc__
        assert meta["category"] == "rmxl"
        shown = [a for a in meta["args"] if not a["vba"] and a["name"] != "caller"]
        assert [a["name"] for a in shown] == re.sub(r"Optional ", "", signature).split(", ")
        for a in shown:  # xlwings' default is "Positional argument N": ours explains
            assert not a["doc"].startswith("Positional argument"), (name, a["name"])
            assert len(a["doc"]) <= 255
            # no converter: Excel's 2021.6 must reach us, not be rounded to 2022; and an
            # error cell arrives as its text (#N/A), not as empty (issue 12, spec §6)
            assert a["options"] == {"err_to_str": True}, (name, a["name"])
        description = meta["ret"]["doc"]
        assert name in description and len(description) <= 255 and "\n" not in description


def test_tables_spill_natively_unless_legacy_arrays(
    windows_udfs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = importlib.reload(rmxl.udfs)
    for name in ("RM_BREAKDOWN", "RM_TOP", "RM_INFO"):
        assert getattr(module, name).__xlfunc__["ret"]["options"] == {}
    monkeypatch.setenv("RMXL_LEGACY_ARRAYS", "1")
    module = importlib.reload(rmxl.udfs)
    for name in ("RM_BREAKDOWN", "RM_TOP", "RM_INFO"):
        assert getattr(module, name).__xlfunc__["ret"]["options"] == {"expand": "table"}
    assert module.RM_SHARE.__xlfunc__["ret"]["options"] == {}


def test_decorated_functions_still_answer(
    windows_udfs: Any, small: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RMXL_LEDGER", str(small))
    module = importlib.reload(rmxl.udfs)
    module.SESSIONS.clear()
    assert module.RM_TOTAL(2022.0) == 2_650_000.0
