"""The Analysis sheet's template (rmxl/workbook_template.py, workbook_analysis.py): a
team's template gives exactly its formulas, with the values `rmxl eval` gives; each kind
of template error is a (code, line) and `rmxl build` writes nothing; the shipped
workbook/template.yaml builds cleanly on the demo ledger; the default build asks today's
questions."""

from __future__ import annotations

import textwrap
import tomllib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from rmxl.cli import main
from rmxl.pipeline import load as loader
from rmxl.query.buckets import taxonomy_buckets
from rmxl.query.periods import parse_period
from rmxl.render.workbook.analysis import HEADER_ROW
from rmxl.render.workbook.build import build_workbook
from rmxl.render.workbook.meta import period_arg
from rmxl.render.workbook.style import quote
from rmxl.render.workbook.template import (
    DEFAULT_PATH,
    TemplateError,
    load_template,
    read_template,
    template_path,
)

from conftest import DEMO, ROOT, TAXONOMY, base_files, live_formula, write_ledger

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
SHIPPED = ROOT / "workbook" / "template.yaml"
FIRST = HEADER_ROW + 2  # 1-based row of the first question or section heading

TEAM = """\
analysis:
  - section: Headline figures
    per_period: true
    questions:
      - {label: "Funds (USD)", formula: '=RM_TOTAL({period})', format: money}
      - {label: "Agreements in {period}", formula: '=RM_TOTAL({period},"agreements")',
         format: count}
      - label: "Africa, share of funds"
        formula: '=RM_SHARE("region","Africa",{period})'
        format: percent
  - section: Asked once
    x_note: keys starting with x_ are ignored
    questions:
      - {label: "Atlantis", formula: '=RM_SHARE("region","Atlantis",2022)', format: percent}
      - {label: "Africa 2019", formula: 'RM_SHARE("region","Africa",2019)', format: percent}
      - {label: '=HYPERLINK("http://x")', formula: '=RM_INFO("agreements")', format: text}
      - label: "Partner types"
        formula: '=RM_BREAKDOWN("partner_type",2022,"partners")'
        format: table
  - section: Each region
    per_period: true
    each: region
    questions:
      - label: "share of agreements"
        formula: '=RM_SHARE("region",{bucket},{period},"agreements")'
        format: percent
  - section: Tables
    per_period: true
    questions:
      - {label: "Regions", formula: '=RM_BREAKDOWN("region",{period})', format: table}
      - {label: "Top partners", formula: '=RM_TOP(2,{period})', format: table}
"""
REGIONS = ["Africa", "Americas", "Arab States", "Asia-Pacific", "CIS", "Europe", "Multi-regions"]


def formula_text(name: str, args: Sequence[Any]) -> str:
    """``=RM_SHARE("region","Africa",2022)``: strings quoted (``"`` doubled), numbers
    as written (the formulas the Analysis sheet is expected to hold)."""
    parts = [quote(a) if isinstance(a, str) else repr(a) for a in args]
    return f"={name}({','.join(parts)})"


def _eval(root: Path, formula: str) -> Any:
    """What `rmxl eval` prints for ``formula``: a number, text, a table (list of rows of
    text), or the error message it prints."""
    result = CliRunner().invoke(main, ["eval", "--ledger", str(root), formula])
    if result.exit_code:
        return result.stderr.strip().removeprefix(f"{formula.strip()}: ")
    out = result.stdout.rstrip("\n")
    if "\t" in out:
        return [line.split("\t") for line in out.split("\n")]
    try:
        return float(out)
    except ValueError:
        return out


def _same(cell: Any, printed: Any) -> bool:
    if isinstance(printed, float):
        return isinstance(cell, int | float) and float(cell) == printed
    if isinstance(cell, int | float):
        return float(printed) == float(cell)
    return (cell or "") == printed


def _build(root: Path, out: Path, template: str | None, periods: list[str] | None = None) -> Path:
    chosen = None if template is None else read_template(template.encode(), "team.yaml")
    return build_workbook(loader.figures(root), out, periods, environ=EPOCH, template=chosen)


def _rows(path: Path) -> list[tuple[Any, Any, Any, Any]]:
    """(question, formula text, live formula, cached value) from the first question row;
    a section heading has only the question."""
    live = openpyxl.load_workbook(path)["Analysis"]
    cached = openpyxl.load_workbook(path, data_only=True)["Analysis"]
    return [
        (
            live.cell(r, 1).value,
            live.cell(r, 2).value,
            live_formula(live.cell(r, 3).value),
            cached.cell(r, 3).value,
        )
        for r in range(FIRST, live.max_row + 1)
        if live.cell(r, 1).value is not None
    ]


def _spilled(path: Path, anchor: str) -> tuple[str, list[list[Any]]]:
    """The dynamic-array formula at ``anchor`` and the cached values of its range."""
    live = openpyxl.load_workbook(path)["Analysis"]
    cached = openpyxl.load_workbook(path, data_only=True)["Analysis"]
    formula = live[anchor].value
    rows = cached[formula.ref]
    return live_formula(formula.text), [[c.value for c in row] for row in rows]


def test_a_team_template_gives_exactly_its_formulas_and_eval_values(
    small: Path, tmp_path: Path
) -> None:
    path = _build(small, tmp_path / "rm.xlsx", TEAM, ["2022", "2023"])
    rows = _rows(path)
    questions = [(q, f) for q, f, live, _ in rows if live is not None]
    assert [r[0] for r in rows if r[2] is None] == ["Headline figures", "Asked once", "Each region"]
    assert questions[:6] == [
        ("Funds (USD), 2022", "=RM_TOTAL(2022)"),
        ("Agreements in 2022", '=RM_TOTAL(2022,"agreements")'),
        ("Africa, share of funds, 2022", '=RM_SHARE("region","Africa",2022)'),
        ("Funds (USD), 2023", "=RM_TOTAL(2023)"),
        ("Agreements in 2023", '=RM_TOTAL(2023,"agreements")'),
        ("Africa, share of funds, 2023", '=RM_SHARE("region","Africa",2023)'),
    ]
    assert questions[6:9] == [
        ("Atlantis", '=RM_SHARE("region","Atlantis",2022)'),
        ("Africa 2019", '=RM_SHARE("region","Africa",2019)'),  # the = is added
        ('=HYPERLINK("http://x")', '=RM_INFO("agreements")'),  # a label is text
    ]
    assert questions[9:] == [
        (f"{b}: share of agreements, {y}", f'=RM_SHARE("region","{b}",{y},"agreements")')
        for y in (2022, 2023)
        for b in REGIONS
    ]
    for question, formula, live, value in rows:
        if live is not None:
            assert live == formula, question
            assert _same(value, _eval(small, formula)), (formula, value)
    values = {f: v for _, f, _, v in rows}
    assert values["=RM_TOTAL(2022)"] == pytest.approx(2_400_000 / 0.96 + 50_000 + 100_000)
    # A-2 names Africa and Europe: it counts in the multi bucket (spec §3), not in either
    assert values['=RM_SHARE("region","Europe",2022,"agreements")'] == pytest.approx(1 / 3)
    assert values['=RM_SHARE("region","Multi-regions",2022,"agreements")'] == pytest.approx(1 / 3)
    assert values['=RM_SHARE("region","Atlantis",2022)'].startswith("unknown region 'Atlantis'")
    assert values['=RM_SHARE("region","Africa",2019)'] == "no agreements were signed in 2019"


def test_table_questions_spill_in_blocks_with_eval_values(small: Path, tmp_path: Path) -> None:
    path = _build(small, tmp_path / "rm.xlsx", TEAM, ["2022", "2023"])
    # one block of four columns per period (E, I), then the tables asked once (M)
    expected = {
        "E5": '=RM_BREAKDOWN("region",2022)',
        "I5": '=RM_BREAKDOWN("region",2023)',
        "M5": '=RM_BREAKDOWN("partner_type",2022,"partners")',
        "E15": "=RM_TOP(2,2022)",
        "I15": "=RM_TOP(2,2023)",
    }
    for anchor, formula in expected.items():
        text, table = _spilled(path, anchor)
        assert text == formula
        printed = _eval(small, formula)
        assert len(table) == len(printed) and all(
            _same(c, p)
            for row, prow in zip(table, printed, strict=True)
            for c, p in zip(row, prow, strict=True)
        ), formula
    _, top = _spilled(path, "E15")
    assert top[1][:1] == ["Swiss FDFA"] and top[1][2] == "CHF 2.4 million"
    labels = openpyxl.load_workbook(path)["Analysis"]["A"]
    hostile = [c for c in labels if c.value == '=HYPERLINK("http://x")']
    assert [c.data_type for c in hostile] == ["s"]  # a label is text, never a formula
    note = openpyxl.load_workbook(path)["Analysis"]["E4"].value
    assert note == 'Regions, 2022: =RM_BREAKDOWN("region",2022)'


def test_formats_of_the_cells(small: Path, tmp_path: Path) -> None:
    path = _build(small, tmp_path / "rm.xlsx", TEAM, ["2022"])
    ws = openpyxl.load_workbook(path)["Analysis"]
    fmt = {ws.cell(r, 2).value: ws.cell(r, 3).number_format for r in range(FIRST, ws.max_row + 1)}
    assert fmt["=RM_TOTAL(2022)"] == "#,##0"
    assert fmt['=RM_SHARE("region","Africa",2022)'] == "0.0%"
    assert fmt['=RM_INFO("agreements")'] == "General"
    assert fmt['=RM_SHARE("region","Atlantis",2022)'] == "General"  # a message, not a share


def _team_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


ONE_SECTION = """\
analysis:
  - section: S
    per_period: true
    questions:
      - {label: "x", formula: '=RM_TOTAL({period})', format: money}
"""


def _break(old: str, new: str) -> str:
    assert old in ONE_SECTION
    return ONE_SECTION.replace(old, new)


ERRORS = [
    # (template, code, line)
    (_break("=RM_TOTAL({period})", "=SUM({period},2)"), "template-function", 5),
    (_break("=RM_TOTAL({period})", "=RM_TOTL({period})"), "template-function", 5),
    (_break("=RM_TOTAL({period})", "=RM_TOTAL({period}"), "template-formula", 5),
    (_break("=RM_TOTAL({period})", "=RM_SHARE({period})"), "template-formula", 5),
    (_break("=RM_TOTAL({period})", "=RM_TOTAL({period}) + 1"), "template-formula", 5),
    (_break("=RM_TOTAL({period})", '=RM_TOTAL({period},"fund")'), "template-argument", 5),
    (
        _break("=RM_TOTAL({period})", '=RM_SHARE("regoin","Africa",{period})'),
        "template-argument",
        5,
    ),
    (  # only RM_ calls with literal arguments: a pull request cannot slip in another formula
        _break("=RM_TOTAL({period})", '=RM_TOTAL({period},HYPERLINK("http://x"))'),
        "template-formula",
        5,
    ),
    (_break("format: money", "format: dollars"), "template-format", 5),
    (_break("=RM_TOTAL({period})", "=RM_TOP(3,{period})"), "template-format", 5),
    (_break("format: money", "format: table"), "template-format", 5),
    (_break("=RM_TOTAL({period})", '=RM_TOTAL("{period}")'), "template-placeholder", 5),
    (_break("=RM_TOTAL({period})", "=RM_TOTAL({period},{year})"), "template-placeholder", 5),
    (_break("=RM_TOTAL({period})", "=RM_TOTAL(2022)"), "template-placeholder", 5),
    (_break("    per_period: true\n", ""), "template-placeholder", 4),
    (
        _break("=RM_TOTAL({period})", '=RM_SHARE("region",{bucket},{period})'),
        "template-placeholder",
        5,
    ),
    (
        _break("per_period: true", "per_period: true\n    each: regoin").replace(
            "=RM_TOTAL({period})", '=RM_SHARE("region",{bucket},{period})'
        ),
        "template-each",
        4,
    ),
    (_break("format: money", "format: money, colour: red"), "template-unknown-key", 5),
    (_break("per_period: true", "per_period: true\n    title: S"), "template-unknown-key", 4),
    (_break(", format: money", ""), "template-missing-key", 5),
    (_break("  - section: S\n    per_period", "  - per_period"), "template-missing-key", 2),
    ("", "template-missing-key", 1),
    ("analysis: {}\n", "template-wrong-type", 1),
    ("- analysis\n", "template-wrong-type", 1),
    (_break("per_period: true", "per_period: yes"), "template-wrong-type", 3),
    (
        _break("per_period: true", "per_period: true\n    each:").replace(
            "=RM_TOTAL({period})", '=RM_SHARE("region",{bucket},{period})'
        ),
        "template-each",
        4,
    ),
    (_break('label: "x"', "label: 12"), "template-wrong-type", 5),
    (_break("  - {label", "  - [label"), "yaml-syntax", 5),
]


@pytest.mark.parametrize(("body", "code", "line"), ERRORS, ids=[e[1] for e in ERRORS])
def test_each_template_error_is_a_code_and_line(body: str, code: str, line: int) -> None:
    with pytest.raises(TemplateError) as caught:
        read_template(body.encode(), "team.yaml")
    found = [(d.code, d.source.line if d.source else 0) for d in caught.value.diagnostics]
    assert found == [(code, line)]


@pytest.mark.parametrize(("body", "code", "line"), ERRORS[:: len(ERRORS) // 8])
def test_build_with_a_bad_template_writes_nothing(
    small: Path, tmp_path: Path, body: str, code: str, line: int
) -> None:
    team = _team_file(tmp_path, body)
    out = tmp_path / "wb" / "rm.xlsx"
    args = ["build", "--ledger", str(small), "--out", str(out), "--template", str(team)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert f"{team.as_posix()}:{line}:" in result.stderr and f"error[{code}]" in result.stderr
    assert "template is invalid: 1 error in 1 file" in result.stderr
    assert not out.parent.exists()


def test_a_missing_template_is_an_error(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "rm.xlsx"
    args = ["build", "--ledger", str(small), "--out", str(out), "--template", "nowhere.yaml"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "error[file-unreadable]" in result.stderr
    assert not out.exists()


def test_all_errors_at_once_in_file_order() -> None:
    body = _break("format: money", "format: dollars").replace("=RM_TOTAL", "=RM_TOTL")
    with pytest.raises(TemplateError) as caught:
        read_template(body.encode(), "team.yaml")
    assert [d.code for d in caught.value.diagnostics] == ["template-function", "template-format"]
    assert "did you mean 'RM_TOTAL'?" in str(caught.value)


def test_template_beside_the_workbook_is_the_default(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "workbook" / "rm.xlsx"
    assert template_path(out, None) is None
    beside = write_ledger(out.parent, {"template.yaml": ONE_SECTION}) / "template.yaml"
    assert template_path(out, None) == beside
    assert template_path(out, Path("other.yaml")) == Path("other.yaml")
    result = CliRunner().invoke(main, ["build", "--ledger", str(small), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"(Analysis from {beside.as_posix()})" in result.stdout
    rows = _rows(out)
    assert [f for _, f, live, _ in rows if live] == [
        "=RM_TOTAL(2022)",
        '=RM_TOTAL("2023-01..2023-02")',  # 2023 is not over: no "2023" too
    ]


def _todays_questions(fig: Any, periods: list[str]) -> Counter[str]:
    """The formulas the Analysis sheet asked before templates (rmxl 0.1), per period:
    every headline total, each region's share of funds, each partner type's share of
    partners, and a region breakdown and the top three as tables."""
    out: Counter[str] = Counter()
    for text in periods:
        p = parse_period(text)
        arg = period_arg(p)
        for m in ("funds", "partner_funds", "itu_funds", "agreements", "funded_agreements"):
            out[formula_text("RM_TOTAL", [arg, m])] += 1
        out[formula_text("RM_TOTAL", [arg, "partners"])] += 1
        for b in taxonomy_buckets(fig.taxonomy, "region", p):
            out[formula_text("RM_SHARE", ["region", b.label, arg])] += 1
        for b in taxonomy_buckets(fig.taxonomy, "partner_type", p):
            out[formula_text("RM_SHARE", ["partner_type", b.label, arg, "partners"])] += 1
        out[formula_text("RM_BREAKDOWN", ["region", arg])] += 1
        out[formula_text("RM_TOP", [3, arg])] += 1
    return out


def _all_formulas(path: Path) -> Counter[str]:
    ws = openpyxl.load_workbook(path)["Analysis"]
    found: Counter[str] = Counter()
    for row in ws.iter_rows():
        for cell in row:
            value = live_formula(getattr(cell.value, "text", cell.value))
            if (cell.data_type == "f" or hasattr(cell.value, "text")) and cell.column > 1:
                found[value] += 1  # column A's only formula is the live/stored status line
    return found


def test_the_default_build_asks_todays_questions(small: Path, tmp_path: Path) -> None:
    path = _build(small, tmp_path / "rm.xlsx", None)
    fig = loader.figures(small)
    assert _all_formulas(path) == _todays_questions(fig, ["2022", "2023-01..2023-02"])
    rows = {f: v for _, f, live, v in _rows(path) if live}
    assert rows['=RM_SHARE("region","Africa",2022)'] == fig.share("region", "Africa", 2022)
    assert rows['=RM_TOTAL(2022,"agreements")'] == 3
    note = openpyxl.load_workbook(path)["Analysis"]["A4"].value
    assert note.startswith("Questions: rmxl's built-in questions")


def test_the_shipped_template_builds_cleanly_on_the_demo_ledger(tmp_path: Path) -> None:
    template = load_template(SHIPPED)
    fig = loader.figures(DEMO)
    path = build_workbook(fig, tmp_path / "rm.xlsx", environ=EPOCH, template=template)
    rows = {f: v for _, f, live, v in _rows(path) if live}
    assert rows and all(isinstance(v, int | float) for v in rows.values()), [
        (f, v) for f, v in rows.items() if isinstance(v, str)
    ]
    assert rows['=RM_SHARE("region","Africa",2022)'] == 0.06648409771027669  # issue 2
    assert rows['=RM_TOTAL(2022,"agreements")'] == 71  # the seed report
    assert rows['=RM_TOTAL("2023-01..2023-04","agreements")'] == 30  # Jan–Apr 2023
    again = build_workbook(fig, tmp_path / "again.xlsx", environ=EPOCH, template=template)
    assert again.read_bytes() == path.read_bytes()


def test_the_built_in_template_is_clean_and_shipped_as_package_data() -> None:
    assert [s.title for s in load_template().sections] == [
        "Headline figures",
        "Regions, share of funds",
        "Partner types, share of partners",
        "Tables",
    ]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = DEFAULT_PATH.relative_to(ROOT / "rmxl").as_posix()
    assert shipped in config["tool"]["setuptools"]["package-data"]["rmxl"]


def test_each_priority_across_two_plans_names_buckets_by_code_when_labels_clash(
    tmp_path: Path,
) -> None:
    same = TAXONOMY.replace("multi_label: Multi-thematic", "multi_label: Multi-priorities")
    root = write_ledger(tmp_path / "l", base_files(**{"taxonomy.yaml": same}))
    body = """\
    analysis:
      - section: Priorities
        per_period: true
        each: priority
        questions:
          - label: "{bucket} ({period})"
            formula: '=RM_SHARE("priority",{bucket},{period})'
            format: percent
    """
    path = _build(root, tmp_path / "rm.xlsx", textwrap.dedent(body), ["2022-07..2023-06"])
    rows = [(q, f, v) for q, f, live, v in _rows(path) if live]
    assert [q for q, _, _ in rows][2:4] == [
        "baap:multi (Jul 2022–Jun 2023)",
        "kap:affordable-connectivity (Jul 2022–Jun 2023)",
    ]
    assert all(isinstance(v, float) for _, _, v in rows)
    fig = loader.figures(root)
    assert rows[2][2] == fig.share("priority", "baap:multi", "2022-07..2023-06")
