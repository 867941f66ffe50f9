"""The catalogue of codes: every diagnostic ``rmxl validate`` reports and every query
error, each with its severity, title and explanation. ``rmxl errors`` lists it and
``docs/errors.md`` is generated from it (``rmxl errors --markdown``).

The entries live in :mod:`rmxl.catalogue.ledger` (diagnostics, by pipeline stage) and
:mod:`rmxl.catalogue.query` (codes of :class:`rmxl.diagnostics.QueryError`); add a new
code there, with a title and an explanation that ends with a full stop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "note"]
"""``note``: not a problem of its own (the count of suppressed knock-ons); never fails."""


@dataclass(frozen=True, slots=True)
class Kind:
    """One entry of the catalogue: a stable kebab-case code, its severity and meaning."""

    code: str
    severity: Severity
    title: str
    explanation: str


def entry(code: str, title: str, explanation: str, severity: Severity = "error") -> Kind:
    """A catalogue entry; errors unless ``severity`` says otherwise."""
    return Kind(code, severity, title, explanation)


def _catalogues() -> tuple[dict[str, Kind], dict[str, Kind]]:
    from rmxl.catalogue.ledger import KINDS
    from rmxl.catalogue.query import QUERY_KINDS

    return {k.code: k for k in KINDS}, {k.code: k for k in QUERY_KINDS}


CATALOGUE, QUERY_CATALOGUE = _catalogues()
"""``CATALOGUE``: the ledger's diagnostics — what ``rmxl validate`` (and ``rmxl build
--template``) report. ``QUERY_CATALOGUE``: the query errors, codes of
:class:`rmxl.diagnostics.QueryError`, raised by ``rmxl eval``, the RM_ functions,
``rmxl report`` and ``rmxl build`` for a question the ledger cannot answer."""


def describe(code: str) -> Kind | None:
    """The catalogue entry of a diagnostic or query-error ``code``, or None."""
    return CATALOGUE.get(code) or QUERY_CATALOGUE.get(code)
