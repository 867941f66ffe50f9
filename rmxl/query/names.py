"""Dimension and measure names (spec §3), as every face spells them, and their lookup.

Names arrive from Excel and the command line with stray spaces and any case; they are
normalised (``" Partner Type "`` → ``partner_type``). An unknown name is a
:class:`~rmxl.diagnostics.QueryError` that lists the accepted names and the closest one.
"""

from __future__ import annotations

import difflib
from typing import Any, Literal

from rmxl.diagnostics import QueryError

Level = Literal["agreement", "partner", "contribution"]

DIMENSIONS: dict[str, Level] = {
    "region": "agreement",
    "priority": "agreement",
    "partner_type": "partner",
    "membership": "partner",
    "partner": "partner",
    "country": "partner",
    "currency": "contribution",
}
"""Dimension → the level it splits at (spec §3, Dimensions)."""

MEASURES = ("funds", "partner_funds", "itu_funds", "agreements", "funded_agreements", "partners")
"""Measures of spec §3: the first three are USD, the others counts."""

MONEY = frozenset({"funds", "partner_funds", "itu_funds"})

_ALIASES = {
    "regions": "region",
    "priorities": "priority",
    "thematic_priority": "priority",
    "partner_types": "partner_type",
    "type": "partner_type",
    "membership_category": "membership",
    "countries": "country",
    "currencies": "currency",
}


def _norm(value: Any) -> str:
    return " ".join(str(value).split()).lower().replace(" ", "_").replace("-", "_")


def closest(value: str, options: list[str]) -> str:
    """``" — did you mean 'x'?"`` or ``""``."""
    hit = difflib.get_close_matches(value.lower(), [o.lower() for o in options], n=1, cutoff=0.6)
    if not hit:
        return ""
    original = next(o for o in options if o.lower() == hit[0])
    return f" — did you mean '{original}'?"


def dimension(value: Any) -> str:
    """The canonical dimension name; raises QueryError ``unknown-dimension``."""
    name = _norm(value) if value is not None else ""
    name = _ALIASES.get(name, name)
    if name in DIMENSIONS:
        return name
    opts = list(DIMENSIONS)
    raise QueryError(
        "unknown-dimension", f"unknown dimension '{value}'{closest(name, opts)} ({', '.join(opts)})"
    )


def measure(value: Any) -> str:
    """The canonical measure name; None or blank → ``funds``; raises ``unknown-measure``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "funds"
    name = _norm(value)
    if name in MEASURES:
        return name
    opts = list(MEASURES)
    raise QueryError(
        "unknown-measure", f"unknown measure '{value}'{closest(name, opts)} ({', '.join(opts)})"
    )
