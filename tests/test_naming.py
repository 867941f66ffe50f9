"""Names a spreadsheet reads as one are refused (spec §6): codes and labels that differ
only by case, spreadsheet wildcards, built-in bucket names, a partner id ``itu``."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AGREEMENTS, PARTNERS, TAXONOMY, base_files, codes, diagnose, write_ledger

EUROPE = "      - {code: europe, label: Europe}\n"


def taxonomy_with(old: str, new: str) -> dict[str, str]:
    assert old in TAXONOMY
    return {"taxonomy.yaml": TAXONOMY.replace(old, new, 1)}


@pytest.mark.parametrize(
    "old, new, code, line",
    [
        # europe and Europe: LibreOffice's SUMIFS added both buckets' funds to each
        (EUROPE, EUROPE + "      - {code: Europe, label: Western Europe}\n", "duplicate-id", 11),
        (EUROPE, EUROPE + "      - {code: west, label: EUROPE}\n", "duplicate-id", 11),
        (EUROPE, EUROPE + "      - {code: west, label: ' europe '}\n", "duplicate-id", 11),
        (EUROPE, EUROPE + "      - {code: west, label: cis}\n", "duplicate-id", 11),
        (EUROPE, EUROPE + "      - {code: west, label: multi-regions}\n", "duplicate-id", 3),
        (EUROPE, "      - {code: 'eu*', label: Europe}\n", "bad-name", 10),
        (EUROPE, "      - {code: europe, label: 'Europe?'}\n", "bad-name", 10),
        (EUROPE, "      - {code: europe, label: Europe ~ East}\n", "bad-name", 10),
        (EUROPE, "      - {code: '>europe', label: Europe}\n", "bad-name", 10),
        (EUROPE, "      - {code: west, label: Multi}\n", "duplicate-id", 10),
        ("{code: SIO,", "{code: admin,", "duplicate-id", 22),
        ("{code: other, label: Others", "{code: other, label: foundations", "duplicate-id", 18),
        ("code: kap\n", "code: BAAP\n", "duplicate-id", 32),
        ("code: kap\n", "code: k*p\n", "bad-name", 32),
        (
            "{code: digital-transformation, label: Digital transformation}",
            "{code: Affordable-Connectivity, label: Digital transformation}",
            "duplicate-id",
            38,
        ),
        (
            "multi_label: Multi-priorities",
            "multi_label: Digital transformation",
            "duplicate-id",
            35,
        ),
    ],
)
def test_names_a_spreadsheet_reads_as_one_are_refused(
    tmp_path: Path, old: str, new: str, code: str, line: int
) -> None:
    root = write_ledger(tmp_path / "l", base_files(**taxonomy_with(old, new)))
    assert codes(diagnose(root)) == [(code, line)]


def test_the_same_priority_in_two_plans_is_fine(tmp_path: Path) -> None:
    files = taxonomy_with(
        "{code: affordable-connectivity, label: Affordable connectivity}",
        "{code: cybersecurity, label: Cybersecurity}",
    )
    files["agreements/2022.yaml"] = AGREEMENTS.replace(
        "priorities: [affordable-connectivity]", "priorities: [cybersecurity]"
    )
    assert codes(diagnose(write_ledger(tmp_path / "l", base_files(**files)))) == []


@pytest.mark.parametrize("pid", ["itu", "none", "multi"])
def test_partner_id_itu_is_refused(tmp_path: Path, pid: str) -> None:
    partners = PARTNERS + f"  - {{id: {pid}, name: Not ITU, type: other}}\n"
    agreements = AGREEMENTS.replace("partners: [uni-x]", f"partners: [uni-x, {pid}]")
    agreements = agreements.replace("{by: uni-x,", f"{{by: {pid},")
    files = base_files(**{"partners.yaml": partners, "agreements/2022.yaml": agreements})
    diags = diagnose(write_ledger(tmp_path / "l", files))
    assert codes(diags) == [("bad-id", 6)]


def test_partner_id_ITU_hint_does_not_suggest_itu(tmp_path: Path) -> None:
    partners = PARTNERS + "  - {id: ITU, name: Not ITU, type: other}\n"
    diags = diagnose(write_ledger(tmp_path / "l", base_files(**{"partners.yaml": partners})))
    (d,) = [d for d in diags if d.severity == "error"]
    assert d.code == "bad-id" and "'itu'" not in d.hint and "by: ITU" in d.hint


def test_the_demo_taxonomy_passes() -> None:
    from conftest import DEMO

    assert codes(diagnose(DEMO), None) == []
