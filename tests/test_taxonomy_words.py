"""The taxonomy's report words (docs/ledger-format.md, taxonomy): the membership footnote,
membership groups and each action plan's word for its priorities — read, checked with
``taxonomy-group``, and used by the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmxl.pipeline.load import check, figures
from rmxl.render.report.content import Paragraph, build_report

from conftest import TAXONOMY, base_files, codes, diagnose, write_ledger

MEMBERSHIP = """\
  membership:
    values:
      - {code: ADMIN, label: ITU ADMIN}
      - {code: SIO, label: ITU-D Sector Member (SIO)}
"""


def _taxonomy(extra: str) -> str:
    assert MEMBERSHIP in TAXONOMY
    return TAXONOMY.replace(MEMBERSHIP, "  membership:\n" + extra + MEMBERSHIP.split("\n", 1)[1])


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        ("    groups:\n      - {label: Members, codes: [SIO, ROA]}\n", 21),  # ROA unknown
        ("    groups:\n      - {label: Members, codes: [SIO]}\n", 21),  # a group of one
        (
            "    groups:\n      - {label: A, codes: [SIO, ADMIN]}\n"
            "      - {label: B, codes: [ADMIN, SIO]}\n",
            22,
        ),  # a code in two groups (both reported on the second group's line)
    ],
)
def test_bad_groups_are_taxonomy_group(tmp_path: Path, extra: str, line: int) -> None:
    root = write_ledger(tmp_path / "l", base_files(**{"taxonomy.yaml": _taxonomy(extra)}))
    found = codes(diagnose(root))
    assert found and {c for c, _ in found} == {"taxonomy-group"} and found[0][1] == line


def test_words_are_read_into_the_taxonomy(tmp_path: Path) -> None:
    extra = (
        '    footnote: "ADMIN: Administrations"\n'
        "    groups:\n      - {label: Members, codes: [ADMIN, SIO]}\n"
    )
    text = _taxonomy(extra).replace(
        "      from: 2023-01-01\n",
        "      from: 2023-01-01\n      priorities_term: ITU-D priorities\n",
    )
    root = write_ledger(tmp_path / "l", base_files(**{"taxonomy.yaml": text}))
    ledger, diags = check(root)
    assert codes(diags) == [] and ledger is not None
    tax = ledger.taxonomy
    assert tax.membership.footnote == "ADMIN: Administrations"
    assert [(g.label, g.codes) for g in tax.membership.groups] == [("Members", ("ADMIN", "SIO"))]
    assert [p.priorities_term for p in tax.action_plans] == [
        "thematic priorities",
        "ITU-D priorities",
    ]


def test_without_the_words_the_report_is_as_before(small: Path) -> None:
    report = build_report(figures(small), ["2022"])
    said = [b for b in report.blocks if isinstance(b, Paragraph)]
    member = next(p for p in said if p.text.startswith("Amongst these partners"))
    assert member.note == "" and "Sector Member (SIO)" in member.text
    assert any(p.text.startswith("The thematic priorities of the Buenos Aires") for p in said)


def test_the_words_survive_the_cache(cache_dir: Path) -> None:
    """A ledger loaded a second time comes from the cache (rmxl.pipeline.codec): its
    footnote, groups and priorities_term are the ledger's, not lost or defaulted."""
    from rmxl.pipeline.load import load

    from conftest import DEMO

    first = load(DEMO).taxonomy
    assert any(cache_dir.rglob("*")), "the cache was not written"
    again = load(DEMO).taxonomy
    assert again == first
    assert again.membership.groups[0].codes == ("SIO", "ROA")
    assert again.action_plans[-1].priorities_term == "ITU-D priorities"
