"""One mistake, one error (issue 10): the root cause first, knock-ons of a file or section
that could not be read suppressed and counted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rmxl.validate.knockon import SECTIONS, declared

from conftest import AGREEMENTS, DEMO, PARTNERS, base_files, codes, diagnose, run_cli, write_ledger

# line 14 of the demo's partners.yaml is "    type: government" of ch-fdfa
BREAKS = {
    "tab": lambda line: "\t" + line.lstrip(" "),
    "latin-1": lambda line: line.replace("government", "gouvernement \xe9"),
    "colon": lambda line: line.replace("type: government", "type: A: B"),
}


def demo(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(DEMO, root)
    return root


@pytest.mark.parametrize("how", sorted(BREAKS))
def test_one_bad_line_of_partners_gives_one_error(tmp_path: Path, how: str) -> None:
    # today: 112 errors, the real one number 335 of 337 lines of output
    root = demo(tmp_path)
    path = root / "partners.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[13] == "    type: government"
    lines[13] = BREAKS[how](lines[13])
    path.write_bytes("\n".join(lines).encode("latin-1" if how == "latin-1" else "utf-8"))
    diags = diagnose(root)
    assert [(d.code, d.source.line if d.source else 0) for d in diags if d.severity != "note"] == [
        ("encoding" if how == "latin-1" else "yaml-syntax", 14)
    ]
    status, out, err = run_cli("validate", "--ledger", str(root))
    assert status == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{root.as_posix()}/partners.yaml:14:")
    assert "107 knock-on diagnostics not shown" in err + out
    # build shows its first 20 errors: the cause is among them, the count too
    status, out, err = run_cli("build", "--ledger", str(root), "--out", str(tmp_path / "x.xlsx"))
    assert status == 1 and "partners.yaml:14:" in err and "107 knock-on" in err


def test_misspelt_agreements_section_gives_one_error(tmp_path: Path) -> None:
    # today: 1 error and 20 unused-partner warnings
    root = demo(tmp_path)
    path = root / "agreements" / "2023.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("\nagreements:", "\nagrements:"), "utf-8"
    )
    diags = diagnose(root)
    assert codes(diags, None) == [("unknown-section", 10), ("knock-on", 0)]
    assert diags[-1].message.startswith("19 more diagnostics")


def test_misspelt_partner_id_gives_one_error_whose_hint_is_right(tmp_path: Path) -> None:
    # today: unknown-partner, contributor-not-partner hinting 'ch-fdfx', unused-partner
    bad = AGREEMENTS.replace("partners: [ch-fdfa]", "partners: [ch-fdfx]")
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/2022.yaml": bad}))
    diags = [d for d in diagnose(root) if d.code != "rate-stale"]
    assert [(d.code, d.source.line if d.source else 0) for d in diags] == [
        ("unknown-partner", 5),
        ("knock-on", 0),
    ]
    assert diags[0].hint == "did you mean 'ch-fdfa'?"
    assert "ch-fdfx" not in " ".join(d.hint for d in diags)


def test_contributor_hint_never_suggests_an_unknown_partner(tmp_path: Path) -> None:
    bad = AGREEMENTS.replace("partners: [no-mfa, acme]", "partners: [no-mfa, acme, acmee]")
    bad = bad.replace("{by: acme, amount: 100000", "{by: acmx, amount: 100000")
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/2022.yaml": bad}))
    diags = diagnose(root)
    assert ("unknown-partner", 14) in codes(diags)
    assert "acmee" not in " ".join(d.hint for d in diags)


def test_a_partner_record_without_an_id_suppresses_unknown_partners(tmp_path: Path) -> None:
    partners = PARTNERS.replace("- {id: ch-fdfa,", "- {idd: ch-fdfa,")
    root = write_ledger(tmp_path / "l", base_files(**{"partners.yaml": partners}))
    diags = diagnose(root)
    # one mistake, one error: the misspelt key; its missing 'id' is a knock-on too
    assert codes(diags) == [("unknown-key", 2)]
    assert diags[-1].code == "knock-on"


def test_a_refused_rate_suppresses_missing_rates(tmp_path: Path) -> None:
    rates = "rates:\n  CHF:\n    2022-01-01: 0.96x\n"
    root = write_ledger(tmp_path / "l", base_files(**{"rates.yaml": rates}))
    assert codes(diagnose(root)) == [("bad-rate", 3)]


def test_a_taxonomy_error_suppresses_unknown_codes(tmp_path: Path) -> None:
    from conftest import TAXONOMY

    tax = TAXONOMY.replace("- {code: africa, label: Africa}", "- {code: africa}")
    root = write_ledger(tmp_path / "l", base_files(**{"taxonomy.yaml": tax}))
    assert codes(diagnose(root)) == [("missing-key", 5)]


def test_the_causes_come_first(tmp_path: Path) -> None:
    files = base_files(**{"zz.yaml": "agreements:\n  - id: [x\n"})
    files["agreements/2022.yaml"] = AGREEMENTS.replace("regions: [africa]", "regions: [afrika]")
    root = write_ledger(tmp_path / "l", files)
    assert [c for c, _ in codes(diagnose(root))] == ["yaml-syntax", "unknown-region"]


def test_declared_sections_of_a_broken_file() -> None:
    assert declared(b"# c\npartners:\n\t- id: x\nrates: {\n") == {"partners", "rates"}
    assert declared(b"agrements:\n  - x: [\n") == {"agreements"}
    assert declared(None) == set(SECTIONS)
    assert declared(b"\xff\xfe garbage") == set(SECTIONS)


def test_the_knock_on_count_is_data_in_every_format(tmp_path: Path) -> None:
    import json

    bad = AGREEMENTS.replace("partners: [ch-fdfa]", "partners: [ch-fdfx]")
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/2022.yaml": bad}))
    status, out, err = run_cli("validate", "--ledger", str(root), "--format", "json")
    assert status == 1
    last = json.loads(out)[-1]
    assert (last["code"], last["severity"], last["file"]) == ("knock-on", "note", None)
    assert last["message"].startswith("2 more diagnostics")
    assert "2 knock-on diagnostics not shown" in err
    status, out, _ = run_cli("validate", "--ledger", str(root), "--format", "github")
    assert out.splitlines()[-1].startswith("::notice title=Knock-on diagnostics not shown")
    # --strict turns warnings into errors, never the note
    status, out, _ = run_cli("validate", "--ledger", str(root), "--strict", "--format", "json")
    assert json.loads(out)[-1]["severity"] == "note"


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("<<: {title: QA test}", "a YAML merge key '<<' is not read"),
        ("!!python/name:os.system x: QA test", "unsupported YAML tag '!!python/name:os.system'"),
    ],
)
def test_a_refused_key_is_one_error_not_an_unknown_key_and_a_missing_one(
    tmp_path: Path, key: str, message: str
) -> None:
    """A merge key in place of ``title:`` is its yaml-tag error alone: no ``unknown key
    'None'``, and the missing title is a knock-on (the merge may have held it)."""
    text = AGREEMENTS.replace("    title: Smart villages\n", f"    {key}\n", 1)
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/2022.yaml": text}))
    diags = diagnose(root)
    assert codes(diags) == [("yaml-tag", 3)]
    assert diags[0].message.startswith(message)
    assert [d.code for d in diags if d.code == "knock-on"] == ["knock-on"]


def test_a_null_key_beside_a_missing_title_is_still_two_errors(tmp_path: Path) -> None:
    """Only a refused key makes the missing keys knock-ons: a plain ``null:`` key is an
    unknown key of its own, and the title is still missing."""
    text = AGREEMENTS.replace("    title: Smart villages\n", "    null: QA test\n", 1)
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/2022.yaml": text}))
    assert codes(diagnose(root)) == [("missing-key", 2), ("unknown-key", 3)]


def test_a_merge_key_at_the_top_or_in_the_taxonomy_is_one_error(tmp_path: Path) -> None:
    """A top-level ``<<`` is not also ``unknown section '<<'``, and a taxonomy made by a
    merge is not also ``taxonomy-missing`` (nor unknown-region for every agreement)."""
    root = write_ledger(
        tmp_path / "l",
        base_files(
            **{
                "extra.yaml": "<<: {partners: []}\n",
                "taxonomy.yaml": "taxonomy:\n  <<: {regions: {values: [africa]}}\n",
            }
        ),
    )
    assert codes(diagnose(root)) == [("yaml-tag", 1), ("yaml-tag", 2)]
