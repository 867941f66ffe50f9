"""rmxl.validate.iso: the ISO lists read from pycountry's data files are pycountry's own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pycountry
import pytest

from rmxl.validate import iso

from conftest import AGREEMENTS, PARTNERS, base_files, diagnose, write_ledger


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


def test_withdrawn_countries_are_pycountrys_historic_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """ISO 3166-3 as pycountry.historic_countries has it, from the data file or pycountry."""
    expected = {c.alpha_2 for c in pycountry.historic_countries}
    assert set(iso._historic()) == expected and {"YU", "AN", "ZR", "CS"} <= expected
    monkeypatch.setattr(iso, "_entries", lambda name, root: None)
    iso._historic.cache_clear()
    try:
        assert set(iso._historic()) == expected
    finally:
        iso._historic.cache_clear()


def test_a_withdrawn_country_code_says_so_and_names_its_successor() -> None:
    """ZR became CD (the last two letters of its alpha-4 ZRCD); YU became CS, withdrawn
    in turn without a single successor (CSXX); BQ is withdrawn but assigned again."""
    assert iso.withdrawn_country("ZR") == (
        "was withdrawn from ISO 3166-1 in 1997 (Zaire, Republic of)",
        f"use CD ({iso.country_name('CD')})",
    )
    yu = iso.withdrawn_country("YU")
    assert yu is not None and yu[0].startswith("was withdrawn from ISO 3166-1 in 2003 (Yugoslavia")
    assert yu[1] == "it has no single successor: use the code of the country of today"
    assert iso.withdrawn_country("BQ") is None and iso.withdrawn_country("QQ") is None


def test_validate_names_a_withdrawn_country(tmp_path: Path) -> None:
    """countries: [YU] was 'unknown country code' with every code listed."""
    text = AGREEMENTS.replace(
        "    regions: [africa]\n", "    regions: [africa]\n    countries: [AN, ZR]\n", 1
    )
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/2022.yaml": text}))
    an, zr = [d for d in diagnose(root) if d.code == "unknown-country"]
    assert an.message == (
        "agreement A-1: country code 'AN' was withdrawn from ISO 3166-1 in 2010 "
        "(Netherlands Antilles)"
    )
    assert an.hint == "it has no single successor: use the code of the country of today"
    assert zr.hint == f"use CD ({iso.country_name('CD')})"


def test_a_partners_withdrawn_country_says_so_too(tmp_path: Path) -> None:
    """A partner's ``country: DD`` (the German Democratic Republic) names DE."""
    partners = PARTNERS.replace("country: NO}", "country: DD}")
    root = write_ledger(tmp_path / "l", base_files(**{"partners.yaml": partners}))
    (dd,) = [d for d in diagnose(root) if d.code == "unknown-country"]
    assert dd.message == (
        "country code 'DD' was withdrawn from ISO 3166-1 in 1990 (German Democratic Republic)"
    )
    assert dd.hint == f"use DE ({iso.country_name('DE')})"
