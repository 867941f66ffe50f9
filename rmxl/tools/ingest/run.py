"""``rmxl import``: a spreadsheet → new agreements in ``agreements/YEAR.yaml``, all or nothing.

Steps (docs/records.md): read the sheet(s) and every row (:mod:`.rows`), collecting every
problem; compare each draft with the ledger — present by id, or without an id by partners
+ signed date + amounts: the same is "already there", a different one is reported
(``import-differs``) and never overwritten; give the new ones ids; write their YAML into a
copy of the ledger and validate the whole copy; only when it is clean write the files
(each atomically). ``dry_run`` stops before the write.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rmxl.diagnostics import Diagnostic, LedgerError, Source, make
from rmxl.model import Agreement, Ledger
from rmxl.pipeline import load as loader
from rmxl.read.files import ledger_paths
from rmxl.tools.fmt import write_texts
from rmxl.tools.ingest import emit
from rmxl.tools.ingest.mapping import Map, export_layout, load_map, locate
from rmxl.tools.ingest.match import Names
from rmxl.tools.ingest.rows import Draft, Reader
from rmxl.tools.ingest.sheet import Cell, Grid, ImportFailure, read_grid


@dataclass
class Outcome:
    """What an import did (or, dry, would do): files and their new agreements' ids, the
    ids already there, the differences, the proposed partners, and every diagnostic."""

    added: dict[str, list[str]] = field(default_factory=dict)
    present: list[str] = field(default_factory=list)
    proposed: list[tuple[str, str]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rows: dict[str, Cell] = field(default_factory=dict)  # new agreement id → its row

    @property
    def failed(self) -> bool:
        return bool(self.proposed) or any(d.severity == "error" for d in self.diagnostics)


def import_file(
    path: Path,
    root: Path,
    map_path: Path | None = None,
    dry_run: bool = False,
    new_partners: bool = False,
) -> Outcome:
    """Import the spreadsheet at ``path`` into the ledger folder ``root`` (module doc).
    Raises :class:`ImportFailure` for an unreadable file or map, :class:`LedgerError` when
    the ledger itself is invalid; every row problem is in the outcome's diagnostics."""
    ledger = loader.load(root)
    m = load_map(map_path) if map_path else export_layout()
    reader = Reader(Names(ledger, m.values), m, new_partners)
    _read(path, m, reader)
    out = Outcome(diagnostics=list(reader.diags))
    out.proposed = [(name, pid) for name, pid in reader.proposed.values()]
    if out.failed:
        return out
    new = _compare(ledger, list(reader.drafts.values()), out)
    texts = _texts(root, ledger, new, m, out)
    if out.failed or not texts:
        return out
    out.diagnostics += [_at_row(d, texts, out.rows) for d in validate_copy(root, texts)]
    if not out.failed and not dry_run:
        write_texts(texts)
    return out


def _read(path: Path, m: Map, reader: Reader) -> None:
    grid = read_grid(path, m.main.sheet)
    _has_data(grid, 0, "is empty")
    loc = locate(grid, m.main, m.source)
    _has_data(grid, loc.first_row, "has a header row and no row of data under it")
    reader.agreements(loc)
    if m.contributions is not None:
        sm = m.contributions
        sm.columns.setdefault("key", sm.key or "agreement_id")
        cgrid = read_grid(path, sm.sheet)
        reader.contributions(locate(cgrid, sm, m.source))


def _has_data(grid: Grid, first: int, what: str) -> None:
    """Raise ``import-no-rows`` when no cell from row ``first`` (0-based) on holds a value:
    an empty file or sheet, or the wrong sheet, is a mistake, not zero agreements."""
    if any(v is not None for row in grid.rows[first:] for v in row):
        return
    where = f"sheet {grid.sheet!r}" if grid.sheet else "the file"
    hint = "name the sheet that holds the agreements (sheet: in the map)" if grid.sheet else ""
    cell = grid.cell(max(first - 1, 0), 0)
    raise ImportFailure([make("import-no-rows", f"{where} {what}", cell, hint)])


def _same(a: Agreement, d: Draft) -> list[str]:
    """The fields in which the ledger's agreement and the draft differ."""
    pairs = {
        "title": (a.title, d.title),
        "signed": (a.signed, d.signed),
        "partners": (sorted(a.partners), sorted(d.partners)),
        "regions": (sorted(a.regions), sorted(d.regions)),
        "priorities": (sorted(a.priorities), sorted(d.priorities)),
        "contributions": (
            sorted((c.by, c.amount, c.currency) for c in a.contributions),
            sorted(d.contributions),
        ),
    }
    for f in ("countries", "reference", "notes"):
        mine = getattr(d, f)
        if mine:
            pairs[f] = (
                (sorted(a.countries), sorted(mine)) if f == "countries" else (getattr(a, f), mine)
            )
    return [f for f, (x, y) in pairs.items() if x != y]


def _key(partners: list[str] | tuple[str, ...], signed: dt.date, amounts: list[object]) -> tuple:
    return (frozenset(partners), signed, tuple(sorted(map(str, amounts))))


def _compare(ledger: Ledger, drafts: list[Draft], out: Outcome) -> list[Draft]:
    """Drafts not in the ledger yet; the rest are counted as present or reported."""
    by_id = {a.id: a for a in ledger.agreements}
    by_key = {
        _key(a.partners, a.signed, [c.amount for c in a.contributions]): a
        for a in ledger.agreements
    }
    new = []
    for d in drafts:
        key = _key(d.partners, d.signed, [amount for _, amount, _ in d.contributions])
        a = by_id.get(d.id) if d.id else by_key.get(key)
        if a is None:
            new.append(d)
            continue
        diff = _same(a, d)
        if not diff:
            out.present.append(a.id)
        else:
            out.diagnostics.append(
                make(
                    "import-differs",
                    f"agreement {a.id} is already in the ledger ({a.source}) with another "
                    f"{', '.join(diff)}; it is left as it is",
                    d.cell,
                    "edit the ledger by hand if the spreadsheet is right",
                )
            )
    return new


_ID = re.compile(r"^(?P<prefix>.*?)(?P<year>\d{4})-(?P<n>\d+)$")


def _ids(ledger: Ledger, drafts: list[Draft], m: Map) -> list[str]:
    """Ids for the drafts: their own, else ``m.ids`` (``BDT-{year}-{n:03d}``), else the
    ledger's most common ``PREFIX-YEAR-NNN`` pattern, numbered after the year's last."""
    taken = {a.id for a in ledger.agreements} | {d.id for d in drafts if d.id}
    found = [x for x in (_ID.match(i) for i in taken) if x]
    prefix = Counter(x["prefix"] for x in found).most_common(1)
    width = max((len(x["n"]) for x in found), default=3)
    pattern = m.ids or f"{prefix[0][0] if prefix else 'A-'}{{year}}-{{n:0{width}d}}"
    last: dict[int, int] = defaultdict(int)
    for x in found:
        last[int(x["year"])] = max(last[int(x["year"])], int(x["n"]))
    out = []
    for d in drafts:
        if d.id:
            out.append(d.id)
            continue
        year = d.signed.year
        while True:
            last[year] += 1
            candidate = pattern.format(year=year, n=last[year])
            if candidate not in taken:
                break
        taken.add(candidate)
        out.append(candidate)
    return out


def _texts(root: Path, ledger: Ledger, new: list[Draft], m: Map, out: Outcome) -> dict[Path, str]:
    """The new text of each agreements file that receives agreements."""
    by_year: dict[int, list[tuple[str, Draft]]] = defaultdict(list)
    for aid, d in zip(_ids(ledger, new, m), new, strict=True):
        out.rows[aid] = d.cell
        by_year[d.signed.year].append((aid, d))
    texts: dict[Path, str] = {}
    for year, items in sorted(by_year.items()):
        items.sort(key=lambda x: (x[1].signed, x[0]))
        path = root / "agreements" / f"{year}.yaml"
        records = [emit.record(d, aid) for aid, d in items]
        if path.exists():
            text = emit.appended(path.read_text(encoding="utf-8"), records)
            if text is None:
                out.diagnostics.append(
                    make(
                        "import-cannot-append",
                        f"{path.as_posix()} does not end with a block list of agreements",
                        Source(path.as_posix(), 1, 1),
                        "run rmxl fmt on it, or move its other sections to another file",
                    )
                )
                continue
        else:
            text = emit.new_file(records, f"agreements signed in {year} (rmxl import)")
        texts[path] = text
        out.added[path.as_posix()] = [aid for aid, _ in items]
    return texts


_RECORD = re.compile(r"^  - id: ['\"]?(?P<id>[^'\"]+)['\"]?\s*$")


def _at_row(d: Diagnostic, texts: dict[Path, str], rows: dict[str, Cell]) -> Diagnostic:
    """A diagnostic inside an agreement the import would write, moved to that agreement's
    row of the spreadsheet (the ledger file is not written, and a user fixes the sheet)."""
    text = texts.get(Path(d.source.file)) if d.source is not None else None
    if d.source is None or text is None:
        return d
    lines = text.splitlines()
    for n in range(min(d.source.line, len(lines)), 0, -1):
        m = _RECORD.match(lines[n - 1])
        if m:
            cell = rows.get(m["id"])
            if cell is None:
                return d
            return Diagnostic(d.code, d.severity, d.message, cell, d.hint)
    return d


def validate_copy(root: Path, texts: dict[Path, str]) -> list[Diagnostic]:
    """Validate the ledger as it would be: its files copied with the new texts; the
    diagnostics name the real files."""
    with tempfile.TemporaryDirectory(prefix="rmxl-import-") as tmp:
        copy = Path(tmp) / "ledger"
        for p in ledger_paths(root):
            target = copy / p.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, target)
        for p, text in texts.items():
            target = copy / p.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        diags = loader.diagnostics(copy)
    prefix = copy.as_posix()
    return [_moved(d, prefix, root.as_posix()) for d in diags if d.severity == "error"]


def _moved(d: Diagnostic, prefix: str, root: str) -> Diagnostic:
    if d.source is None or not d.source.file.startswith(prefix):
        return d
    src = Source(root + d.source.file[len(prefix) :], d.source.line, d.source.column)
    return Diagnostic(d.code, d.severity, d.message, src, d.hint)


__all__ = ["ImportFailure", "LedgerError", "Outcome", "import_file"]
