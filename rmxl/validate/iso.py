"""ISO code lists, from pycountry: ISO 4217 currencies and ISO 3166-1 alpha-2 countries.

The lists are read from pycountry's own data files (``databases/iso4217.json`` and
``databases/iso3166-1.json``, the files ``pycountry.currencies`` and
``pycountry.countries`` load) without importing pycountry, whose import also loads
``importlib.metadata`` for its version (about 0.04 s of ``rmxl validate``, issue 14).
Where the files are not found as expected (another pycountry layout), pycountry is
imported as usual; tests/test_iso.py checks that both give the same lists.
"""

from __future__ import annotations

import importlib.util
import json
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
