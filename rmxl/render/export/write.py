"""Write the tables of :mod:`rmxl.render.export.tables` as csv, parquet, json or xlsx, with
a Frictionless ``datapackage.json`` (Data Package v1, tabular) describing their fields.

Layouts (``OUT`` the output folder): ``csv`` → ``OUT/agreements.csv``… (UTF-8, comma,
header row, dates ISO 8601, booleans ``true``/``false``); ``json`` → ``OUT/agreements.json``…
(a list of objects per table); ``parquet`` → ``OUT/agreements.parquet``… (USD as
``decimal(38,2)`` so that sums are exact; dates as ``date32``); ``xlsx`` →
``OUT/ledger.xlsx``, one sheet per table (``Agreements``, ``Contributions``…), dates as Excel
dates. The files are written all or nothing (:func:`rmxl.fileio.write_files`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from rmxl.fileio import write_files
from rmxl.render.export.tables import Table

FORMATS = ("csv", "parquet", "json", "xlsx")
XLSX_NAME = "ledger.xlsx"


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


FORMULA_START = ("=", "+", "-", "@")
"""A text starting with one of these is run as a formula by a spreadsheet opening a CSV."""


def formula_like(tables: list[Table]) -> int:
    """How many text values start like a formula (:data:`FORMULA_START`): the CSV keeps
    them exact, for DuckDB and pandas; the xlsx export stores them as text."""
    return sum(
        1
        for t in tables
        for col in t.frame.columns
        for v in t.frame[col]
        if isinstance(v, str) and v.startswith(FORMULA_START)
    )


def _csv(t: Table) -> bytes:
    frame = t.frame.map(lambda v: ("true" if v else "false") if isinstance(v, bool) else v)
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _json(t: Table) -> bytes:
    rows = [{k: _plain(v) for k, v in r.items()} for r in t.frame.to_dict("records")]
    return (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _parquet(t: Table) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {
        "string": pa.string(),
        "date": pa.date32(),
        "integer": pa.int64(),
        "boolean": pa.bool_(),
    }
    arrays, names = [], []
    for name, kind, _ in t.fields:
        values = t.frame[name].tolist()
        if kind == "number":
            money = name in ("usd", "funds", "partner_funds", "itu_funds", "own_funds")
            typ = pa.decimal128(38, 2) if money else pa.float64()
            values = [v if money else float(v) for v in values]
        else:
            typ = kinds[kind]
        arrays.append(pa.array(values, type=typ))
        names.append(name)
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, names=names), buf)
    return buf.getvalue()


def _xlsx(tables: list[Table]) -> bytes:
    from xlsxwriter.workbook import Workbook

    buf = io.BytesIO()
    wb = Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    bold = wb.add_format({"bold": True})
    for t in tables:
        ws = wb.add_worksheet(t.sheet)
        for c, (name, kind, _) in enumerate(t.fields):
            ws.write_string(0, c, name, bold)
            ws.set_column(c, c, 12 if kind != "string" else 20)
            for r, v in enumerate(t.frame[name].tolist(), 1):
                if kind == "date":
                    ws.write_datetime(r, c, dt.datetime.combine(v, dt.time()), date_fmt)
                elif kind == "boolean":
                    ws.write_boolean(r, c, bool(v))
                elif kind in ("number", "integer"):
                    ws.write_number(r, c, float(v))
                elif v != "":
                    ws.write_string(r, c, str(v))
        ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()


_ONE: dict[str, Callable[[Table], bytes]] = {"csv": _csv, "json": _json, "parquet": _parquet}
_MEDIA = {
    "csv": "text/csv",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def datapackage(tables: list[Table], fmt: str) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the written tables (fields, primary and
    foreign keys)."""
    resources = []
    for t in tables:
        path = XLSX_NAME if fmt == "xlsx" else f"{t.name}.{fmt}"
        res: dict[str, Any] = {
            "name": t.name,
            "path": path,
            "profile": "tabular-data-resource",
            "format": fmt,
            "mediatype": _MEDIA[fmt],
            "schema": {
                "fields": [
                    {"name": n, "type": k, "description": d}
                    | ({"format": "%Y-%m-%d"} if k == "date" and fmt == "csv" else {})
                    for n, k, d in t.fields
                ],
                "primaryKey": list(t.key),
            },
        }
        if fmt == "csv":
            res["encoding"] = "utf-8"
        if fmt == "xlsx":
            res["dialect"] = {"sheet": t.sheet}
        ref = {"agreement_id": "agreements", "partner_id": "partners"}
        res["schema"]["foreignKeys"] = [
            {"fields": col, "reference": {"resource": ref[col], "fields": "id"}}
            for col, _, _ in t.fields
            if col in ref
        ]
        resources.append(res)
    return {"name": "rmxl-ledger", "profile": "tabular-data-package", "resources": resources}


def write(tables: list[Table], fmt: str, out: Path) -> list[Path]:
    """Write ``tables`` in ``fmt`` (one of :data:`FORMATS`) into the folder ``out`` (made
    if missing) with ``datapackage.json``; returns the paths written. Raises OSError."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[Path, bytes] = {}
    if fmt == "xlsx":
        files[out / XLSX_NAME] = _xlsx(tables)
    else:
        for t in tables:
            files[out / f"{t.name}.{fmt}"] = _ONE[fmt](t)
    package = json.dumps(datapackage(tables, fmt), indent=2, ensure_ascii=False) + "\n"
    files[out / "datapackage.json"] = package.encode("utf-8")
    return write_files(files)
