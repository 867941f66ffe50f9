"""One inline-YAML test per validation rule (spec §1–2), asserting (code, line)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rmxl.pipeline.load import check

from conftest import AGREEMENTS, base_files, codes, diagnose, write_ledger

HEAD = "agreements:\n"


def one(tmp_path: Path, agreement: str, **files: str) -> list[tuple[str, int]]:
    """Validate the base ledger with agreements/2022.yaml replaced by ``agreement``."""
    root = write_ledger(
        tmp_path / "l", base_files(**{"agreements/2022.yaml": HEAD + agreement}, **files)
    )
    return codes(diagnose(root))


GOOD = """\
  - id: B-1
    title: Pilot
    signed: 2022-03-14
    partners: [ch-fdfa, acme, uni-x, no-mfa]
    regions: [africa]
    priorities: [digital-inclusion]
    contributions:
      - {by: ch-fdfa, amount: 1000, currency: CHF}
"""


def test_base_ledger_is_clean(small: Path) -> None:
    ledger, diags = check(small, today=dt.date(2026, 1, 1))
    assert codes(diags) == []
    assert ledger is not None and [a.id for a in ledger.agreements] == ["A-1", "A-2", "A-3", "A-4"]


def test_good_agreement_has_no_error(tmp_path: Path) -> None:
    assert one(tmp_path, GOOD) == []


@pytest.mark.parametrize(
    ("old", "new", "code", "line"),
    [
        ("    title: Pilot\n", "", "missing-key", 2),
        ("    title: Pilot\n", "    title: Pilot\n    partnrs: [acme]\n", "unknown-key", 4),
        ("    signed: 2022-03-14\n", "    signed: 2022-02-30\n", "bad-date", 4),
        ("    signed: 2022-03-14\n", "    signed: 14/03/2022\n", "bad-date", 4),
        ("    signed: 2022-03-14\n", "    signed: 2022\n", "wrong-type", 4),
        ("    title: Pilot\n", "    title: [a, b]\n", "wrong-type", 3),
        ("    partners: [ch-fdfa, acme, uni-x, no-mfa]\n", "    partners: []\n", "empty-list", 5),
        (
            "[ch-fdfa, acme, uni-x, no-mfa]",
            "[ch-fdfa, acme, uni-x, no-mfa, ghost]",
            "unknown-partner",
            5,
        ),
        (
            "[ch-fdfa, acme, uni-x, no-mfa]",
            "[ch-fdfa, acme, uni-x, no-mfa, acme]",
            "duplicate-reference",
            5,
        ),
        ("regions: [africa]", "regions: [Afrika]", "unknown-region", 6),
        (
            "priorities: [digital-inclusion]",
            "priorities: [digital-transformation]",
            "priority-wrong-plan",
            7,
        ),
        ("priorities: [digital-inclusion]", "priorities: [space]", "unknown-priority", 7),
        ("currency: CHF", "currency: XXY", "unknown-currency", 9),
        ("currency: CHF", "currency: EUR", "rate-missing", 9),
        ("amount: 1000,", "amount: -5,", "bad-amount", 9),
        ("amount: 1000,", "amount: 0,", "bad-amount", 9),
        ("amount: 1000,", "amount: .nan,", "bad-amount", 9),
        ("amount: 1000,", "amount: 1e400,", "bad-amount", 9),
        ("amount: 1000,", 'amount: "1,000",', "bad-amount", 9),
        ("{by: ch-fdfa,", "{by: ghost,", "contributor-not-partner", 9),
        ("currency: CHF}", "currency: CHF, note: x}", "unknown-key", 9),
    ],
)
def test_agreement_rule(tmp_path: Path, old: str, new: str, code: str, line: int) -> None:
    assert old in GOOD
    assert one(tmp_path, GOOD.replace(old, new, 1)) == [(code, line)]


def test_no_action_plan_in_force(tmp_path: Path) -> None:
    text = GOOD.replace("2022-03-14", "2017-03-14").replace("CHF", "USD")
    assert one(tmp_path, text) == [("no-action-plan", 4)]


def test_x_keys_are_allowed(tmp_path: Path) -> None:
    assert one(tmp_path, GOOD + "    x_owner: Ana\n") == []


def test_rate_on_or_before_signed_date(tmp_path: Path) -> None:
    # CHF rates start 2022-01-01: signed before that has no rate
    text = GOOD.replace("2022-03-14", "2018-03-14")
    assert one(tmp_path, text) == [("rate-missing", 9)]


def test_itu_contribution_and_usd_need_no_rate(tmp_path: Path) -> None:
    text = GOOD + "      - {by: ITU, amount: 50000, currency: USD}\n"
    assert one(tmp_path, text) == []


def test_duplicate_agreement_id_across_files_names_both(tmp_path: Path) -> None:
    root = write_ledger(
        tmp_path / "l",
        base_files(
            **{
                "agreements/2023.yaml": HEAD
                + """\
  - id: A-1
    title: Again
    signed: 2022-05-01
    partners: [acme]
    regions: [africa]
    priorities: [cybersecurity]
"""
            }
        ),
    )
    diags = [d for d in diagnose(root) if d.severity == "error"]
    assert codes(diags) == [("duplicate-id", 2)]
    assert "2022.yaml:2" in diags[0].message and diags[0].source.file.endswith("2023.yaml")


def test_unknown_section(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", base_files(**{"extra.yaml": "partner:\n  - id: x\n"}))
    diags = [d for d in diagnose(root) if d.severity == "error"]
    assert codes(diags) == [("unknown-section", 1)]
    assert diags[0].hint == "did you mean 'partners'?"


def test_norway_stays_a_string(small: Path) -> None:
    ledger, _ = check(small)
    assert ledger is not None and ledger.partners["no-mfa"].country == "NO"


@pytest.mark.parametrize(
    ("partner", "code"),
    [
        ("{id: Bad_Id, name: X, type: government}", "bad-id"),
        ("{id: p1, name: X, type: goverment}", "unknown-partner-type"),
        ("{id: p1, name: X, type: government, membership: SECTOR}", "unknown-membership"),
        ("{id: p1, name: X, type: government, country: XX}", "unknown-country"),
        ("{id: ch-fdfa, name: X, type: government}", "duplicate-id"),
        ("{id: p1, type: government}", "missing-key"),
    ],
)
def test_partner_rule(tmp_path: Path, partner: str, code: str) -> None:
    from conftest import PARTNERS

    root = write_ledger(
        tmp_path / "l", base_files(**{"partners.yaml": PARTNERS + f"  - {partner}\n"})
    )
    assert codes(diagnose(root)) == [(code, 6)]


def test_partner_type_hint(tmp_path: Path) -> None:
    from conftest import PARTNERS

    root = write_ledger(
        tmp_path / "l",
        base_files(**{"partners.yaml": PARTNERS + "  - {id: p1, name: X, type: goverment}\n"}),
    )
    diags = [d for d in diagnose(root) if d.severity == "error"]
    assert diags[0].hint == "did you mean 'government'?"


def test_rates_same_currency_and_date_twice(tmp_path: Path) -> None:
    root = write_ledger(
        tmp_path / "l", base_files(**{"rates2.yaml": "rates:\n  CHF:\n    2022-01-01: 0.97\n"})
    )
    assert codes(diagnose(root)) == [("duplicate-id", 3)]


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("rates:\n  CHF:\n    2022-07-01: 0\n", "bad-rate", 3),
        ("rates:\n  CHF:\n    2022-07-01: abc\n", "bad-rate", 3),
        ("rates:\n  Swiss:\n    2022-07-01: 0.9\n", "unknown-currency", 2),
        ("rates:\n  USD:\n    2022-07-01: 1\n", "unknown-currency", 2),
        ("rates:\n  CHF:\n    July: 0.9\n", "bad-date", 3),
    ],
)
def test_rate_rule(tmp_path: Path, text: str, code: str, line: int) -> None:
    root = write_ledger(tmp_path / "l", base_files(**{"rates2.yaml": text}))
    assert codes(diagnose(root)) == [(code, line)]


def test_overlapping_action_plans(tmp_path: Path) -> None:
    from conftest import TAXONOMY

    text = TAXONOMY.replace("      from: 2023-01-01\n", "      from: 2022-06-01\n")
    root = write_ledger(tmp_path / "l", base_files(**{"taxonomy.yaml": text}))
    assert ("plan-overlap", 34) in codes(diagnose(root))


def test_taxonomy_code_twice(tmp_path: Path) -> None:
    from conftest import TAXONOMY

    text = TAXONOMY.replace(
        "      - {code: cis, label: CIS}\n",
        "      - {code: cis, label: CIS}\n      - {code: cis, label: C}\n",
    )
    root = write_ledger(tmp_path / "l", base_files(**{"taxonomy.yaml": text}))
    assert codes(diagnose(root)) == [("duplicate-id", 10)]


def test_missing_taxonomy(tmp_path: Path) -> None:
    files = base_files()
    del files["taxonomy.yaml"]
    root = write_ledger(tmp_path / "l", files)
    assert ("taxonomy-missing", 0) in codes(diagnose(root))


def test_all_problems_at_once(tmp_path: Path) -> None:
    bad = AGREEMENTS.replace("regions: [africa]", "regions: [afrika]").replace(
        "currency: CHF}", "currency: CHX}"
    )
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/2022.yaml": bad}))
    found = codes(diagnose(root))
    assert ("unknown-region", 6) in found and ("unknown-currency", 9) in found
    assert ("unknown-currency", 32) in found


def test_warnings(tmp_path: Path) -> None:
    from conftest import PARTNERS

    text = (
        GOOD
        + GOOD.replace("B-1", "B-2")
        + GOOD.replace("B-1", "B-3").replace("2022-03-14", "2022-04-10").replace("1000", "2000")
    )
    root = write_ledger(
        tmp_path / "l",
        base_files(
            **{
                "agreements/2022.yaml": HEAD + text,
                "partners.yaml": PARTNERS + "  - {id: idle, name: Idle, type: other}\n",
            }
        ),
    )
    _, diags = check(root, today=dt.date(2022, 4, 1))
    warn = codes(diags, "warning")
    assert ("possible-duplicate", 17) in warn  # B-2 repeats B-1's partner, date, amount
    assert ("future-date", 18) in warn  # B-3 signed 2022-04-10 after "today"
    assert ("rate-stale", 9) in warn  # CHF rate of 2022-01-01 is 72 days old on 03-14
    assert ("unused-partner", 6) in warn
    assert codes(diags) == []


def test_partner_with_an_error_is_still_defined_for_agreements(tmp_path: Path) -> None:
    """One mistake, one error: a bad partner type is not also an 'unknown partner'."""
    from conftest import PARTNERS

    root = write_ledger(
        tmp_path / "l",
        base_files(
            **{
                "partners.yaml": PARTNERS.replace(
                    "type: government, membership: ADMIN", "type: goverment, membership: ADMIN"
                )
            }
        ),
    )
    assert codes(diagnose(root)) == [("unknown-partner-type", 2)]


def test_an_agreement_dropped_by_an_error_still_uses_its_partners(tmp_path: Path) -> None:
    bad = AGREEMENTS.replace("regions: [africa]", "regions: [afrika]")
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/2022.yaml": bad}))
    found = codes(diagnose(root), None)
    assert codes(diagnose(root)) == [("unknown-region", 6)]
    assert not [c for c in found if c[0] == "unused-partner"]  # A-1 names ch-fdfa


def test_a_file_that_does_not_parse_gives_no_unused_partner_warnings(tmp_path: Path) -> None:
    bad = AGREEMENTS.replace("    title: Smart villages\n", "\ttitle: Smart villages\n")
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/2022.yaml": bad}))
    assert [c for c, _ in codes(diagnose(root), None)] == ["yaml-syntax"]


def test_a_label_where_a_code_belongs_suggests_the_code(tmp_path: Path) -> None:
    root = write_ledger(
        tmp_path / "l",
        base_files(
            **{
                "agreements/2022.yaml": HEAD
                + GOOD.replace("regions: [africa]", "regions: [Arab States]")
            }
        ),
    )
    (d,) = [d for d in diagnose(root) if d.severity == "error"]
    assert d.hint == "did you mean 'arab-states'?"


def test_currency_hint_prefers_the_ledgers_currencies(tmp_path: Path) -> None:
    root = write_ledger(
        tmp_path / "l",
        base_files(
            **{"agreements/2022.yaml": HEAD + GOOD.replace("currency: CHF", "currency: CHX")}
        ),
    )
    (d,) = [d for d in diagnose(root) if d.severity == "error"]
    assert (d.code, d.hint) == ("unknown-currency", "did you mean 'CHF'?")


def test_thousands_separator_in_a_flow_mapping_gets_a_hint(tmp_path: Path) -> None:
    root = write_ledger(
        tmp_path / "l",
        base_files(
            **{"agreements/2022.yaml": HEAD + GOOD.replace("amount: 1000,", "amount: 1,000,")}
        ),
    )
    (d,) = [d for d in diagnose(root) if d.severity == "error"]
    assert (d.code, d.source.line) == ("unknown-key", 9) and "thousands separators" in d.hint


def test_hidden_files_are_not_part_of_the_ledger(tmp_path: Path) -> None:
    root = write_ledger(
        tmp_path / "l", base_files(**{".backup.yaml": "junk: [", ".git/x.yaml": "nope: 1\n"})
    )
    (root / "._2022.yaml").write_bytes(b"\x00\x05\x16\x07\xff")  # a macOS resource fork
    assert codes(diagnose(root)) == []


def test_rate_message_names_currency_and_date_once(tmp_path: Path) -> None:
    root = write_ledger(
        tmp_path / "l", base_files(**{"rates2.yaml": "rates:\n  CHF:\n    2022-07-01: -1\n"})
    )
    (d,) = [d for d in diagnose(root) if d.severity == "error"]
    assert d.message == "rates for CHF: 2022-07-01 -1 must be greater than 0"
