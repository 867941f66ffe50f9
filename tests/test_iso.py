"""rmxl.validate.iso: the ISO lists read from pycountry's data files are pycountry's own."""

from __future__ import annotations

import subprocess
import sys

import pycountry
import pytest

from rmxl.validate import iso


def test_currencies_are_pycountrys() -> None:
    assert iso.currencies() == frozenset(c.alpha_3 for c in pycountry.currencies)
    assert {"USD", "CHF", "EUR", "XAU"} <= iso.currencies()


def test_countries_are_pycountrys() -> None:
    expected = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    assert iso.countries() == expected
    assert list(iso.countries()) == list(expected)  # same order: suggestions list them
    assert iso.country_name("TW") == expected["TW"] and iso.country_name("XX") == "XX"


def test_without_the_data_files_pycountry_is_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(iso, "_entries", lambda name, root: None)
    iso.currencies.cache_clear()
    iso.countries.cache_clear()
    try:
        assert iso.currencies() == frozenset(c.alpha_3 for c in pycountry.currencies)
        assert iso.countries()["CH"] == "Switzerland"
    finally:
        iso.currencies.cache_clear()
        iso.countries.cache_clear()


def test_a_missing_file_is_none() -> None:
    assert iso._entries("no-such-list", "x") is None
    assert iso._entries("iso4217", "no-such-root") is None


def test_lists_without_importing_pycountry() -> None:
    code = (
        "import sys; from rmxl.validate import iso; "
        "assert 'USD' in iso.currencies() and 'KE' in iso.countries(); "
        "print('pycountry' in sys.modules, 'importlib.metadata' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
