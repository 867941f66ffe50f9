"""Hostile input: whatever the files hold, validation answers with (code, line)
diagnostics and the CLI exits 1 without a traceback (issue 4, item 5)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rmxl.cli import main
from rmxl.read.compose import MAX_ALIAS_VALUES, MAX_DEPTH
from rmxl.read.files import parse_text

from conftest import AGREEMENTS, TAXONOMY, base_files, codes, diagnose, write_ledger
from conftest import ONE_AGREEMENT as HEAD

A = "agreements/2022.yaml"


def with_amount(amount: str, currency: str = "USD") -> dict[str, str]:
    """An agreement whose one contribution (line 9) has this amount and currency."""
    return {
        A: HEAD + f"    contributions:\n      - {{by: ch-fdfa, amount: {amount}, "
        f"currency: {currency}}}\n"
    }


def with_signed(signed: str) -> dict[str, str]:
    return {A: HEAD.replace("signed: 2022-03-14", f"signed: {signed}")}


BOMB = "".join(
    f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]\n"
    for i in range(1, 10)
)

# name -> (files overriding the small ledger, expected (code, line) among the errors)
CASES: dict[str, tuple[dict[str, str], tuple[str, int]]] = {
    "syntax error": ({A: "agreements:\n  - id: [A-1\n    title: x\n"}, ("yaml-syntax", 3)),
    "tab in indentation": ({A: "agreements:\n  - id: A-1\n\ttitle: x\n"}, ("yaml-syntax", 3)),
    "tab before a dash": ({A: "agreements:\n\t- id: A-1\n"}, ("yaml-syntax", 2)),
    "duplicate key": ({A: HEAD + "    title: Again\n"}, ("yaml-duplicate-key", 8)),
    "duplicate id across files": (
        {"agreements/2023.yaml": HEAD.replace("Z-1", "A-1")},
        ("duplicate-id", 2),
    ),
    "unknown section": ({"extra.yaml": "partners: []\nagreemnts: []\n"}, ("unknown-section", 2)),
    "section of the wrong type": ({"extra.yaml": "partners: {a: 1}\n"}, ("wrong-type", 1)),
    "record of the wrong type": ({A: "agreements:\n  - just text\n"}, ("wrong-type", 2)),
    "list of the wrong type": (
        {A: HEAD.replace("regions: [africa]", "regions: {africa: 1}")},
        ("wrong-type", 6),
    ),
    "impossible date": (with_signed("2023-02-30"), ("bad-date", 4)),
    "date as text": (with_signed("14/03/2022"), ("bad-date", 4)),
    "date with a time": (with_signed("2022-03-14T10:00:00"), ("bad-date", 4)),
    "negative amount": (with_amount("-5"), ("bad-amount", 9)),
    "zero amount": (with_amount("0"), ("bad-amount", 9)),
    "NaN amount": (with_amount(".nan"), ("bad-amount", 9)),
    "infinite amount": (with_amount(".inf"), ("bad-amount", 9)),
    "overflowing amount": (with_amount("1e400"), ("bad-amount", 9)),
    "implausible amount": (with_amount("99999999999999999999"), ("bad-amount", 9)),
    "amount as text": (with_amount('"1,000"'), ("bad-amount", 9)),
    "amount of 5000 digits": (with_amount("9" * 5000), ("wrong-type", 9)),
    "amount with a bad int tag": (with_amount("!!int abc"), ("wrong-type", 9)),
    "unknown currency": (with_amount("5", "XYZ"), ("unknown-currency", 9)),
    "missing rate": (with_amount("5", "EUR"), ("rate-missing", 9)),
    "python object tag": (
        {"extra.yaml": "partners:\n  - !!python/object/apply:os.system ['touch PWNED']\n"},
        ("yaml-tag", 2),
    ),
    "custom tag": ({"extra.yaml": "partners: !foo [a]\n"}, ("yaml-tag", 1)),
    "alias bomb": ({"extra.yaml": "x_bomb:\n  - &a [lol, lol]\n" + BOMB}, ("yaml-too-large", 7)),
    "undefined alias": ({A: AGREEMENTS + "  - *nowhere\n"}, ("yaml-syntax", 33)),
    "alias inside its own anchor": ({"extra.yaml": "partners: &p [*p]\n"}, ("yaml-syntax", 1)),
    "deep nesting": (
        {"extra.yaml": "x: " + "[" * 100_000 + "]" * 100_000 + "\n"},
        ("yaml-too-large", 1),
    ),
    "two documents": ({"extra.yaml": "partners: []\n---\nrates: {}\n"}, ("yaml-syntax", 2)),
    "control character": ({"extra.yaml": "partners: []\nx: a\x00b\n"}, ("yaml-syntax", 2)),
    "list at top level": ({"extra.yaml": "- a\n- b\n"}, ("file-not-mapping", 1)),
    "overlapping action plans": (
        {"taxonomy.yaml": TAXONOMY.replace("from: 2023-01-01", "from: 2022-06-01")},
        ("plan-overlap", 0),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file_gives_code_and_line(name: str, tmp_path: Path) -> None:
    files, expected = CASES[name]
    root = write_ledger(tmp_path / "ledger", base_files(**files))
    found = codes(diagnose(root))
    if expected[1]:
        assert expected in found
    else:
        assert expected[0] in [c for c, _ in found]


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file_exits_1_without_traceback(name: str, tmp_path: Path) -> None:
    files, expected = CASES[name]
    root = write_ledger(tmp_path / "ledger", base_files(**files))
    result = CliRunner().invoke(main, ["validate", "--ledger", str(root)])
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert f"error[{expected[0]}]" in result.output
    assert "Traceback" not in result.output


def test_overlapping_plans_point_at_the_later_plan(tmp_path: Path) -> None:
    tax = TAXONOMY.replace("from: 2023-01-01", "from: 2022-06-01")
    root = write_ledger(tmp_path / "ledger", base_files(**{"taxonomy.yaml": tax}))
    lines = [n for c, n in codes(diagnose(root)) if c == "plan-overlap"]
    start = tax.splitlines().index("    - code: kap") + 1
    assert lines and all(start <= n <= start + 4 for n in lines)


def test_python_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    text = f"partners:\n  - !!python/object/apply:os.system ['touch {marker}']\n"
    root = write_ledger(tmp_path / "ledger", base_files(**{"extra.yaml": text}))
    CliRunner().invoke(main, ["validate", "--ledger", str(root)])
    assert not marker.exists()


def test_non_utf8_bytes_point_at_the_byte(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "ledger", base_files())
    (root / "extra.yaml").write_bytes(b"partners:\n  - id: caf\xe9\n")
    assert ("encoding", 2) in codes(diagnose(root))
    d = next(d for d in diagnose(root) if d.code == "encoding")
    assert d.source is not None and d.source.column == 12


def test_tab_hint_names_tabs() -> None:
    diags: list = []
    assert parse_text("agreements:\n\t- id: A-1\n", "f.yaml", diags) is None
    assert diags[0].code == "yaml-syntax" and "tab" in diags[0].hint
    diags.clear()
    parse_text("agreements:\n  - id: [A-1\n", "f.yaml", diags)
    assert "tab" not in diags[0].hint


def test_alias_bomb_limit_counts_expanded_values() -> None:
    diags: list = []
    small = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
    data = parse_text(small, "f.yaml", diags)
    assert not diags and data is not None and data["b"][0] is data["a"]
    assert MAX_ALIAS_VALUES < 9**9  # the bomb above expands to 2 * 9**9 values


def test_nesting_limit_allows_a_ledger_and_refuses_deeper() -> None:
    diags: list = []
    ok = "x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert parse_text(ok, "f.yaml", diags) is not None and not diags
    parse_text("x: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", "f.yaml", diags)
    assert [d.code for d in diags] == ["yaml-too-large"]


def test_empty_and_comment_only_files_are_nothing(tmp_path: Path) -> None:
    root = write_ledger(
        tmp_path / "ledger", base_files(**{"empty.yaml": "", "c.yaml": "# nothing\n---\n"})
    )
    assert codes(diagnose(root)) == []


def test_only_empty_files_is_a_clear_error(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "ledger", {"empty.yaml": ""})
    result = CliRunner().invoke(main, ["validate", "--ledger", str(root)])
    assert result.exit_code == 1 and "taxonomy-missing" in result.output


def test_crlf_and_bom_read_like_lf(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "ledger", base_files())
    clean = codes(diagnose(root), None)
    data = (root / A).read_bytes()
    (root / A).write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    assert codes(diagnose(root), None) == clean


def test_a_folder_named_yaml_is_a_folder(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "ledger", base_files())
    (root / "odd.yaml").mkdir()
    (root / "odd.yaml" / "x.yaml").write_text("agreemnts: []\n", encoding="utf-8")
    assert ("unknown-section", 1) in codes(diagnose(root))


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_broken_and_looping_links_are_unreadable(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "ledger", base_files())
    os.symlink(root / "nowhere.yaml", root / "broken.yaml")
    os.symlink(root / "loop.yaml", root / "loop.yaml")
    os.symlink(root, root / "agreements" / "up")  # a folder loop is not followed
    found = codes(diagnose(root))
    # spec §6: a link loop (of links, or of a folder) is an error naming the link
    assert found.count(("file-unreadable", 1)) == 1 and found.count(("link-loop", 1)) == 2


def test_an_oversized_file_is_refused_unread(tmp_path: Path, monkeypatch) -> None:
    from rmxl.read import files as read

    root = write_ledger(tmp_path / "ledger", base_files())
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 100)
    assert ("yaml-too-large", 1) in codes(diagnose(root))


def test_missing_ledger_folder_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--ledger", str(tmp_path / "nope")])
    assert result.exit_code == 1 and "ledger-not-found" in result.output
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_unknown_currency_hint_is_the_same_on_every_run(tmp_path: Path) -> None:
    files = {A: HEAD + "    contributions:\n      - {by: ch-fdfa, amount: 5, currency: XYZ}\n"}
    root = write_ledger(tmp_path / "ledger", base_files(**files))
    d = next(d for d in diagnose(root) if d.code == "unknown-currency")
    assert d.hint.startswith("expected one of: AED, AFN, ALL,")
