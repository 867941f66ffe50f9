"""Diagnostics as data: one frozen record per problem, stable codes in one catalogue.

Every stage of the pipeline (read → validate → compile → query) reports problems as
:class:`Diagnostic` values instead of raising mid-way, so ``rmxl validate`` can show
them all at once. Renderers (text, JSON, GitHub annotations) are views of the same list.

The catalogue (:mod:`rmxl.catalogue`: :data:`CATALOGUE` of diagnostics,
:data:`QUERY_CATALOGUE` of query errors) is the single source of codes;
``docs/errors.md`` is generated from it (``rmxl errors --markdown``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rmxl.catalogue import CATALOGUE, QUERY_CATALOGUE, Kind, Severity, describe

__all__ = [
    "CATALOGUE",
    "QUERY_CATALOGUE",
    "Diagnostic",
    "Kind",
    "LedgerError",
    "QueryError",
    "Severity",
    "Source",
    "closest_name",
    "closest_names",
    "describe",
    "make",
]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record or value was written: a file path and a 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a ledger.

    ``code`` is a key of :data:`CATALOGUE`; ``source`` points at the offending value
    (``None`` only for problems about the ledger as a whole, e.g. an empty folder);
    ``hint`` suggests a fix ("did you mean 'africa'?") or is empty. ``knock_on`` marks a
    consequence of another diagnostic, which validation suppresses and counts
    (:mod:`rmxl.validate.knockon`); no diagnostic it returns has it set.
    """

    code: str
    severity: Severity
    message: str
    source: Source | None
    hint: str = ""
    knock_on: bool = False

    def sort_key(self) -> tuple[str, int, int, str]:
        if self.source is None:
            return ("", 0, 0, self.code)
        return (self.source.file, self.source.line, self.source.column, self.code)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: code, severity, message, file, line, column, hint."""
        src = self.source
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": src.file if src else None,
            "line": src.line if src else None,
            "column": src.column if src else None,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        text = f"{where}{self.severity}[{self.code}]: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def make(code: str, message: str, source: Source | None, hint: str = "") -> Diagnostic:
    """Build a :class:`Diagnostic` for a catalogued ``code`` (KeyError if not catalogued)."""
    return Diagnostic(code, CATALOGUE[code].severity, message, source, hint)


def closest_names(
    value: object,
    choices: Iterable[str],
    n: int = 1,
    cutoff: float = 0.6,
    aliases: Mapping[str, str] | None = None,
    parts: bool = False,
) -> list[str]:
    """Up to ``n`` of ``choices`` that ``value`` most likely means, most likely first, for
    a "did you mean" hint: the choice equal to it ignoring case and surrounding spaces,
    else the closest by :func:`difflib.get_close_matches` (ratio ``cutoff`` or more,
    case-insensitive), else — with ``parts`` — the at most ``n`` choices that contain it
    (or its singular) or that it contains; else ``[]``. ``aliases`` (e.g. label → code)
    are matched too and give their target (``Asia-Pacific`` → ``asia-pacific``). The one
    suggestion rule of validate's hints, the import's name matching and query errors."""
    low: dict[str, str] = {}
    for c in choices:
        low.setdefault(c.lower(), c)
    for alias, target in (aliases or {}).items():
        low[alias.lower()] = target
    try:
        v = str(value).strip().lower()[:200]
    except ValueError:  # an int too long to print (Python's 4,300-digit limit)
        return []
    if v in low:
        return [low[v]]
    hits = difflib.get_close_matches(v, list(low), n=n, cutoff=cutoff)
    if not hits and parts and len(v) >= 3:
        stems = {v, v.removesuffix("s")}
        inside = [o for o in low if any(k in o for k in stems) or (len(o) >= 3 and o in v)]
        hits = inside if len(inside) <= n else []
    return list(dict.fromkeys(low[h] for h in hits))


def closest_name(
    value: object, choices: Iterable[str], aliases: Mapping[str, str] | None = None
) -> str | None:
    """The first of :func:`closest_names` (one suggestion), or None."""
    hits = closest_names(value, choices, aliases=aliases)
    return hits[0] if hits else None


class LedgerError(Exception):
    """Raised by whole-pipeline helpers when a ledger has errors; carries them all."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        first = str(errors[0]) if errors else "ledger has errors"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)


class QueryError(ValueError):
    """A question the ledger cannot answer as asked (unknown bucket, bad period, empty
    period, zero total…), raised by the query stage (:mod:`rmxl.query`). ``code`` is a
    stable kebab-case code of :data:`QUERY_CATALOGUE` (``rmxl errors`` lists them);
    ``str(e)`` is a one-line message that says what was wrong and what is accepted."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
