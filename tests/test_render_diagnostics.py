"""Renderings of diagnostics: text with caret, JSON, GitHub workflow commands, summary."""

from __future__ import annotations

import json
from pathlib import Path

from rmxl.diagnostics import CATALOGUE, QUERY_CATALOGUE, Diagnostic, Source, make
from rmxl.render.diagnostics import (
    as_json,
    errors_markdown,
    github,
    select,
    summary,
    text,
)


def diag(
    code: str, file: str = "l/a.yaml", line: int = 2, col: int = 5, msg: str = "m"
) -> Diagnostic:
    return make(code, msg, Source(file, line, col), "a hint")


def test_summary_counts_errors_warnings_and_files() -> None:
    diags = [
        diag("bad-date"),
        diag("bad-amount", "l/b.yaml"),
        diag("unknown-key"),
        diag("rate-stale", "l/b.yaml"),
    ]
    assert summary(diags) == "3 errors, 1 warning in 2 files"
    assert summary([diag("rate-stale")]) == "1 warning in 1 file"
    assert summary([make("ledger-empty", "no files", None)]) == "1 error"
    assert summary([]) == "clean"


def test_text_shows_the_line_and_a_caret_under_the_column(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("agreements:\n  - id: X\n    signed: 2023-02-30\n", encoding="utf-8")
    d = make("bad-date", "not a date", Source(f.as_posix(), 3, 13), "write YYYY-MM-DD")
    lines = text([d]).splitlines()
    assert lines[0] == f"{f.as_posix()}:3:13: error[bad-date]: not a date (write YYYY-MM-DD)"
    assert lines[1] == "        signed: 2023-02-30"
    assert lines[2].index("^") == lines[1].index("2023")


def test_text_counts_a_tab_as_one_column(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("a:\n\tb: 1\n", encoding="utf-8")
    lines = text([make("yaml-syntax", "tab", Source(f.as_posix(), 2, 2))]).splitlines()
    assert lines[1] == "     b: 1" and lines[2] == "     ^"


def test_text_without_a_source_is_one_line() -> None:
    d = make("ledger-empty", "no *.yaml files in 'x'", None)
    assert text([d]) == "error[ledger-empty]: no *.yaml files in 'x'"


def test_json_is_the_list_of_as_dict() -> None:
    diags = [diag("bad-date"), make("ledger-empty", "none", None)]
    data = json.loads(as_json(diags))
    assert data == [d.as_dict() for d in diags]
    assert data[0] == {
        "code": "bad-date",
        "severity": "error",
        "message": "m",
        "file": "l/a.yaml",
        "line": 2,
        "column": 5,
        "hint": "a hint",
    }
    assert data[1]["file"] is None and data[1]["line"] is None


def test_github_workflow_command_and_escaping() -> None:
    d = make("unknown-key", "50% off\nnext\rline: a, b", Source("l/a:b,c.yaml", 7, 3), "")
    assert github([d]) == (
        "::error file=l/a%3Ab%2Cc.yaml,line=7,col=3,title=Unknown key [unknown-key]"
        "::50%25 off%0Anext%0Dline: a, b"
    )


def test_github_warning_and_sourceless() -> None:
    out = github([diag("rate-stale"), make("taxonomy-missing", "no taxonomy", None, "add it")])
    first, second = out.splitlines()
    assert first.startswith("::warning file=l/a.yaml,line=2,col=5,title=Stale exchange rate")
    assert first.endswith("::m (a hint)")
    assert second == "::error title=Taxonomy missing [taxonomy-missing]::no taxonomy (add it)"


def test_select_skips_codes_and_strict_makes_warnings_errors() -> None:
    diags = [diag("rate-stale"), diag("future-date"), diag("bad-date")]
    assert [d.code for d in select(diags, skip=["future-date"])] == ["rate-stale", "bad-date"]
    strict = select(diags, strict=True)
    assert [d.severity for d in strict] == ["error", "error", "error"]
    assert [d.severity for d in diags] == ["warning", "warning", "error"]


def test_errors_markdown_has_one_row_per_code() -> None:
    md = errors_markdown()
    rows = [ln for ln in md.splitlines() if ln.startswith("| `")]
    assert len(rows) == len(CATALOGUE) + len(QUERY_CATALOGUE)  # issue 9: query errors too
    assert "| `rate-stale` | warning | Stale exchange rate |" in md
