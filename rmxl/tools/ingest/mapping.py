"""The import map (``rmxl import --map MAP.yaml``): which column is which field, and how
values translate (docs/records.md, "The map"; a commented example in
docs/examples/import-map.yaml). Without a map, :func:`export_layout` reads the workbook
``rmxl export --format xlsx`` writes.

Also finds the header row of a sheet (:func:`locate`): the row, or pair of rows for
two-line headers, that names the most of the map's columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter
from typing import Any

from rmxl.diagnostics import Diagnostic, Source, make
from rmxl.read.files import LMap, LSeq, decode, parse_text, read_raw
from rmxl.tools.ingest.sheet import Grid, ImportFailure, column_number, letters
from rmxl.tools.ingest.values import fold
from rmxl.validate.checks import suggest

FIELDS = (
    "id",
    "title",
    "signed",
    "partners",
    "regions",
    "priorities",
    "countries",
    "reference",
    "notes",
    "by",
    "amount",
    "currency",
    "itu_amount",
    "itu_currency",
)
REQUIRED = ("title", "signed", "partners", "regions", "priorities")
LISTS = ("partners", "regions", "priorities", "countries")
MAP_KEYS = (
    "sheet",
    "header_row",
    "header_rows",
    "day_first",
    "split",
    "columns",
    "values",
    "defaults",
    "ids",
    "contributions",
)
SPLIT = r"[;\n|]"
SCAN_ROWS = 30


@dataclass
class SheetMap:
    """The map of one sheet: ``columns`` field → header text or column letter."""

    sheet: str | None = None
    header_row: int | None = None
    header_rows: int = 1
    columns: dict[str, str] = field(default_factory=dict)
    key: str | None = None  # a contributions sheet: the column that holds the agreement id


@dataclass
class Map:
    """A whole import map (module doc); ``source`` names the map file for diagnostics."""

    main: SheetMap
    contributions: SheetMap | None = None
    day_first: bool = True
    split: str = SPLIT
    values: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    ids: str | None = None
    source: str = "(built-in map)"


def export_layout() -> Map:
    """The layout of ``rmxl export --format xlsx``: the ``Agreements`` sheet, one row per
    agreement, and its contributions on the ``Contributions`` sheet."""
    main_cols = {f: f for f in ("id", "title", "signed", *LISTS, "reference", "notes")}
    con = SheetMap("Contributions", 1, 1, {f: f for f in ("by", "amount", "currency")})
    con.key = "agreement_id"
    return Map(SheetMap("Agreements", 1, 1, main_cols), con)


def load_map(path: Path) -> Map:
    """Read and check a map file. Raises :class:`ImportFailure` (``import-map``) listing
    every problem."""
    shown = path.as_posix()
    diags: list[Diagnostic] = []
    raw = read_raw(path, shown, diags)  # its size checked first (32 MiB, as a ledger file)
    if raw is None:
        why = f"cannot read the map: {diags[0].message}"
        raise ImportFailure([make("import-map", why, Source(shown, 1, 1), diags[0].hint)])
    text = decode(raw, shown, diags)
    data = parse_text(text, shown, diags) if text is not None else None
    if diags or not isinstance(data, LMap):
        diags = diags or [make("import-map", "the map is empty", Source(shown, 1, 1))]
        raise ImportFailure(diags)
    out = _map(data, shown, diags)
    if diags:
        raise ImportFailure(diags)
    return out


def _err(diags: list[Diagnostic], message: str, src: Source, hint: str = "") -> None:
    diags.append(make("import-map", message, src, hint))


def _map(m: LMap, shown: str, diags: list[Diagnostic]) -> Map:
    for key in m:
        if key not in MAP_KEYS:
            _err(diags, f"unknown key {key!r} in the map", m.key_src(key), suggest(key, MAP_KEYS))
    main = _sheet_map(m, diags, contributions=False)
    out = Map(main, source=shown)
    if isinstance(m.get("contributions"), LMap):
        out.contributions = _sheet_map(m["contributions"], diags, contributions=True)
    if "day_first" in m:
        if not isinstance(m["day_first"], bool):
            _err(diags, "day_first is true or false", m.val_src("day_first"))
        else:
            out.day_first = m["day_first"]
    if isinstance(m.get("split"), str):
        try:
            re.compile(m["split"])
            out.split = m["split"]
        except re.error as e:
            _err(diags, f"split is not a regular expression: {e}", m.val_src("split"))
    out.values = _values(m.get("values"), m, diags)
    if isinstance(m.get("defaults"), LMap):
        d = m["defaults"]
        for k in d:
            if k not in FIELDS:
                _err(diags, f"defaults: unknown field {k!r}", d.key_src(k), suggest(k, FIELDS))
        out.defaults = dict(d)
    if "ids" in m:
        ids = m.get("ids")
        problem = id_pattern_problem(ids)
        if problem:
            _err(
                diags,
                f"ids is a pattern such as 'BDT-{{year}}-{{n:03d}}': {problem}",
                m.val_src("ids"),
            )
        else:
            out.ids = ids
    return out


_ID_SPEC = re.compile(r"0?(?:[1-9]\d?)?d?")
"""The format of ``{year}`` or ``{n}`` in an ids pattern: a width up to 99, zero-padded
or not, as a whole number (``03d``); nothing else, so that different numbers always give
different ids of a bounded length."""


def id_pattern_problem(pattern: Any) -> str:
    """Why ``pattern`` cannot be the map's ``ids`` (``BDT-{year}-{n:03d}``), or ``""``: it
    must be text naming ``{n}`` (and may name ``{year}``), each formatted at most as
    :data:`_ID_SPEC` allows — no other field, attribute, index or conversion (a pattern
    giving one id for every n, or a million-character id, would never finish)."""
    if not isinstance(pattern, str):
        return "it is not text"
    try:
        fields = [f for f in Formatter().parse(pattern) if f[1] is not None]
    except ValueError as e:
        return f"{e} (write a literal brace as {{{{ or }}}})"
    for _, name, spec, conversion in fields:
        if name not in ("year", "n"):
            return f"{{{name}}} is not one of {{year}}, {{n}}"
        if conversion or not _ID_SPEC.fullmatch(spec or ""):
            shown = f"!{conversion}" if conversion else f":{spec}"
            return f"{{{name}{shown}}} is not a number format such as {{{name}:03d}}"
    if not any(name == "n" for _, name, _, _ in fields):
        return "it has no {n}, the number that tells the new ids apart"
    return ""


def _sheet_map(m: LMap, diags: list[Diagnostic], contributions: bool) -> SheetMap:
    out = SheetMap()
    if contributions:
        for key in m:
            if key not in ("sheet", "header_row", "header_rows", "columns", "key"):
                _err(diags, f"unknown key {key!r} in contributions", m.key_src(key))
        if not isinstance(m.get("key"), str):
            _err(diags, "contributions: 'key' names the column holding the agreement id", m.src())
        else:
            out.key = m["key"]
    if isinstance(m.get("sheet"), str | int):
        out.sheet = str(m["sheet"])
    for k in ("header_row", "header_rows"):
        if k in m:
            v = m[k]
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                _err(diags, f"{k} is a row number from 1", m.val_src(k))
            else:
                setattr(out, k, v)
    cols = m.get("columns")
    if not isinstance(cols, LMap):
        _err(diags, "the map needs 'columns:', field: column header", m.src())
        return out
    allowed = ("by", "amount", "currency") if contributions else FIELDS
    for f, header in cols.items():
        if f not in allowed:
            _err(diags, f"columns: unknown field {f!r}", cols.key_src(f), suggest(str(f), allowed))
        elif not isinstance(header, str | int) or not str(header).strip():
            _err(diags, f"columns: {f} names a column header or letter", cols.val_src(f))
        else:
            out.columns[f] = str(header)
    missing = [f for f in REQUIRED if f not in out.columns and not contributions]
    for f in missing:
        _err(diags, f"columns: no column for {f!r}", cols.src(), f"add '{f}: <its header>'")
    return out


def _values(v: Any, m: LMap, diags: list[Diagnostic]) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    if v is None:
        return out
    if not isinstance(v, LMap):
        _err(diags, "values maps a field to {cell text: code}", m.val_src("values"))
        return out
    for f, table in v.items():
        if f not in (*LISTS, "currency", "by"):
            _err(diags, f"values: {f!r} cannot be translated", v.key_src(f), "regions, priorities…")
            continue
        if not isinstance(table, LMap):
            _err(diags, f"values: {f} maps cell text to codes", v.val_src(f))
            continue
        out[f] = {}
        for text, codes in table.items():
            codes = list(codes) if isinstance(codes, LSeq) else [codes]
            out[f][fold(str(text))] = [str(c) for c in codes]
    return out


@dataclass(frozen=True)
class Located:
    """Where a sheet's data is: the first data row (0-based) and field → column index."""

    grid: Grid
    first_row: int
    columns: dict[str, int]


def _headers(grid: Grid, r: int, n: int) -> list[set[str]]:
    """The folded names each column answers to, when row ``r`` (and ``r+1`` if ``n`` is
    2) holds the headers; a blank upper cell takes the one on its left (merged)."""
    width = max((len(row) for row in grid.rows), default=0)
    upper = grid.rows[r] + [None] * (width - len(grid.rows[r]))
    out = [{fold(str(v))} if v is not None else set() for v in upper]
    if n == 2 and r + 1 < len(grid.rows):
        lower = grid.rows[r + 1] + [None] * (width - len(grid.rows[r + 1]))
        last = None
        for j in range(width):
            top = upper[j] if upper[j] is not None else last
            last = top
            if lower[j] is not None:
                out[j] = {fold(str(lower[j])), fold(f"{top or ''} {lower[j]}")}
    return out


def locate(grid: Grid, sm: SheetMap, source: str) -> Located:
    """Find the header row and each mapped column. Raises :class:`ImportFailure`
    (``import-no-column``) naming every column that is not there."""
    named = {f: fold(h) for f, h in sm.columns.items()}
    if sm.header_row is not None:
        rows = [sm.header_row - 1]
    else:
        rows = list(range(min(SCAN_ROWS, len(grid.rows))))
    best: tuple[int, int, dict[str, list[int]]] = (-1, 0, {})
    for r in rows:
        if r >= len(grid.rows):
            continue
        heads = _headers(grid, r, sm.header_rows)
        hits = {f: [j for j, names in enumerate(heads) if h in names] for f, h in named.items()}
        matched = {f: js for f, js in hits.items() if js}
        if len(matched) > best[0]:
            best = (len(matched), r, matched)
    _, r, hits = best
    twice = [f for f, js in hits.items() if len(js) > 1]
    if twice:
        raise ImportFailure([_twice(grid, r, f, hits[f], sm.columns[f]) for f in twice])
    found: dict[str, int] = {f: js[0] for f, js in hits.items()}
    for f, h in sm.columns.items():  # a column letter (C) where no header says it
        if f not in found and re.fullmatch(r"[A-Z]{1,3}", h):
            found[f] = column_number(h) - 1
    missing = [f for f in named if f not in found]
    if missing:
        heads = _headers(grid, r, sm.header_rows) if r < len(grid.rows) else []
        shown = [next(iter(h)) for h in heads if h]
        diags = [
            make(
                "import-no-column",
                f"no column {sm.columns[f]!r} (for {f}) in the header row",
                grid.cell(r, 0),
                "; ".join(x for x in (suggest(named[f], shown), f"map: {source}") if x),
            )
            for f in missing
        ]
        raise ImportFailure(diags)
    return Located(grid, r + sm.header_rows, found)


def _twice(grid: Grid, r: int, f: str, columns: list[int], header: str) -> Diagnostic:
    """Two columns answer to one field's header: which one holds it is not for rmxl to
    guess (either would give a number the sheet may not mean)."""
    where = " and ".join(letters(j + 1) for j in columns)
    return make(
        "import-duplicate-column",
        f"columns {where} are both headed {header!r} (for {f})",
        grid.cell(r, columns[1]),
        "rename one of them, or map the field by its column letter (e.g. "
        f"{f}: {letters(columns[0] + 1)})",
    )


def column_name(loc: Located, f: str) -> str:
    return letters(loc.columns[f] + 1)
