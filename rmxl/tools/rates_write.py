"""Write new rate entries into the ledger's ``rates`` sections (``rmxl rates``).

Each entry goes into the file whose ``rates`` section already holds its currency, else the
first file with a ``rates`` section, else a new ``rates.yaml``; it is written
``DATE: {rate: R, source: SOURCE}`` among the currency's dates in date order, through
ruamel.yaml's round-trip mode (comments and the rest of the file kept; a file that would
lose a comment is refused). The ledger is validated with the new texts before any file is
written, and each file is written atomically.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from rmxl.diagnostics import make
from rmxl.model import Ledger
from rmxl.read.files import ledger_paths, parse_text
from rmxl.tools.fmt import _yaml, comments, write_texts
from rmxl.tools.ingest.run import validate_copy
from rmxl.tools.rates import Entry, RatesOutcome, entry_sources, plan


def _rates_files(root: Path) -> dict[Path, set[str]]:
    """The ledger files with a ``rates`` section, and the currencies each holds."""
    out: dict[Path, set[str]] = {}
    for p in ledger_paths(root):
        data = parse_text(p.read_text(encoding="utf-8-sig"), p.as_posix(), [])
        if data is not None and "rates" in data:
            rates = data.get("rates")
            out[p] = {str(c) for c in rates} if isinstance(rates, dict) else set()
    return out


def texts(root: Path, entries: list[Entry], source: str) -> dict[Path, str]:
    """The new text of each file that receives entries. Raises ValueError when a file
    cannot take them without losing a comment."""
    return {p: _with(p, items, source) for p, items in _by_file(root, entries).items()}


def _with(path: Path, items: list[Entry], source: str) -> str:
    old = path.read_text(encoding="utf-8-sig") if path.exists() else "rates:\n"
    y = _yaml()
    doc = y.load(old) or CommentedMap()
    rates = doc.get("rates")
    if not isinstance(rates, CommentedMap):
        rates = doc["rates"] = CommentedMap()
    for cur, day, rate in sorted(items):
        m = rates.get(cur)
        if not isinstance(m, CommentedMap):
            m = rates[cur] = CommentedMap()
        value = CommentedMap([("rate", float(rate)), ("source", source)])
        value.fa.set_flow_style()
        pos = sum(1 for k in m if k < day)
        m.insert(pos, day, value)
    out = io.StringIO()
    y.dump(doc, out)
    new = out.getvalue()
    lost = Counter(comments(old)) - Counter(comments(new))
    if lost:
        raise ValueError(
            f"{path.as_posix()}: adding rates would lose the comment {next(iter(lost))!r}"
        )
    return new


def add_rates(
    root: Path, ledger: Ledger, entries: list[Entry], source: str, label: str, dry_run: bool
) -> RatesOutcome:
    """Add the entries the ledger lacks (:func:`rmxl.tools.rates.plan`), validate the
    ledger with them, and write (unless ``dry_run`` or an error)."""
    new, out = plan(ledger, entries, label, entry_sources(root))
    if not new:
        return out
    try:
        new_texts = texts(root, new, source)
    except ValueError as e:
        out.diagnostics.append(make("rates-file", str(e), None))
        return out
    out.diagnostics += validate_copy(root, new_texts)
    if out.failed:
        return out
    for path, items in _by_file(root, new).items():
        out.added[path.as_posix()] = items
    if not dry_run:
        write_texts(new_texts)
    return out


def _by_file(root: Path, new: list[Entry]) -> dict[Path, list[Entry]]:
    files = _rates_files(root)
    out: dict[Path, list[Entry]] = {}
    for cur, day, rate in new:
        path = next((p for p, curs in files.items() if cur in curs), None)
        out.setdefault(path or next(iter(files), root / "rates.yaml"), []).append((cur, day, rate))
    return out
