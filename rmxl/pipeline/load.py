"""The pipeline in order: read → validate → compile → query.

``check(root)`` runs the first two stages and returns every diagnostic; ``load(root)``
returns a clean :class:`Ledger` or raises :class:`LedgerError`; ``figures(root)`` returns
the :class:`~rmxl.query.figures.Figures` over the compiled ledger; ``diagnostics(root)`` is
``check``'s diagnostics alone (what ``rmxl validate`` prints).

Speed (docs/performance.md): files are parsed by :mod:`rmxl.read.fastread` (falling back to
:mod:`rmxl.read.files` for anything unusual, which reports every diagnostic), with the garbage
collector paused while the trees are built, and through the content-hash cache of
:mod:`rmxl.pipeline.cache`: an unchanged file is not parsed again, an unchanged ledger is not
validated again. A cached answer is the very answer of a fresh run (same diagnostics,
same ledger).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmxl.diagnostics import Diagnostic, LedgerError
from rmxl.model import Ledger
from rmxl.pipeline import cache, split
from rmxl.read import files as read
from rmxl.read.fastread import read_bytes
from rmxl.validate import knockon
from rmxl.validate.agreements import FileAgreements
from rmxl.validate.ledger import conclude, validate
from rmxl.validate.ledger import context as context_of

if TYPE_CHECKING:
    from rmxl.query.figures import Figures

DEFAULT_LEDGER = "ledger"


def ledger_dir(value: str | os.PathLike[str] | None = None) -> Path:
    """The ledger folder: ``value`` if given, else ``$RMXL_LEDGER``, else ``./ledger``."""
    if value:
        return Path(value)
    return Path(os.environ.get("RMXL_LEDGER") or DEFAULT_LEDGER)


def check(
    root: Path, today: dt.date | None = None, parallel: bool = False
) -> tuple[Ledger | None, list[Diagnostic]]:
    """Read and validate; returns the ledger (None if unusable) and all diagnostics,
    sorted by file, line and column. ``parallel``: check the agreements files in two
    processes when two CPUs are free (:mod:`rmxl.pipeline.split`; the same answer)."""
    return _check(root, today or dt.date.today(), True, parallel)


def diagnostics(
    root: Path, today: dt.date | None = None, parallel: bool = False
) -> list[Diagnostic]:
    """The diagnostics of :func:`check`, without loading the ledger from the cache."""
    return _check(root, today or dt.date.today(), False, parallel)[1]


def has_errors(diags: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diags)


def load(root: Path, parallel: bool = False) -> Ledger:
    """A clean ledger; raises :class:`LedgerError` carrying every diagnostic if any is
    an error (warnings do not stop it). ``parallel`` as for :func:`check`."""
    ledger, diags = check(root, parallel=parallel)
    if ledger is None or has_errors(diags):
        raise LedgerError(diags)
    return ledger


def figures(root: Path, parallel: bool = False) -> Figures:
    """Load, compile and wrap a ledger in :class:`~rmxl.query.figures.Figures`. Raises
    :class:`LedgerError` on an invalid ledger. ``parallel`` as for :func:`check` (the
    command line's choice: a library caller's process is not forked unless it asks)."""
    from rmxl.compile import compile_ledger
    from rmxl.query.figures import Figures

    return Figures(compile_ledger(load(root, parallel)))


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


def _check(
    root: Path, day: dt.date, want_ledger: bool, parallel: bool = False
) -> tuple[Ledger | None, list[Diagnostic]]:
    with _gc_paused():
        # The parsed trees die with _checked's frame, inside the pause: the collector,
        # once resumed, scans only the result, not a million objects already gone.
        return _checked(root, day, want_ledger, parallel)


def _checked(
    root: Path, day: dt.date, want_ledger: bool, parallel: bool
) -> tuple[Ledger | None, list[Diagnostic]]:
    listing = read.list_ledger(root) if read.root_problem(root) is None else None
    if listing is None or not listing.files or listing.loops or listing.odd:
        files, read_diags = read.read_ledger(root)  # the folder's own diagnostics
        ledger, diags = validate(files, root, day)
        return ledger, sorted([*read_diags, *diags], key=knockon.order)
    store = cache.Store.open()
    paths = [p for p, _ in listing.files]
    entries = cache.snapshot([(p, read.display_path(root, p)) for p in paths], read.MAX_FILE_BYTES)
    keys = [e.key for e in entries if e.key is not None]
    key = cache.check_key(root, day, keys) if len(keys) == len(entries) else None
    if key is not None and store is not None:
        hit = _cached(store, key, want_ledger)
        if hit is not None:
            return hit
    ledger, diags = _validated(entries, root, day, store, parallel)
    if key is not None and store is not None:
        if want_ledger:  # else not needed: rmxl validate spares itself the writing
            store.put("ledger", key, ledger)
        store.put("diags", key, diags)
        store.prune()
    return ledger, diags


def _lost(entries: list[cache.Entry], read_diags: list[Diagnostic]) -> set[str]:
    """The sections of the files that could not be read (:func:`knockon.declared`)."""
    broken = {d.source.file for d in read_diags if d.severity == "error" and d.source}
    return {s for e in entries if e.display in broken for s in knockon.declared(e.raw)}


def _cached(
    store: cache.Store, key: str, want_ledger: bool
) -> tuple[Ledger | None, list[Diagnostic]] | None:
    """The stored result of an identical check, or None (also when the ledger is wanted
    but only the diagnostics were stored, by :func:`diagnostics`)."""
    diags = store.get("diags", key)
    if not isinstance(diags, list) or not all(isinstance(d, Diagnostic) for d in diags):
        return None
    if not want_ledger:
        return None, diags
    ledger = store.get("ledger", key)
    return (ledger, diags) if ledger is None or isinstance(ledger, Ledger) else None


AGREEMENTS_ONLY = ("agreements",)
_OTHER_KEY = re.compile(rb"\n[^\s#-]")
"""A line that starts with a key: in a file of ``agreements:`` alone, none but the first."""


def _validated(
    entries: list[cache.Entry],
    root: Path,
    day: dt.date,
    store: cache.Store | None,
    parallel: bool = False,
) -> tuple[Ledger | None, list[Diagnostic]]:
    """Read and validate every file, as :func:`rmxl.validate.ledger.validate` does: by
    :func:`_planned`, else (a file was not what its first look promised) :func:`_plain`."""
    return _planned(entries, root, day, store, parallel) or _plain(entries, root, day, store)


def _planned(
    entries: list[cache.Entry],
    root: Path,
    day: dt.date,
    store: cache.Store | None,
    parallel: bool = False,
) -> tuple[Ledger | None, list[Diagnostic]] | None:
    """:func:`_plain`'s result, with the files that hold agreements alone read after the
    others and checked against them file by file (in two processes when two CPUs are free:
    :mod:`rmxl.pipeline.split`). Such a file is recognised by its cached shape, else by its
    first look (``agreements:`` and no other key at the start of a line); None when a file
    so recognised turns out otherwise once read (then :func:`_plain` reads everything)."""
    trees: dict[int, tuple[read.LedgerFile, list[Diagnostic]]] = {}
    shapes: list[Any] = []
    for i, e in enumerate(entries):
        shape = store.get("shape", e.key) if store is not None and e.key else cache.MISSING
        if shape is cache.MISSING and _looks_alone(e):
            shape = AGREEMENTS_ONLY  # to be confirmed once read
        if shape is cache.MISSING:
            trees[i] = _tree(e)
            shape = _shape(*trees[i])
            if shape is not None and store is not None and e.key:
                store.put("shape", e.key, shape)
        shapes.append(shape)
    pending = _check_keys(entries, shapes) if store is not None else {}
    stored = [i for i in pending if store is not None and store.has("checked", pending[i])]
    alone = [i for i, shape in enumerate(shapes) if shape == AGREEMENTS_ONLY and i not in stored]
    for i, e in enumerate(entries):
        if i not in stored and i not in trees and i not in alone:
            trees[i] = _tree(e)
    read_diags = [d for i in sorted(trees) for d in trees[i][1]]
    files = [  # the others as they are read later, or never (their check is stored)
        trees[i][0] if i in trees and i not in alone else read.LedgerFile(e.display, None)
        for i, e in enumerate(entries)
    ]
    ctx = context_of(files, _lost(entries, read_diags))

    def check_alone(i: int) -> FileAgreements | None:
        """File ``i`` read (unless it was) and checked; None if it holds more than agreements."""
        e = entries[i]
        tree, diags = trees[i] if i in trees else _tree(e)
        shape = _shape(tree, diags)
        if i not in trees and shape is not None and store is not None and e.key:
            store.put("shape", e.key, shape)
        group = ctx.agreements_in(tree) if shape == AGREEMENTS_ONLY else None
        if group is not None and store is not None and i in pending:
            store.put("checked", pending[i], group)
        return group

    found: dict[int, FileAgreements] = {}

    def load_stored() -> None:
        """The stored checks (their decoding is this process's, while the child reads)."""
        for i in stored:
            hit = store.get("checked", pending[i]) if store is not None else None
            if isinstance(hit, FileAgreements):
                found[i] = hit

    weights = [len(entries[i].raw or b"") for i in alone]
    if parallel:  # a stored check decodes about six times faster than its file is checked
        heavy = sum(len(entries[i].raw or b"") for i in stored) // 6
        done = split.run(check_alone, alone, weights, load_stored, heavy)
    else:
        load_stored()
        done = list(map(check_alone, alone))
    checked = dict(zip(alone, done, strict=True))
    checked.update((i, check_alone(i)) for i in stored if i not in found)  # unreadable entries
    if any(group is None for group in checked.values()):
        return None
    groups: list[FileAgreements] = []
    for i, e in enumerate(entries):
        group = found.get(i) or checked.get(i)
        if group is None and i in trees:
            group = ctx.agreements_of(e.display)
        if group is not None:
            groups.append(group)
    ledger, diags = conclude(ctx, groups, root, day)
    return ledger, sorted([*read_diags, *diags], key=knockon.order)


def _looks_alone(e: cache.Entry) -> bool:
    """Whether file ``e`` seems, at first look, to hold agreements alone."""
    raw = e.raw
    return (
        e.key is not None
        and raw is not None
        and raw.startswith(b"agreements:")
        and not (_OTHER_KEY.search(raw))
    )


def _check_keys(entries: list[cache.Entry], shapes: list[Any]) -> dict[int, str]:
    """The key of every agreements file's check (none when a file the others are checked
    against has no key): the file and every file that is not agreements alone."""
    context = [e.key for e, shape in zip(entries, shapes, strict=True) if shape != AGREEMENTS_ONLY]
    if None in context:
        return {}
    keys = [k for k in context if k]
    return {
        i: cache.checked_key(e.key, keys)
        for i, (e, shape) in enumerate(zip(entries, shapes, strict=True))
        if e.key is not None and shape == AGREEMENTS_ONLY
    }


def _hits(
    entries: list[cache.Entry], shapes: list[Any], store: cache.Store | None
) -> tuple[dict[int, FileAgreements], dict[int, str]]:
    """The agreements files whose check is cached, and every agreements file's check key."""
    pending = _check_keys(entries, shapes) if store is not None else {}
    found: dict[int, FileAgreements] = {}
    for i, key in pending.items():
        hit = store.get("checked", key) if store is not None else None
        if isinstance(hit, FileAgreements):
            found[i] = hit
    return found, pending


def _plain(
    entries: list[cache.Entry], root: Path, day: dt.date, store: cache.Store | None
) -> tuple[Ledger | None, list[Diagnostic]]:
    """Read and validate every file, as :func:`rmxl.validate.ledger.validate` does, with
    one shortcut: a file that holds agreements alone, unchanged, checked against unchanged
    taxonomy, partners and rates, is not even read: its check comes from the cache (and
    every other agreements file's check is stored there)."""
    trees: dict[int, tuple[read.LedgerFile, list[Diagnostic]]] = {}
    shapes: list[Any] = []
    for i, e in enumerate(entries):  # a file's top-level keys, known by its content
        shape = store.get("shape", e.key) if store is not None and e.key else cache.MISSING
        if shape is cache.MISSING:
            trees[i] = _tree(e)
            shape = _shape(*trees[i])
            if shape is not None and store is not None and e.key:
                store.put("shape", e.key, shape)
        shapes.append(shape)
    found, pending = _hits(entries, shapes, store)
    for i, e in enumerate(entries):
        if i not in found and i not in trees:
            trees[i] = _tree(e)
    read_diags = [d for i in sorted(trees) for d in trees[i][1]]
    files = [
        trees[i][0] if i in trees else read.LedgerFile(e.display, None)
        for i, e in enumerate(entries)
    ]
    ctx = context_of(files, _lost(entries, read_diags))  # a file not read is still a file
    groups: list[FileAgreements] = []
    for i, e in enumerate(entries):
        group = found.get(i) or (ctx.agreements_of(e.display) if i in trees else None)
        if group is not None:
            groups.append(group)
            if store is not None and i in pending and i not in found:
                store.put("checked", pending[i], group)
    ledger, diags = conclude(ctx, groups, root, day)
    return ledger, sorted([*read_diags, *diags], key=knockon.order)


def _shape(file: read.LedgerFile, diags: list[Diagnostic]) -> tuple[str, ...] | None:
    """The sections of a file read without a problem (None otherwise: never cached)."""
    if diags or file.data is None:
        return None
    return tuple(str(k) for k in file.data)


def _tree(e: cache.Entry) -> tuple[read.LedgerFile, list[Diagnostic]]:
    """One file's tree and read diagnostics."""
    diags: list[Diagnostic] = []
    if e.raw is None or e.key is None:  # unreadable or too large: read.py says why
        return read.read_file(e.path, e.display, diags), diags
    return read.LedgerFile(e.display, read_bytes(e.raw, e.display, diags)), diags
