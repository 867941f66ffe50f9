"""The pipeline in order: read → validate → compile → query.

``check(root)`` runs the first two stages and returns every diagnostic; ``load(root)``
returns a clean :class:`Ledger` or raises :class:`LedgerError`; ``figures(root)`` returns
the :class:`~rmxl.query.Figures` over the compiled ledger; ``diagnostics(root)`` is
``check``'s diagnostics alone (what ``rmxl validate`` prints).

Speed (docs/performance.md): files are parsed by :mod:`rmxl.fastread` (falling back to
:mod:`rmxl.read` for anything unusual, which reports every diagnostic), with the garbage
collector paused while the trees are built, and through the content-hash cache of
:mod:`rmxl.cache`: an unchanged file is not parsed again, an unchanged ledger is not
validated again. A cached answer is the very answer of a fresh run (same diagnostics,
same ledger).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache, read
from .diagnostics import Diagnostic, LedgerError
from .fastread import read_bytes
from .model import Ledger
from .validate import validate

if TYPE_CHECKING:
    from .query import Figures

DEFAULT_LEDGER = "ledger"


def ledger_dir(value: str | os.PathLike[str] | None = None) -> Path:
    """The ledger folder: ``value`` if given, else ``$RMXL_LEDGER``, else ``./ledger``."""
    if value:
        return Path(value)
    return Path(os.environ.get("RMXL_LEDGER") or DEFAULT_LEDGER)


def check(root: Path, today: dt.date | None = None) -> tuple[Ledger | None, list[Diagnostic]]:
    """Read and validate; returns the ledger (None if unusable) and all diagnostics,
    sorted by file, line and column."""
    return _check(root, today or dt.date.today(), want_ledger=True)


def diagnostics(root: Path, today: dt.date | None = None) -> list[Diagnostic]:
    """The diagnostics of :func:`check`, without loading the ledger from the cache."""
    return _check(root, today or dt.date.today(), want_ledger=False)[1]


def has_errors(diags: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diags)


def load(root: Path) -> Ledger:
    """A clean ledger; raises :class:`LedgerError` carrying every diagnostic if any is
    an error (warnings do not stop it)."""
    ledger, diags = check(root)
    if ledger is None or has_errors(diags):
        raise LedgerError(diags)
    return ledger


def figures(root: Path) -> Figures:
    """Load, compile and wrap a ledger in :class:`~rmxl.query.Figures`. Raises
    :class:`LedgerError` on an invalid ledger."""
    from .compile import compile_ledger
    from .query import Figures

    return Figures(compile_ledger(load(root)))


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of small objects are
    built (none of them in a cycle): it would otherwise rescan them over and over, which
    doubles the time of a cold check."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check(root: Path, day: dt.date, want_ledger: bool) -> tuple[Ledger | None, list[Diagnostic]]:
    with _gc_paused():
        # The parsed trees die with _checked's frame, inside the pause: the collector,
        # once resumed, scans only the result, not a million objects already gone.
        return _checked(root, day, want_ledger)


def _checked(root: Path, day: dt.date, want_ledger: bool) -> tuple[Ledger | None, list[Diagnostic]]:
    if not root.is_dir() or not (paths := read.ledger_paths(root)):
        files, read_diags = read.read_ledger(root)  # the folder's own diagnostics
        ledger, diags = validate(files, root, day, complete=not has_errors(read_diags))
        return ledger, sorted([*read_diags, *diags], key=Diagnostic.sort_key)
    store = cache.Store.open()
    max_bytes = getattr(read, "MAX_FILE_BYTES", float("inf"))
    entries = cache.snapshot([(p, read.display_path(root, p)) for p in paths], max_bytes)
    keys = [e.key for e in entries if e.key is not None]
    key = cache.check_key(root, day, keys) if len(keys) == len(entries) else None
    if key is not None and store is not None:
        hit = _cached(store, key, want_ledger)
        if hit is not None:
            return hit
    files, read_diags = _read(entries, store)
    ledger, diags = validate(files, root, day, complete=not has_errors(read_diags))
    diags = sorted([*read_diags, *diags], key=Diagnostic.sort_key)
    if key is not None and store is not None:
        if want_ledger:  # else not needed: rmxl validate spares itself the pickling
            store.put("ledger", key, ledger)
        store.put("diags", key, diags)
        store.prune()
    return ledger, diags


def _cached(
    store: cache.Store, key: str, want_ledger: bool
) -> tuple[Ledger | None, list[Diagnostic]] | None:
    """The stored result of an identical check, or None (also when the ledger is wanted
    but only the diagnostics were stored, by :func:`diagnostics`)."""
    diags = store.get("diags", key)
    if diags is cache.MISSING:
        return None
    if not want_ledger:
        return None, diags
    ledger = store.get("ledger", key)
    return None if ledger is cache.MISSING else (ledger, diags)


def _read(
    entries: list[cache.Entry], store: cache.Store | None
) -> tuple[list[read.LedgerFile], list[Diagnostic]]:
    """Every file's tree and read diagnostics, from the cache or parsed (and stored)."""
    files: list[read.LedgerFile] = []
    diags: list[Diagnostic] = []
    for e in entries:
        if e.raw is None or e.key is None:  # unreadable or too large: read.py says why
            files.append(read.read_file(e.path, e.display, diags))
            continue
        hit: Any = cache.MISSING if store is None else store.get("file", e.key)
        if hit is cache.MISSING:
            file_diags: list[Diagnostic] = []
            hit = (read_bytes(e.raw, e.display, file_diags), file_diags)
            if store is not None:
                store.put("file", e.key, hit)
        files.append(read.LedgerFile(e.display, hit[0]))
        diags.extend(hit[1])
    return files, diags
