"""The ledger's files, defined once (rmxl/read/files.py ``list_ledger``; spec §6 "Files"):
suffix in any case, links to files and folders followed, a file reached twice read once,
a link loop an error naming the link, hidden names skipped — the same for reading and for
the Excel functions' freshness signature."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rmxl.pipeline import load as loader
from rmxl.pipeline.sessions import Sessions, signature
from rmxl.read.files import is_ledger_name, ledger_paths

from conftest import base_files, codes, diagnose, write_ledger

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links")

MORE = """\
agreements:
  - id: B-1
    title: Extra
    signed: 2022-05-02
    partners: [acme]
    regions: [africa]
    priorities: [cybersecurity]
    contributions:
      - {by: acme, amount: 1000, currency: USD}
"""


def agreements(root: Path) -> int:
    return len(loader.load(root).agreements)


def test_an_upper_case_suffix_is_read(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", base_files())
    before = agreements(root)
    (root / "agreements" / "y.YAML").write_text(MORE, encoding="utf-8")
    assert agreements(root) == before + 1
    assert is_ledger_name("agreements/y.YAML") and is_ledger_name("x.Yml")
    assert not is_ledger_name(".hidden/x.yaml") and not is_ledger_name("x.yaml.bak")


def test_a_linked_folder_under_agreements_is_read(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", base_files())
    before = agreements(root)
    outside = write_ledger(tmp_path / "elsewhere", {"more.yaml": MORE})
    (root / "agreements" / "linked").symlink_to(outside, target_is_directory=True)
    assert agreements(root) == before + 1
    assert root / "agreements" / "linked" / "more.yaml" in ledger_paths(root)


def test_a_file_reached_twice_is_read_once(tmp_path: Path) -> None:
    """A second path to the same file (a link) is not a second copy of its agreements:
    no duplicate-id error, no double count."""
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/b.yaml": MORE}))
    before = agreements(root)
    (root / "agreements" / "z-alias.yaml").symlink_to(root / "agreements" / "b.yaml")
    (root / "mirror").symlink_to(root / "agreements", target_is_directory=True)
    assert codes(diagnose(root)) == []
    assert agreements(root) == before


def test_a_link_loop_is_an_error_naming_the_link(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", base_files())
    (root / "agreements" / "back").symlink_to(root, target_is_directory=True)
    (diag,) = [d for d in diagnose(root) if d.severity == "error"]
    assert diag.code == "link-loop"
    assert diag.source is not None and diag.source.file == f"{root.as_posix()}/agreements/back"


def test_the_excel_functions_see_the_same_files(tmp_path: Path) -> None:
    """A new agreements file with an upper-case suffix, or in a linked folder, changes
    the freshness signature, so an open workbook recomputes (before, the signature
    followed folder links but not upper-case names, and reading did the opposite)."""
    root = write_ledger(tmp_path / "l", base_files())
    sessions = Sessions(interval=0)
    n = len(sessions.figures(root).compiled.ledger.agreements)
    (root / "agreements" / "y.YAML").write_text(MORE, encoding="utf-8")
    assert len(sessions.figures(root).compiled.ledger.agreements) == n + 1
    outside = write_ledger(tmp_path / "elsewhere", {"m.yaml": MORE.replace("B-1", "B-2")})
    (root / "agreements" / "linked").symlink_to(outside, target_is_directory=True)
    sig = signature(root)
    assert [s[0] for s in sig] == [p.relative_to(root).as_posix() for p in ledger_paths(root)]
    assert len(sessions.figures(root).compiled.ledger.agreements) == n + 2


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_an_entry_named_yaml_that_is_not_a_regular_file_is_an_error(
    tmp_path: Path, kind: str
) -> None:
    """A FIFO, a link to a device or a folder named ``f.yaml`` is file-unreadable at its
    path (before, it was skipped and the ledger said clean; a FIFO is never opened, so
    the check does not hang)."""
    root = write_ledger(tmp_path / "l", base_files())
    odd = root / "agreements" / "f.yaml"
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "device":
        odd.symlink_to("/dev/zero")
    else:
        odd.mkdir()
    what = {"fifo": "a FIFO", "device": "a device", "folder": "a folder"}[kind]
    (diag,) = [d for d in diagnose(root) if d.severity == "error"]
    assert diag.code == "file-unreadable"
    assert diag.source is not None and diag.source.file == f"{root.as_posix()}/agreements/f.yaml"
    read = "the files in it are read" if kind == "folder" else "it is not read"
    assert diag.message == f"{diag.source.file!r} is {what}, not a regular file; {read}"
    assert ("agreements/f.yaml", -1, -1, -1) in signature(root)
