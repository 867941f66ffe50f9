"""`rmxl diff`: the ledger at two git revisions, compared record by record, with the effect
on each affected year's figures (taken from Figures)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from rmxl.cli import main
from rmxl.diagnostics import CATALOGUE
from rmxl.pipeline import load as loader
from rmxl.tools.diff import DiffError, compare, diff_revisions
from rmxl.tools.diff_render import markdown, text

from conftest import AGREEMENTS, RATES, base_files, write_ledger

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NEW_AGREEMENT = """\
  - id: A-5
    title: New grant
    signed: 2022-11-02
    partners: [no-mfa]
    regions: [africa]
    priorities: [digital-inclusion]
    contributions:
      - {by: no-mfa, amount: 250000, currency: USD}
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose first commit holds the small test ledger in ledger/."""
    root = tmp_path / "repo"
    write_ledger(root / "ledger", base_files())
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "ledger")
    return root


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / "ledger" / rel
    text_ = path.read_text(encoding="utf-8")
    assert old in text_
    path.write_text(text_.replace(old, new, 1), encoding="utf-8")


def test_no_change(repo: Path) -> None:
    d = diff_revisions(repo / "ledger")
    assert d.empty() and d.effects == []
    assert "No change" in text(d)


def test_added_removed_changed_agreements_and_the_figures(repo: Path) -> None:
    edit(repo, "agreements/2022.yaml", "  - id: A-4\n", NEW_AGREEMENT + "  - id: A-4\n")
    edit(
        repo,
        "agreements/2022.yaml",
        "amount: 100000, currency: USD",
        "amount: 150000, currency: USD",
    )
    d = diff_revisions(repo / "ledger")
    assert [(c.kind, c.id) for c in d.agreements] == [("added", "A-5"), ("changed", "A-2")]
    assert d.agreements[1].fields == (("contributions", "acme 100000 USD", "acme 150000 USD"),)
    [effect] = d.effects  # only 2022 is touched
    totals = {m: (a, b) for m, a, b in effect.totals}
    # 2022 of the small ledger: A-1 (CHF 2,400,000 at 0.96 = USD 2,500,000 + ITU 50,000),
    # A-2 USD 100,000 → 150,000, A-3 none; plus A-5 USD 250,000.
    assert totals["agreements"] == (3, 4)
    assert totals["funds"] == (2_650_000.0, 2_950_000.0)
    assert totals["partner_funds"] == (2_600_000.0, 2_900_000.0)
    assert totals["itu_funds"] == (50_000.0, 50_000.0)
    moved = {(s.dimension, s.measure, s.bucket): (s.old, s.new) for s in effect.shares}
    # Africa holds A-1 and now A-5: 2,550,000 / 2,650,000 → 2,800,000 / 2,950,000
    assert moved[("region", "funds", "Africa")] == pytest.approx(
        (2_550_000 / 2_650_000, 2_800_000 / 2_950_000)
    )


def test_figures_come_from_figures(repo: Path) -> None:
    edit(repo, "agreements/2022.yaml", "  - id: A-4\n", NEW_AGREEMENT + "  - id: A-4\n")
    d = diff_revisions(repo / "ledger")
    after = loader.figures(repo / "ledger")
    totals = {m: b for m, _, b in d.effects[0].totals}
    assert totals["funds"] == after.total(2022, "funds")


def test_a_moved_signed_date_touches_both_years(repo: Path) -> None:
    edit(repo, "agreements/2022.yaml", "signed: 2023-02-01", "signed: 2022-12-01")
    edit(repo, "agreements/2022.yaml", "[affordable-connectivity]", "[cybersecurity]")
    d = diff_revisions(repo / "ledger")
    assert [c.fields for c in d.agreements] == [
        (
            ("signed", "2023-02-01", "2022-12-01"),
            ("priorities", "affordable-connectivity", "cybersecurity"),
        )
    ]
    assert [e.period for e in d.effects] == ["2022", "2023"]
    totals_2023 = {m: (a, b) for m, a, b in d.effects[1].totals}
    assert totals_2023["agreements"] == (1, 0)


def test_partner_and_rate_changes(repo: Path) -> None:
    edit(
        repo, "partners.yaml", "name: Acme Telecom, type: private-sector", "name: Acme, type: other"
    )
    edit(repo, "rates.yaml", "2022-06-01: 0.8", "2022-06-01: 0.9")
    d = diff_revisions(repo / "ledger")
    assert [(c.id, c.fields) for c in d.partners] == [
        ("acme", (("name", "Acme Telecom", "Acme"), ("type", "private-sector", "other")))
    ]
    assert [(c.id, c.fields) for c in d.rates] == [("CHF 2022-06-01", (("rate", "0.8", "0.9"),))]
    # acme's agreements are in 2022; the June CHF rate applies to A-4 (2023-02-01, CHF 8,000)
    assert [e.period for e in d.effects] == ["2022", "2023"]
    funds_2023 = next(t for t in d.effects[1].totals if t[0] == "funds")
    assert funds_2023[1:] == (10_000.0, round(8000 / 0.9, 2))


def test_two_revisions_and_removed_agreement(repo: Path) -> None:
    edit(repo, "agreements/2022.yaml", AGREEMENTS[AGREEMENTS.index("  - id: A-4") :], "")
    git(repo, "commit", "-q", "-am", "drop A-4")
    d = diff_revisions(repo / "ledger", "HEAD~1", "HEAD")
    assert [(c.kind, c.id) for c in d.agreements] == [("removed", "A-4")]
    assert d.old == "HEAD~1" and d.new == "HEAD"


def test_markdown_for_a_pull_request(repo: Path) -> None:
    edit(repo, "agreements/2022.yaml", "  - id: A-4\n", NEW_AGREEMENT + "  - id: A-4\n")
    md = markdown(diff_revisions(repo / "ledger"))
    assert md.startswith("### Ledger changes from HEAD to working tree\n")
    assert "| + | `A-5` | 2022-11-02 New grant |" in md
    assert "| funds | 2,650,000.00 | 2,900,000.00 | +250,000.00 |" in md


def test_cli_text_and_markdown(repo: Path) -> None:
    edit(repo, "agreements/2022.yaml", "  - id: A-4\n", NEW_AGREEMENT + "  - id: A-4\n")
    runner = CliRunner()
    out = runner.invoke(main, ["diff", "--ledger", str(repo / "ledger")])
    assert out.exit_code == 0 and "+ A-5  2022-11-02 New grant" in out.stdout
    md = runner.invoke(main, ["diff", "--ledger", str(repo / "ledger"), "--format", "markdown"])
    assert md.exit_code == 0 and md.stdout.startswith("### ")


def test_invalid_side_is_a_clear_error(repo: Path) -> None:
    edit(repo, "rates.yaml", "2022-01-01: 0.96", "2022-01-01: -1")
    result = CliRunner().invoke(main, ["diff", "--ledger", str(repo / "ledger")])
    assert result.exit_code == 1
    assert "the ledger at working tree is invalid" in result.stderr
    assert "(1 error(s)); first: " in result.stderr and "Traceback" not in result.stderr


def test_errors_unknown_revision_no_repo_no_ledger(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(DiffError, match="unknown revision 'nope'"):
        diff_revisions(repo / "ledger", "nope")
    outside = write_ledger(tmp_path / "plain" / "ledger", base_files())
    with pytest.raises(DiffError, match="not in a git repository"):
        diff_revisions(outside)
    (repo / "other").mkdir()
    with pytest.raises(DiffError, match="no ledger 'other' at HEAD"):
        diff_revisions(repo / "other")


def test_compare_without_git(tmp_path: Path) -> None:
    a = loader.load(write_ledger(tmp_path / "a", base_files()))
    rates = RATES + "  EUR:\n    2022-01-01: 0.9\n"
    b = loader.load(write_ledger(tmp_path / "b", base_files(**{"rates.yaml": rates})))
    d = compare(a, b)
    assert [(c.kind, c.id) for c in d.rates] == [("added", "EUR 2022-01-01")]
    assert d.effects == []  # no contribution in EUR: no year is touched


def test_markdown_cells_are_inert() -> None:
    from rmxl.tools.diff_render import _md_cell

    assert _md_cell("Geo | mapping <b>bold</b> @team\nx") == (
        "Geo \\| mapping &lt;b&gt;bold&lt;/b&gt; &#64;team x"
    )


def test_markdown_field_changes_are_escaped_once() -> None:
    from rmxl.tools.diff import Change, LedgerDiff
    from rmxl.tools.diff_render import markdown

    change = Change(
        "changed",
        "A-1",
        "title",
        (("title", "R&D <lab>", "R&D lab"), ("signed", "2022-01-01", "2022-02-01")),
    )
    d = LedgerDiff("HEAD", "working tree", [change], [], [], [])
    row = next(line for line in markdown(d).splitlines() if "`A-1`" in line)
    assert "title: R&amp;D &lt;lab&gt; → R&amp;D lab<br>signed: 2022-01-01 → 2022-02-01" in row


def test_the_old_side_is_what_git_stores_whatever_the_attributes(repo: Path) -> None:
    """Issue 10: `git archive` applied export-ignore, so a file marked so was missing
    from the old side and its agreements showed as added; the stored blobs are read."""
    (repo / ".gitattributes").write_text("ledger/agreements/** export-ignore\n")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "attributes")
    d = diff_revisions(repo / "ledger")
    assert d.empty() and d.agreements == []


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_committed_link_is_followed_on_both_sides(repo: Path) -> None:
    """Issue 10: a committed link crashed diff or made HEAD 'invalid'. A linked file and
    a linked folder elsewhere in the repository are read at the revision as git stores
    them: no change, then a change made through the link is seen."""
    shared = repo / "shared"
    shared.mkdir()
    (shared / "more.yaml").write_text("agreements:\n" + NEW_AGREEMENT, encoding="utf-8")
    (repo / "ledger" / "agreements" / "more.yaml").symlink_to("../../shared/more.yaml")
    (repo / "ledger" / "linked").symlink_to("../shared", target_is_directory=True)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "linked agreements")
    assert diff_revisions(repo / "ledger").empty()
    text_ = (shared / "more.yaml").read_text(encoding="utf-8")
    (shared / "more.yaml").write_text(text_.replace("250000", "260000"), encoding="utf-8")
    d = diff_revisions(repo / "ledger")
    assert [(c.kind, c.id) for c in d.agreements] == [("changed", "A-5")]


def test_a_committed_link_out_of_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    (repo / "ledger" / "out.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "link out")
    with pytest.raises(DiffError, match="links outside the repository"):
        diff_revisions(repo / "ledger")


def test_a_relabelled_region_is_a_taxonomy_change(tmp_path: Path) -> None:
    """Issue 10: relabelling Africa said "No change"; it changes every breakdown row."""
    files = base_files()
    a = loader.load(write_ledger(tmp_path / "a", files))
    tax = files["taxonomy.yaml"].replace("label: Africa}", "label: Afrique}")
    b = loader.load(write_ledger(tmp_path / "b", {**files, "taxonomy.yaml": tax}))
    d = compare(a, b)
    assert not d.empty()
    assert [(c.kind, c.id, c.fields) for c in d.taxonomy] == [
        ("changed", "region africa", (("label", "Africa", "Afrique"),))
    ]
    assert "Taxonomy (codes and labels): 1 changed" in text(d)


def test_a_date_moved_within_its_year_shows_the_year_to_date_span(tmp_path: Path) -> None:
    """Issue 10: moving an agreement inside its year leaves the calendar year as it was
    but changes the same-months span the workbook compares (2022-01..2022-02 here, the
    months of 2023 so far); the diff names that span."""
    files = base_files()
    a = loader.load(write_ledger(tmp_path / "a", files))
    moved = files["agreements/2022.yaml"].replace("signed: 2022-03-14", "signed: 2022-02-14")
    b = loader.load(write_ledger(tmp_path / "b", {**files, "agreements/2022.yaml": moved}))
    d = compare(a, b)
    periods = [e.period for e in d.effects]
    assert periods[0] == "2022" and not d.effects[0].moved()
    span = {e.period: e for e in d.effects}["2022-01..2022-02"]
    assert dict((m, (x, y)) for m, x, y in span.totals)["agreements"] == (0, 1)


def test_each_diff_error_has_its_code_and_a_hint(repo: Path, tmp_path: Path) -> None:
    # before: "error: unknown revision 'nope'", no code, no hint
    args = ["diff", "--ledger", str(repo / "ledger")]
    r = CliRunner().invoke(main, [*args, "nope"])
    assert r.exit_code == 1
    assert r.stderr == (
        "error[diff-revision]: unknown revision 'nope' (give a commit, branch or tag; "
        "git log --oneline lists the commits)\n"
    )
    outside = write_ledger(tmp_path / "plain" / "ledger", base_files())
    r = CliRunner().invoke(main, ["diff", "--ledger", str(outside)])
    assert r.exit_code == 1 and r.stderr.startswith("error[diff-not-git]: "), r.stderr
    edit(repo, "rates.yaml", "2022-01-01: 0.96", "2022-01-01: -1")
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1 and r.stderr.startswith("error[diff-invalid]: the ledger at "), r.stderr
    for code in ("diff-revision", "diff-not-git", "diff-no-ledger", "diff-invalid", "diff-git"):
        assert code in CATALOGUE
