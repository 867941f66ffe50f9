"""rmxl build: the workbook reopened with openpyxl, its numbers against Figures; the plan of
periods; determinism; text never a formula; atomic write; an invalid ledger writes
nothing."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from rmxl.cli import main
from rmxl.pipeline import load as loader
from rmxl.query.figures import Figures
from rmxl.query.periods import parse_period
from rmxl.render.labels import measure_label
from rmxl.render.workbook import build as workbook
from rmxl.render.workbook.breakdowns import DIM_MEASURES
from rmxl.render.workbook.build import build_workbook, plan_for
from rmxl.render.workbook.style import sheet_name
from rmxl.render.workbook.summary import FIRST, HEADLINE

from conftest import AGREEMENTS, DEMO, PARTNERS, base_files, live_formula, write_ledger

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def build(root: Path, out: Path, periods: list[str] | None = None) -> tuple[Figures, Path]:
    fig = loader.figures(root)
    return fig, build_workbook(fig, out, periods, environ=EPOCH)


@pytest.fixture
def small_book(small: Path, tmp_path: Path) -> tuple[Figures, Path]:
    return build(small, tmp_path / "out" / "rm.xlsx")


def values(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path, data_only=True)


def test_sheets_in_reading_order(small_book: tuple[Figures, Path]) -> None:
    _, path = small_book
    names = values(path).sheetnames
    assert names[:2] == ["Summary", "By region 2022"]  # no Jan-Feb 2022 agreement: no Compare
    assert names[-8:] == [
        "Analysis",
        "Agreements",
        "Contributions",
        "Parties",
        "Partners",
        "Rates",
        "Provenance",
        "xlwings.conf",
    ]
    words = ["region", "priority", "partner type", "membership", "partner", "country", "currency"]
    periods = ["2022", "2023 to 28 Feb"]  # 2023 is not over: never also a "2023"
    assert names[1:-8] == [f"By {d} {p}" for p in periods for d in words]


def test_summary_equals_figures(small_book: tuple[Figures, Path]) -> None:
    fig, path = small_book
    ws = values(path)["Summary"]
    for col in range(2, 4):
        period = ws.cell(FIRST - 2, col).value
        for i, m in enumerate(HEADLINE):
            assert ws.cell(FIRST + 1 + i, col).value == fig.total(period, m), (period, m)
    assert ws.cell(FIRST + 1 + HEADLINE.index("funds"), 2).value == 2_500_000 + 50_000 + 100_000


def _sheet_rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[tuple]:
    """The header row and the bucket rows down to Total (the notes under it left out)."""
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    return rows[: next(i for i, r in enumerate(rows) if r[0] == "Total") + 1]


def _sheet(
    book: openpyxl.Workbook, dim: str, period: str
) -> openpyxl.worksheet.worksheet.Worksheet:
    return book[sheet_name(dim, parse_period(period), set())]


@pytest.mark.parametrize(
    "periods",
    [None, ["2022-07..2023-06", "2022H2"]],  # default; a period across two action plans
)
def test_every_breakdown_cell_equals_figures(
    periods: list[str] | None, small: Path, tmp_path: Path
) -> None:
    fig, path = build(small, tmp_path / "rm.xlsx", periods)
    book = values(path)
    checked = 0
    for p in periods or ("2022", "2023-01..2023-02"):
        for dim, measures in DIM_MEASURES.items():
            head, *body = _sheet_rows(_sheet(book, dim, p))
            total = body[-1]
            assert total[0] == "Total"
            for m in measures:
                bd = fig.breakdown(dim, p, m)
                c = head.index(measure_label(m))
                got = {
                    (row[1], row[2]) if dim == "priority" else row[1]: (
                        row[c],
                        "" if row[c + 1] is None else row[c + 1],
                    )
                    for row in body[:-1]
                }
                for b, v, s in zip(bd.buckets, bd.values, bd.shares, strict=True):
                    key = (b.key[1], b.key[0]) if dim == "priority" else b.key
                    assert got[key] == (v, "" if s is None else s), (dim, p, m, key)
                    checked += 1
                assert total[c] == bd.total
    assert checked > 100


def test_period_across_action_plans_lists_both_plans(small: Path, tmp_path: Path) -> None:
    _, path = build(small, tmp_path / "rm.xlsx", ["2022-07..2023-06"])
    _, *body = _sheet_rows(values(path)["By priority Jul 2022-Jun 2023"])
    assert [(r[0], r[2], r[3]) for r in body] == [
        ("Cybersecurity", "baap", 1),
        ("Digital Inclusion", "baap", 0),
        ("Multi-thematic", "baap", 1),
        ("Affordable connectivity", "kap", 1),
        ("Digital transformation", "kap", 0),
        ("Multi-priorities", "kap", 0),
        ("Total", None, 3),
    ]


def test_long_period_sheet_names_fit_excel() -> None:
    taken: set[str] = set()
    p = parse_period("2022-01-05..2022-02-10")
    assert sheet_name("region", p, taken) == "By region 5 Jan-10 Feb 2022"
    q = parse_period("2022-12-05..2023-02-10")  # "By partner type 5 Dec 2022-10 Feb 2023": 38
    assert sheet_name("partner_type", q, taken) == "By partner type 20221205-202302"
    assert sheet_name("partner_type", q, taken) == "By partner type 20221205-20 (2)"
    assert all(len(n) <= 31 for n in taken)


def test_priority_sheet_in_taxonomy_order_with_multi_last(small_book: tuple[Figures, Path]) -> None:
    _, path = small_book
    head, *body = _sheet_rows(values(path)["By priority 2022"])
    assert head[:4] == ("Thematic priority", "Code", "Plan code", "Agreements")
    assert [r[0] for r in body] == ["Cybersecurity", "Digital Inclusion", "Multi-thematic", "Total"]


def test_breakdown_cells_are_formulas_over_the_tables(small_book: tuple[Figures, Path]) -> None:
    _, path = small_book
    ws = openpyxl.load_workbook(path)["By region 2022"]
    assert ws["C7"].value == (
        '=COUNTIFS(Agreements[Region],"="&$B7,'
        'Agreements[Signed],">="&$B$2,Agreements[Signed],"<="&$B$3)'
    )
    assert ws["G7"].value.startswith("=SUMIFS(Agreements[Funds (USD)],Agreements[Region]")
    assert ws["I7"].value.startswith("=SUMIFS(Agreements[Partners'' funds (USD)],")
    assert ws["E7"].value.startswith(
        '=COUNTIFS(Agreements[Region],"="&$B7,Agreements[Funded],"Yes",'
    )
    assert ws["D7"].value == '=IF($C$14=0,"",C7/$C$14)'
    pt = openpyxl.load_workbook(path)["By partner type 2022"]
    assert pt["C7"].value == (
        '=COUNTIFS(Partners[Partner type],"="&$B7,Partners[Agreements 2022],">0")'
    )


def test_demo_ledger_workbook_shows_published_figures(tmp_path: Path) -> None:
    if not (DEMO / "taxonomy.yaml").exists():
        pytest.skip("demo ledger not present")
    fig, path = build(DEMO, tmp_path / "rm.xlsx")
    book = values(path)
    ws = book["Summary"]
    header = [c.value for c in ws[FIRST - 2]]
    assert header[1:4] == ["2022", "2023-01..2023-04", "2022-01..2022-04"]
    assert [c.value for c in ws[FIRST - 3]][1:4] == ["2022", "2023 to 30 Apr", "2022 to 30 Apr"]
    funds = [c.value for c in ws[FIRST + 1 + HEADLINE.index("funds")]]
    assert funds[1] == 9_669_771 == fig.total(2022)
    assert funds[2] == 5_406_258
    body = _sheet_rows(book["By region 2022"])[1:]
    africa = next(r for r in body if r[1] == "africa")
    assert africa[6] == 642_886 and africa[7] == pytest.approx(0.06648409771027669, rel=1e-15)
    compare = book["Compare"]
    assert [c.value for c in compare[7]][:4] == ["Agreements signed", "agreements", 33, 30]


def test_default_plan_years_and_months_so_far(small: Path) -> None:
    fig = loader.figures(small)
    plan = plan_for(fig, None)
    assert [p.text for p in plan.periods] == ["2022", "2023-01..2023-02"]  # no "2023"
    assert plan.pairs == ()  # no agreement in Jan-Feb 2022 to compare with


def test_default_plan_compares_same_months(tmp_path: Path) -> None:
    extra = AGREEMENTS + (
        "  - {id: A-5, title: Early, signed: 2022-01-20, partners: [acme], "
        "regions: [cis], priorities: [cybersecurity]}\n"
    )
    fig = loader.figures(
        write_ledger(tmp_path / "l", base_files(**{"agreements/2022.yaml": extra}))
    )
    plan = plan_for(fig, None)
    assert [(a.text, b.text) for a, b in plan.pairs] == [("2022-01..2022-02", "2023-01..2023-02")]
    assert [p.text for p in plan.all_periods()][-1] == "2022-01..2022-02"


def test_given_periods_pair_a_year_apart(small: Path) -> None:
    fig = loader.figures(small)
    plan = plan_for(fig, ["2023Q1", "2022", "2022Q1", "2022"])
    assert [p.text for p in plan.periods] == ["2023Q1", "2022", "2022Q1"]
    assert plan.pairs == ((parse_period("2022Q1"), parse_period("2023Q1")),)


def test_given_periods_of_the_same_span_make_one_sheet_each(small: Path) -> None:
    fig = loader.figures(small)
    plan = plan_for(fig, ["2023Q1", "2023-01..2023-03", "2023-01-01..2023-03-31", "2022"])
    assert [p.text for p in plan.periods] == ["2023Q1", "2022"]


def test_same_ledger_same_bytes(small: Path, tmp_path: Path) -> None:
    _, a = build(small, tmp_path / "a.xlsx")
    _, b = build(small, tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    core = zipfile.ZipFile(a).read("docProps/core.xml").decode()
    assert "2023-11-14T22:13:20Z" in core  # SOURCE_DATE_EPOCH 1700000000


def test_build_time_without_git_or_epoch_is_fixed(small: Path) -> None:
    when, source = workbook.build_time(small, {})
    assert when == dt.datetime(2000, 1, 1, tzinfo=dt.UTC) and source.startswith("fixed")


def test_ledger_text_is_never_a_formula(tmp_path: Path) -> None:
    hostile = {
        '=HYPERLINK("http://x","y")',
        "+1+2",
        "-2+3",
        "@SUM(A1)",
    }
    partners = PARTNERS.replace("Acme Telecom", '\'=HYPERLINK("http://x","y")\'')
    agreements = (
        AGREEMENTS.replace("Smart villages", "'+1+2'")
        .replace("Cyber drills", "'-2+3'")
        .replace("MoU on skills", "'@SUM(A1)'")
    )
    root = write_ledger(
        tmp_path / "l",
        base_files(**{"partners.yaml": partners, "agreements/2022.yaml": agreements}),
    )
    _, path = build(root, tmp_path / "rm.xlsx")
    found = set()
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in hostile:
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    found.add(cell.value)
    assert found == hostile


def test_failed_build_keeps_the_old_workbook(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "rm.xlsx"
    out.write_bytes(b"previous workbook")

    def boom(*args: object) -> None:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(workbook, "write_analysis", boom)
    with pytest.raises(RuntimeError):
        build(small, out)
    assert out.read_bytes() == b"previous workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger", "rm.xlsx"]


def test_invalid_ledger_writes_nothing(tmp_path: Path) -> None:
    bad = AGREEMENTS.replace("partners: [ch-fdfa]", "partners: [nobody]")
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/2022.yaml": bad}))
    out = tmp_path / "wb" / "rm.xlsx"
    result = CliRunner().invoke(main, ["build", "--ledger", str(root), "--out", str(out)])
    assert result.exit_code == 1
    assert "ledger is invalid" in result.output + result.stderr
    assert not out.parent.exists() or not any(out.parent.iterdir())


def test_cli_builds_with_progress_and_empty_period_fails(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "rm.xlsx"
    ok = CliRunner().invoke(main, ["build", "--ledger", str(small), "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    assert f"wrote {out}" in ok.stdout
    assert "building workbook" in ok.stderr
    empty = CliRunner().invoke(
        main,
        ["build", "--ledger", str(small), "--out", str(tmp_path / "x.xlsx"), "--period", "2019"],
    )
    assert empty.exit_code == 1
    assert "no agreements were signed in 2019" in empty.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_progress_counts_every_step(small: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    build_workbook(
        loader.figures(small),
        tmp_path / "rm.xlsx",
        ["2022"],
        progress=lambda done, total: calls.append((done, total)),
        environ=EPOCH,
    )
    total = 8 + len(DIM_MEASURES)
    assert calls == [(i, total) for i in range(1, total + 1)]


def test_xlwings_conf_sheet_as_quickstart(small_book: tuple[Figures, Path]) -> None:
    _, path = small_book
    ws = values(path)["xlwings.conf"]
    assert (ws["A1"].value, ws["B1"].value) == ("UDF Modules", "rmxl.udfs")
    assert ws["A2"].value is None  # xlwings reads A1 down to the first empty cell


def test_analysis_cells_are_rm_formulas_with_values(small_book: tuple[Figures, Path]) -> None:
    fig, path = small_book
    formulas = openpyxl.load_workbook(path)["Analysis"]
    cached = values(path)["Analysis"]
    rows = {
        live_formula(formulas.cell(r, 3).value): cached.cell(r, 3).value
        for r in range(6, formulas.max_row + 1)
        if formulas.cell(r, 3).value
    }
    assert rows['=RM_SHARE("region","Africa",2022)'] == fig.share("region", "Africa", 2022)
    assert rows['=RM_TOTAL(2022,"agreements")'] == 3
    assert rows['=RM_SHARE("region","CIS",2022)'] == 0.0
    assert live_formula(formulas["E5"].value.text) == '=RM_BREAKDOWN("region",2022)'
    assert [cached.cell(5 + i, 5).value for i in range(3)] == ["bucket", "Africa", "Americas"]


def test_provenance(small_book: tuple[Figures, Path]) -> None:
    _, path = small_book
    ws = values(path)["Provenance"]
    rows = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(3, ws.max_row + 1)}
    assert rows["Validation"].startswith("clean")
    assert rows["Agreements"] == 4
    assert rows["Built at (UTC)"] == "2023-11-14 22:13:20"
    assert rows["Time source"] == "SOURCE_DATE_EPOCH"
    assert rows["Analysis template"] == "built-in"


def test_provenance_names_the_template_beside_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "wb" / "rm.xlsx"
    out.parent.mkdir()
    (out.parent / "template.yaml").write_text(
        (DEMO.parent / "workbook" / "template.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    r = CliRunner().invoke(main, ["build", "--ledger", str(DEMO), "--out", str(out)])
    assert r.exit_code == 0, r.output
    ws = values(out)["Provenance"]
    rows = {ws.cell(i, 1).value: ws.cell(i, 2).value for i in range(3, ws.max_row + 1)}
    assert rows["Analysis template"].endswith("wb/template.yaml")


def test_period_with_only_non_financial_agreements_builds(small: Path, tmp_path: Path) -> None:
    """A period of MoUs only (no contribution: empty currency and partner-funds buckets,
    zero funds) builds; shares of a zero total are left blank, not a division by zero."""
    fig, path = build(small, tmp_path / "rm.xlsx", ["2022-09"])
    assert fig.total("2022-09", "agreements") == 1 and fig.total("2022-09") == 0
    book = values(path)
    ws = book["By region Sep 2022"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert rows["Europe"][2] == 1  # one agreement, in Europe
    assert "" in rows["Europe"] or None in rows["Europe"]  # funds share of a zero total
    assert "By currency Sep 2022" in book.sheetnames


def test_committed_workbook_is_the_build_of_the_committed_ledger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """workbook/rm.xlsx is what `rmxl build` writes from ledger/ today: rebuild it after
    changing the ledger, the template or the workbook code (skipped with local edits)."""
    import subprocess

    root = DEMO.parent
    dirty = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--", "ledger", "workbook", "rmxl"],
        capture_output=True,
        text=True,
        check=False,
    )
    if dirty.returncode != 0 or dirty.stdout.strip():
        pytest.skip("not a clean git checkout of ledger/, workbook/ and rmxl/")
    monkeypatch.chdir(root)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "rm.xlsx"
    r = CliRunner().invoke(
        main,
        ["build", "--ledger", "ledger", "--out", str(out), "--template", "workbook/template.yaml"],
    )
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == (root / "workbook" / "rm.xlsx").read_bytes()
