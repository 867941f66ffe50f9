"""The ledger's identity named once (rmxl/read/identity.py): RM_INFO, the workbook's
Provenance sheet and build time agree on the last commit that changed the ledger."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import openpyxl
import pytest

from rmxl.pipeline import load as loader
from rmxl.query.functions import rm_info
from rmxl.read.identity import build_time, commit_label
from rmxl.render.workbook.build import build_workbook

from conftest import base_files, write_ledger

ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def git(root: Path, *args: str, when: int = 1_700_000_000) -> str:
    stamp = {"GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000"}
    done = subprocess.run(
        ["git", *args],
        cwd=root,
        env={**os.environ, **ENV, **stamp},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def provenance(root: Path, tmp_path: Path) -> dict[str, object]:
    out = build_workbook(
        loader.figures(root / "ledger"), tmp_path / "rm.xlsx", ["2022"], environ={}
    )
    ws = openpyxl.load_workbook(out)["Provenance"]
    return {str(r[0]).lower(): r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose first commit holds the ledger and whose second commit changes
    only a file outside it."""
    root = tmp_path / "repo"
    write_ledger(root / "ledger", base_files())
    (root / "README.md").write_text("ledger\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "ledger")
    (root / "README.md").write_text("ledger, explained\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "outside the ledger", when=1_700_086_400)
    return root


def test_rm_info_and_provenance_name_the_last_commit_that_changed_the_ledger(
    repo: Path, tmp_path: Path
) -> None:
    first = git(repo, "rev-parse", "--short=12", "HEAD~1")
    head = git(repo, "rev-parse", "--short=12", "HEAD")
    fig = loader.figures(repo / "ledger")
    assert rm_info(fig, "commit") == first != head  # HEAD is the commit outside the ledger
    assert provenance(repo, tmp_path)["ledger commit"] == rm_info(fig, "commit")
    when, source = build_time(repo / "ledger", {})
    assert when == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)  # @1700000000
    assert source == "last git commit of the ledger"


def test_uncommitted_changes_are_named_the_same_everywhere(repo: Path, tmp_path: Path) -> None:
    first = git(repo, "rev-parse", "--short=12", "HEAD~1")
    rates = repo / "ledger" / "rates.yaml"
    rates.write_text(rates.read_text(encoding="utf-8") + "# checked\n", encoding="utf-8")
    fig = loader.figures(repo / "ledger")
    assert rm_info(fig, "commit") == f"{first} with uncommitted changes"
    assert provenance(repo, tmp_path)["ledger commit"] == rm_info(fig, "commit")


def test_outside_git_there_is_no_commit(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", base_files())
    assert commit_label(root) == ""
    assert rm_info(loader.figures(root), "commit") == ""


def test_the_report_source_line_names_the_same_commit(repo: Path) -> None:
    from rmxl.render.report.content import source_line

    fig = loader.figures(repo / "ledger")
    assert f"ledger at commit {rm_info(fig, 'commit')}," in source_line(fig)
