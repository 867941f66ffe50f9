"""The pipeline in order: read → validate → compile → query.

``check(root)`` runs the first two stages and returns every diagnostic; ``load(root)``
returns a clean :class:`Ledger` or raises :class:`LedgerError`; ``figures(root)`` returns
the :class:`~rmxl.query.Figures` over the compiled ledger.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, LedgerError
from .model import Ledger
from .read import read_ledger
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
    files, read_diags = read_ledger(root)
    ledger, diags = validate(files, root, today)
    return ledger, sorted([*read_diags, *diags], key=Diagnostic.sort_key)


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
