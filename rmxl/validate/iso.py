"""ISO code lists, from pycountry: ISO 4217 currencies and ISO 3166-1 alpha-2 countries,
and the countries ISO 3166-3 lists as withdrawn from ISO 3166-1.

The lists are read from pycountry's own data files (``databases/iso4217.json``,
``databases/iso3166-1.json`` and ``databases/iso3166-3.json``, the files
``pycountry.currencies``, ``pycountry.countries`` and ``pycountry.historic_countries``
load) without importing pycountry, whose import also loads
``importlib.metadata`` for its version (about 0.04 s of ``rmxl validate``, issue 14).
Where the files are not found as expected (another pycountry layout), pycountry is
imported as usual; tests/test_iso.py checks that both give the same lists.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any


def _entries(name: str, root: str) -> list[dict[str, Any]] | None:
    """The entries of pycountry's ``databases/<name>.json`` under ``root`` (e.g. ``4217``),
    or None when the file is absent or not what pycountry ships."""
    spec = importlib.util.find_spec("pycountry")
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        return None
    try:
        with open(Path(folders[0]) / "databases" / f"{name}.json", "rb") as f:
            found = json.load(f)[root]
    except (OSError, ValueError, LookupError, TypeError):
        return None
    ok = isinstance(found, list) and all(isinstance(e, dict) for e in found)
    return found if ok else None


@cache
def currencies() -> frozenset[str]:
    """ISO 4217 alphabetic currency codes."""
    found = _entries("iso4217", "4217")
    if found is not None and all(isinstance(e.get("alpha_3"), str) for e in found):
        return frozenset(e["alpha_3"] for e in found)
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


@cache
def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → common (or official short) English name."""
    found = _entries("iso3166-1", "3166-1")
    if found is not None and all(
        isinstance(e.get("alpha_2"), str) and isinstance(e.get("name"), str) for e in found
    ):
        return {e["alpha_2"]: e.get("common_name") or e["name"] for e in found}
    import pycountry

    return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


def country_name(code: str) -> str:
    """The English name of an alpha-2 code (the code itself if unknown)."""
    return countries().get(code, code)


@cache
def _historic() -> dict[str, dict[str, str]]:
    """ISO 3166-3: withdrawn alpha-2 code → its latest entry (``name``, ``alpha_4``,
    ``withdrawal_date``: strings; a code withdrawn twice, such as CS, by its latest)."""
    found = _entries("iso3166-3", "3166-3")
    if found is None or not all(
        all(isinstance(e.get(k), str) for k in ("alpha_2", "alpha_4", "name", "withdrawal_date"))
        for e in found
    ):
        import pycountry

        found = [
            {k: getattr(c, k, "") for k in ("alpha_2", "alpha_4", "name", "withdrawal_date")}
            for c in pycountry.historic_countries
        ]
    out: dict[str, dict[str, str]] = {}
    for e in sorted(found, key=lambda e: str(e.get("withdrawal_date", ""))):
        out[str(e["alpha_2"])] = {
            k: str(e.get(k, "")) for k in ("name", "alpha_4", "withdrawal_date")
        }
    return out


def withdrawn_country(code: str) -> tuple[str, str] | None:
    """For an alpha-2 code ISO 3166-3 lists as withdrawn and not assigned again, ``(what,
    hint)``: ``"was withdrawn from ISO 3166-1 in 1997 (Zaire, Republic of)"`` and ``"use
    CD (Congo, The Democratic Republic of the)"`` — the successor is the last two letters
    of its ISO 3166-3 alpha-4 code, followed while that is withdrawn too (YU → CS → none);
    ``HH`` or ``XX`` there (no single successor, as for AN, SU) gives a hint to use the code
    of the country of today. None for any other code."""
    key = code.upper()
    entry = _historic().get(key)
    if entry is None or key in countries():
        return None
    what = f"was withdrawn from ISO 3166-1 in {entry['withdrawal_date'][:4]} ({entry['name']})"
    seen, step = {key}, entry
    while True:
        after = step["alpha_4"][2:]
        if after in countries():
            return what, f"use {after} ({country_name(after)})"
        later = _historic().get(after)
        if later is None or after in seen:
            return what, "it has no single successor: use the code of the country of today"
        seen.add(after)
        step = later


def country_problem(code: str, suggest: Callable[[str, Iterable[str]], str]) -> tuple[str, str]:
    """The message and hint of ``unknown-country`` for ``code``: a code ISO 3166-1 withdrew
    (:func:`withdrawn_country`) says so and names its successor; any other is unknown,
    with ``suggest(code, codes)``'s hint (the closest codes)."""
    gone = withdrawn_country(code)
    if gone is not None:
        return f"country code {code!r} {gone[0]}", gone[1]
    return f"unknown country code {code!r}", suggest(code.upper(), countries())
