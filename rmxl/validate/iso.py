"""ISO code lists, from pycountry: ISO 4217 currencies and ISO 3166-1 alpha-2 countries."""

from __future__ import annotations

from functools import cache


@cache
def currencies() -> frozenset[str]:
    """ISO 4217 alphabetic currency codes."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


@cache
def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → common (or official short) English name."""
    import pycountry

    return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


def country_name(code: str) -> str:
    """The English name of an alpha-2 code (the code itself if unknown)."""
    return countries().get(code, code)
