"""Dimension and measure names (spec §3), as every face spells them, and their lookup.

Names arrive from Excel and the command line with stray spaces and any case; they are
normalised (``" Partner Type "`` → ``partner_type``). Anything else — a plural, an
abbreviation such as ``type`` — is a :class:`~rmxl.diagnostics.QueryError` that lists the
accepted names and the closest one (spec §6, Names).
"""

from __future__ import annotations

from typing import Any, Literal

from rmxl.diagnostics import QueryError, closest_names

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


def text_of(value: Any) -> str:
    """``str(value)``, or ``""`` for an int too long to print (Python's 4,300 digits)."""
    try:
        return str(value)
    except ValueError:
        return ""


def _norm(value: Any) -> str:
    return " ".join(text_of(value).split()).lower().replace(" ", "_").replace("-", "_")


def closest(value: str, options: list[str]) -> str:
    """``" — did you mean 'x'?"`` or ``""``: the most similar option (difflib), else the
    only option that contains ``value`` or is contained in it (``type`` → ``partner_type``)."""
    hits = closest_names(value, options, 1, parts=True)
    return f" — did you mean '{hits[0]}'?" if hits else ""


def preview(value: Any, limit: int = 60) -> str:
    """``value`` as a message shows it: text in quotes, at most ``limit`` characters."""
    try:
        text = value if isinstance(value, str) else repr(value)
    except ValueError:  # an int too long to print (Python's 4,300-digit limit)
        text = "a number too large to show"
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'" if isinstance(value, str) else text


_SEEN: dict[tuple[str, str], str] = {}
"""``(kind, text as given)`` → canonical name, for names already accepted (at most
:data:`SEEN_LIMIT`): a spreadsheet asks with the same few spellings again and again."""
SEEN_LIMIT = 4096


def _seen(kind: str, value: Any, name: str) -> str:
    if type(value) is str and len(_SEEN) < SEEN_LIMIT:
        _SEEN[kind, value] = name
    return name


def dimension(value: Any) -> str:
    """The canonical dimension name; raises QueryError ``unknown-dimension``."""
    if type(value) is str and (hit := _SEEN.get(("d", value))) is not None:
        return hit
    name = _norm(value) if value is not None else ""
    if name in DIMENSIONS:
        return _seen("d", value, name)
    opts = list(DIMENSIONS)
    raise QueryError(
        "unknown-dimension",
        f"unknown dimension {preview(value)}{closest(name, opts)} ({', '.join(opts)})",
    )


def measure(value: Any) -> str:
    """The canonical measure name; None or blank → ``funds``; raises ``unknown-measure``."""
    if type(value) is str and (hit := _SEEN.get(("m", value))) is not None:
        return hit
    if value is None or (isinstance(value, str) and not value.strip()):
        return "funds"
    name = _norm(value)
    if name in MEASURES:
        return _seen("m", value, name)
    opts = list(MEASURES)
    raise QueryError(
        "unknown-measure",
        f"unknown measure {preview(value)}{closest(name, opts)} ({', '.join(opts)})",
    )
