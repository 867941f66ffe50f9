"""The compiled ledgers of this process, kept fresh: what makes an Excel cell cheap.

Excel calls a function once per cell, so a sheet of 1,000 RM_ cells is 1,000 calls.
:class:`Sessions` keeps one :class:`Session` per ledger folder: the compiled
:class:`~rmxl.query.figures.Figures` (or the :class:`~rmxl.diagnostics.LedgerError` of an invalid
ledger) and a memo of answers. A call after the first costs dictionary lookups, whatever
the ledger's size.

Freshness rule (docs/spreadsheets.md): at most once every :data:`CHECK_INTERVAL` seconds per
folder, the folder is listed and every ledger file below it is ``stat``-ed (no file is
read; the ledger's files as :func:`rmxl.read.files.list_ledger` defines them). Its
*signature* is the sorted list of ``(path, size, mtime in ns, inode)``. If the signature
differs from the one taken before the last compile — a file edited, added, removed,
renamed or replaced by ``git checkout`` — the ledger is read, validated and compiled
again and the memo is emptied; otherwise nothing is read. The signature is taken
*before* reading, so an edit made while compiling is seen at the next check. An answer
can thus be up to :data:`CHECK_INTERVAL` seconds old.

The compiled ledger is millions of long-lived objects at 100,000 agreements, and every
full pass of Python's cyclic garbage collector walks them all (about a second): one such
pass in a sheet's recalculation would cost more than all its cells. So after each compile
the process's objects are frozen (:func:`gc.freeze`, no pass looks at them again); the
next compile unfreezes them first, so a replaced ledger is freed as before.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmxl.diagnostics import LedgerError
from rmxl.pipeline import load as loader
from rmxl.read.files import list_ledger

if TYPE_CHECKING:
    from rmxl.query.figures import Figures

CHECK_INTERVAL = 0.5
"""Seconds between two freshness checks of one ledger folder."""

MEMO_LIMIT = 100_000
"""The memo of answers is emptied when it holds more entries than this."""

Signature = tuple[tuple[str, int, int, int], ...]


def signature(root: Path) -> Signature:
    """``(relative path, size, mtime_ns, inode)`` of every ledger file below ``root``
    (:func:`rmxl.read.files.list_ledger`, the one definition of the ledger's files), and
    ``(path, -1, -1, -1)`` for a broken or looping link or a non-regular entry so named,
    sorted; ``()`` if ``root`` is
    missing. Costs one ``scandir`` per folder, one ``stat`` per entry and no read."""
    listing = list_ledger(root)
    out = [
        (
            p.relative_to(root).as_posix(),
            *((st.st_size, st.st_mtime_ns, st.st_ino) if st else _NONE),
        )
        for p, st in listing.files
    ]
    out += [(p.relative_to(root).as_posix(), *_NONE) for p in listing.loops]
    out += [(p.relative_to(root).as_posix(), *_NONE) for p, _ in listing.odd]
    return tuple(sorted(out))


_NONE = (-1, -1, -1)


@dataclass(slots=True)
class Session:
    """One ledger folder: its compiled figures or its error, and a memo of answers.

    Exactly one of ``figures`` and ``error`` is set. ``memo`` maps a caller's key (a
    function name and its arguments) to the answer; it is emptied on every recompile."""

    root: Path
    signature: Signature
    figures: Figures | None
    error: LedgerError | None
    checked_at: float
    memo: dict[Any, Any] = field(default_factory=dict)
    compiles: int = 1


def compile_folder(root: Path) -> tuple[Figures | None, LedgerError | None]:
    """Read, validate and compile ``root``: ``(figures, None)`` or ``(None, error)``.
    The figures answer by point queries (:meth:`~rmxl.query.figures.Figures.use_points`:
    their index is built here, once, so that no cell pays for it)."""
    try:
        return loader.figures(root).use_points(), None
    except LedgerError as e:
        return None, e


class Sessions:
    """The sessions of this process, one per ledger folder (keyed by the folder as
    given). ``clock`` (seconds, monotonic) and ``interval`` are injectable for tests."""

    def __init__(
        self,
        interval: float = CHECK_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self.clock = clock
        self._by_root: dict[str, Session] = {}

    def get(self, root: str | os.PathLike[str]) -> Session:
        """The fresh session of ``root`` (see the module doc for the rule); compiles on
        the first call and after a ledger file changed. Never raises for an invalid
        ledger: the session then carries the error."""
        key = os.fspath(root)
        s = self._by_root.get(key)
        now = self.clock()
        if s is not None and now - s.checked_at < self.interval:
            return s
        path = Path(key)
        sig = signature(path)
        if s is not None and sig == s.signature:
            s.checked_at = now
            return s
        gc.unfreeze()  # the objects of an earlier compile: collectable again once dropped
        figures, error = compile_folder(path)
        fresh = Session(path, sig, figures, error, self.clock())
        if s is not None:
            fresh.compiles = s.compiles + 1
        self._by_root[key] = fresh
        gc.freeze()
        return fresh

    def figures(self, root: str | os.PathLike[str]) -> Figures:
        """The fresh figures of ``root``; raises :class:`LedgerError` if it is invalid."""
        s = self.get(root)
        if s.error is not None:
            raise s.error
        assert s.figures is not None
        return s.figures

    def clear(self) -> None:
        """Forget every compiled ledger (the next call compiles again)."""
        self._by_root.clear()


SESSIONS = Sessions()
"""The process-wide sessions of the spreadsheet functions (:mod:`rmxl.udfs` in Excel,
:mod:`rmxl.calc.helper` for LibreOffice)."""

_MISS = object()
_NEAREST: dict[str, str] = {}


def ledger_for(book: str | None) -> str:
    """The ledger folder of a call from a spreadsheet (docs/spreadsheets.md, "Which
    ledger"; the same rule in Excel and LibreOffice): ``$RMXL_LEDGER`` if set; else the
    nearest ``ledger/`` folder at or above the folder of ``book`` (the calling
    workbook's absolute path, None if unknown or unsaved); else ``./ledger``. The walk up
    is done once per workbook path and remembered for the life of the process."""
    env = os.environ.get("RMXL_LEDGER")
    if env:
        return env
    if book is None:
        return loader.DEFAULT_LEDGER
    found = _NEAREST.get(book)
    if found is None:
        found = _NEAREST[book] = nearest_ledger(Path(book).parent) or loader.DEFAULT_LEDGER
    return found


def nearest_ledger(folder: Path) -> str | None:
    """``folder/ledger`` or the first ``ledger/`` of its parents, or None (a folder the
    system refuses to look at holds none)."""
    for d in (folder, *folder.parents):
        try:
            if (d / loader.DEFAULT_LEDGER).is_dir():
                return str(d / loader.DEFAULT_LEDGER)
        except OSError:  # a name too long, no permission: no ledger to be found there
            continue
    return None


def invalid(s: Session) -> str:
    """A cell's message for an invalid ledger: its first error, with file:line:col."""
    from rmxl.query.functions import clip

    return clip(
        " ".join(f"invalid ledger: {s.error} — run rmxl validate --ledger {s.root}".split())
    )


def ask(root: str | os.PathLike[str], name: str, args: tuple[Any, ...]) -> Any:
    """What a spreadsheet cell shows for ``name(*args)`` on the ledger at ``root``:
    :func:`rmxl.query.functions.cell_answer` on its fresh figures, or :func:`invalid`.
    Memoised in the session on ``(name, args, their types)``; tables come back as fresh
    lists."""
    s = SESSIONS.get(root)
    if s.error is not None or s.figures is None:
        return invalid(s)
    key: Any = (name, args, tuple(map(type, args)))
    try:
        hit = s.memo.get(key, _MISS)
    except TypeError:  # a multi-cell range: a list, not hashable
        key, hit = None, _MISS
    if hit is _MISS:
        from rmxl.query.functions import cell_answer  # not on the path of a repeated call

        hit = cell_answer(s.figures, name, list(args))
        if key is not None:
            if len(s.memo) >= MEMO_LIMIT:
                s.memo.clear()
            s.memo[key] = hit
    return (
        [list(row) if isinstance(row, list) else row for row in hit]
        if isinstance(hit, list)
        else hit
    )
