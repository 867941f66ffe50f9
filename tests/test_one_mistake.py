"""One mistake, one error (issue 10): a misspelt required key is one ``unknown-key``
naming the key it stands for; the ``missing-key`` (or ``taxonomy-missing``) it causes is
a knock-on, not shown and counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AGREEMENTS, TAXONOMY, base_files, codes, diagnose, write_ledger

A = "agreements/2022.yaml"

TYPOS = {  # file, typo, (code, line) of the one error shown
    "agreement title": (A, ("    title: Smart villages", "    titel: Smart villages"), 3),
    "agreement signed": (A, ("    signed: 2022-03-14", "    signd: 2022-03-14"), 4),
    "contribution currency": (
        A,
        ("amount: 50000, currency: USD", "amount: 50000, curency: USD"),
        10,
    ),
    "taxonomy vocabulary": ("taxonomy.yaml", ("  regions:", "  regons:"), 2),
}
TEXTS = {A: AGREEMENTS, "taxonomy.yaml": TAXONOMY}


@pytest.mark.parametrize("case", TYPOS)
def test_a_misspelt_required_key_is_one_error(tmp_path: Path, case: str) -> None:
    file, (old, new), line = TYPOS[case]
    assert old in TEXTS[file]
    root = write_ledger(tmp_path / "l", base_files(**{file: TEXTS[file].replace(old, new, 1)}))
    diags = diagnose(root)
    assert codes(diags) == [("unknown-key", line)]
    (note,) = [d for d in diags if d.code == "knock-on"]
    assert note.message.startswith("1 more diagnostic")


def test_a_really_missing_key_is_still_an_error(tmp_path: Path) -> None:
    """Without a misspelling standing for it, the missing key is the error itself."""
    text = AGREEMENTS.replace("    title: Smart villages\n", "    x_note: Smart villages\n", 1)
    diags = diagnose(write_ledger(tmp_path / "l", base_files(**{A: text})))
    assert codes(diags) == [("missing-key", 2)]


@pytest.mark.parametrize("bad", [r'"uni\u200b-x"', "Uni-X", "uni_x"])
def test_a_malformed_partner_id_is_one_error_not_unknown_partners(tmp_path: Path, bad: str) -> None:
    """The partner's refused id is the cause; the agreements naming the id meant get no
    "unknown partner" whose hint would suggest copying the refused one."""
    from conftest import PARTNERS

    partners = PARTNERS.replace("id: uni-x", f"id: {bad}")
    diags = diagnose(write_ledger(tmp_path / "l", base_files(**{"partners.yaml": partners})))
    assert codes(diags) == [("bad-id", 5)]
    (err,) = [d for d in diags if d.severity == "error"]
    assert "e.g. 'uni-x'" in err.hint


def test_a_name_of_invisible_characters_is_blank(tmp_path: Path) -> None:
    from conftest import PARTNERS

    partners = PARTNERS.replace("name: Swiss FDFA", r'name: "\u200b\u200e "')
    diags = diagnose(write_ledger(tmp_path / "l", base_files(**{"partners.yaml": partners})))
    assert codes(diags) == [("wrong-type", 2)]
    (err,) = [d for d in diags if d.severity == "error"]
    assert "'name' is blank" in err.message
