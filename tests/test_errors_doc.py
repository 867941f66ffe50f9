"""The catalogue: stable kebab-case codes, every emitted code catalogued, docs/errors.md
generated from it and not stale."""

from __future__ import annotations

import re

from click.testing import CliRunner

from rmxl.cli import main
from rmxl.diagnostics import CATALOGUE, QUERY_CATALOGUE
from rmxl.render.diagnostics import errors_markdown

from conftest import ROOT

DOC = ROOT / "docs" / "errors.md"
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _source() -> str:
    return "".join(
        p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "rmxl").rglob("*.py"))
        if p.name != "diagnostics.py" and "catalogue" not in p.parts
    )


def test_docs_errors_md_is_generated_from_the_catalogue() -> None:
    assert DOC.read_text(encoding="utf-8") == errors_markdown(), (
        "docs/errors.md is stale: run `rmxl errors --markdown > docs/errors.md`"
    )


def test_cli_prints_the_same_page() -> None:
    result = CliRunner().invoke(main, ["errors", "--markdown"])
    assert result.exit_code == 0 and result.output == errors_markdown()


def test_codes_are_kebab_case_with_a_title_and_explanation() -> None:
    for code, kind in CATALOGUE.items():
        assert KEBAB.match(code) and kind.code == code
        assert kind.severity in ("error", "warning", "note")  # note: knock-on count
        assert kind.title and kind.explanation.endswith(".")


def test_the_four_warnings_of_the_issue_are_warnings() -> None:
    for code in ("rate-stale", "possible-duplicate", "future-date", "unused-partner"):
        assert CATALOGUE[code].severity == "warning"


def test_every_code_the_code_emits_is_catalogued_and_every_code_is_used() -> None:
    src = _source()
    emitted = set(re.findall(r'(?:make|err|fail)\(\s*"([a-z0-9-]+)"', src))
    assert emitted and emitted <= set(CATALOGUE)
    unused = [c for c in CATALOGUE if f'"{c}"' not in src]
    assert unused == []


def test_errors_explains_one_code_and_refuses_an_unknown_one() -> None:
    ok = CliRunner().invoke(main, ["errors", "rate-stale"])
    assert ok.exit_code == 0 and "62 days" in ok.output
    bad = CliRunner().invoke(main, ["errors", "no-such-code"])
    assert bad.exit_code == 2


def test_every_query_error_code_raised_is_catalogued_and_every_entry_raised() -> None:
    """Query errors (issue 9): each code a QueryError is raised with is in the catalogue,
    with a title and an explanation; no QueryError takes a code that is not a literal."""
    src = _source()
    raised = set(re.findall(r'QueryError\(\s*"([a-z0-9-]+)"', src))
    calls = len(re.findall(r"QueryError\(", src))
    assert len(re.findall(r'QueryError\(\s*"', src)) == calls  # every code a literal
    assert {"empty-period", "unknown-bucket", "bad-period"} <= raised
    assert raised == set(QUERY_CATALOGUE)
    for code, kind in QUERY_CATALOGUE.items():
        assert KEBAB.match(code) and kind.code == code and kind.severity == "error"
        assert kind.title and kind.explanation.endswith(".")
    assert not set(QUERY_CATALOGUE) & set(CATALOGUE)


def test_errors_lists_and_explains_query_errors() -> None:
    listed = CliRunner().invoke(main, ["errors"])
    assert listed.exit_code == 0
    assert "empty-period" in listed.output and "unknown-bucket" in listed.output
    one = CliRunner().invoke(main, ["errors", "unknown-bucket"])
    assert one.exit_code == 0 and one.output.startswith("unknown-bucket (error): Unknown bucket")
    assert "| `empty-period` | error |" in DOC.read_text(encoding="utf-8")
