"""rmxl.udfs: the RM_ functions as Excel calls them (spec §5, issue 3).

The inline ledger (tests/conftest.py): 2022 holds A-1 (Swiss FDFA, CHF 2,400,000 at 0.96
= USD 2,500,000, + ITU USD 50,000, Africa), A-2 (Acme USD 100,000, Africa + Europe =
Multi-regions) and A-3 (no money, Europe); 2023 holds A-4 (Uni X, CHF 8,000 at 0.8 =
USD 10,000, Americas). So 2022 funds are USD 2,650,000, partner funds USD 2,600,000.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from matplotlib.figure import Figure
from ruamel.yaml import YAML

from rmxl import udfs
from rmxl.cli import main
from rmxl.diagnostics import LedgerError
from rmxl.pipeline import load as loader
from rmxl.pipeline.sessions import SESSIONS
from rmxl.query import functions
from rmxl.udfs import RM_BREAKDOWN, RM_CHART, RM_INFO, RM_SHARE, RM_TOP, RM_TOTAL

from conftest import DEMO, base_files, write_ledger

PUBLISHED = YAML(typ="safe").load(
    (Path(__file__).parent / "data" / "published-figures.yaml").read_text(encoding="utf-8")
)


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """No compiled ledger carried over between tests; changes seen at once."""
    SESSIONS.clear()
    monkeypatch.setattr(SESSIONS, "interval", 0.0)
    monkeypatch.delenv("RMXL_LEDGER", raising=False)


@pytest.fixture
def ledger(small: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RMXL_LEDGER", str(small))
    return small


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Path:
    if not (DEMO / "taxonomy.yaml").is_file():
        pytest.skip("the demo ledger is not there")
    monkeypatch.setenv("RMXL_LEDGER", str(DEMO))
    return DEMO


def excel(period: str) -> Any:
    """A period as an Excel cell sends it: a year is a float."""
    return float(period) if period.isdigit() else period


# -- values ------------------------------------------------------------------------------
@pytest.mark.usefixtures("ledger")
def test_share_with_excel_shaped_arguments() -> None:
    assert RM_SHARE("region", "Africa", 2022.0) == 2_550_000 / 2_650_000
    assert RM_SHARE(" REGION ", "  africa ", [[2022.0]], None) == 2_550_000 / 2_650_000
    assert RM_SHARE("partner_type", "Governmental entities", 2022.0) == 2_500_000 / 2_600_000
    assert RM_SHARE("region", "Multi-regions", "2022", " Agreements ") == 1 / 3
    assert RM_SHARE("region", "africa", dt.datetime(2022, 3, 14, 0, 0)) == 1.0
    assert RM_SHARE("region", "Americas", dt.date(2023, 2, 1), "partners") == 1.0


@pytest.mark.usefixtures("ledger")
def test_total_with_excel_shaped_arguments() -> None:
    assert RM_TOTAL(2022.0) == 2_650_000.0
    assert RM_TOTAL(2022.0, None, None, None) == 2_650_000.0
    assert RM_TOTAL([2022.0], "partner_funds") == 2_600_000.0
    assert RM_TOTAL("2023Q1", "Agreements ") == 1
    assert RM_TOTAL(2022.0, "funds", "region", "Africa") == 2_550_000.0
    assert RM_TOTAL(2022.0, "funds", "region", "Americas") == 0.0
    assert RM_TOTAL("2022-01..2023-12", "partners") == 4


@pytest.mark.usefixtures("ledger")
def test_breakdown_spills_a_table_in_taxonomy_order() -> None:
    table = RM_BREAKDOWN("region", 2022.0)
    assert table[0] == ["bucket", "value", "share"]
    assert table[1] == ["Africa", 2_550_000.0, 2_550_000 / 2_650_000]
    assert [row[0] for row in table[1:]] == [
        "Africa",
        "Americas",
        "Arab States",
        "Asia-Pacific",
        "CIS",
        "Europe",
        "Multi-regions",
    ]
    assert table[-1] == ["Multi-regions", 100_000.0, 100_000 / 2_650_000]
    table[1][1] = "changed by Excel's converter"
    assert RM_BREAKDOWN("region", 2022.0)[1][1] == 2_550_000.0  # the memo is not shared


@pytest.mark.usefixtures("ledger")
def test_top_spills_partners_by_value() -> None:
    table = RM_TOP(2.0, 2022.0)
    assert table[0] == ["partner", "usd", "signed"]
    assert table[1] == ["Swiss FDFA", 2_500_000.0, "CHF 2.4 million"]
    assert table[2][:2] == ["Acme Telecom", 100_000.0]
    assert len(table) == 3


def test_info_names_the_ledger_and_counts(ledger: Path) -> None:
    assert RM_INFO("agreements") == 4
    assert RM_INFO(" Ledger ") == str(ledger.resolve())
    table = RM_INFO()
    assert table[0] == ["field", "value"]
    assert [row[0] for row in table[1:]] == ["ledger", "commit", "agreements", "modified"]
    assert RM_INFO("commit") == ""  # tmp_path is no git checkout


@pytest.mark.usefixtures("demo")
def test_spec_worked_examples_on_the_demo_ledger() -> None:
    assert RM_SHARE("region", "Africa", 2022.0) == 642_886 / 9_669_771
    assert RM_SHARE("partner_type", "Governmental entities", 2022) == 6_602_783 / 8_734_847
    assert RM_SHARE("region", "Africa", 2022, "agreements") == 9 / 71
    assert RM_SHARE("partner_type", "Governmental entities", 2022, "partners") == 24 / 57
    assert RM_TOP(3.0, 2022.0)[1][2] == "CHF 2.4 million"


def _published() -> list[Any]:
    out = []
    for period, figs in PUBLISHED.items():
        for key, value in figs.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                out.append(pytest.param(period, key, None, None, value, id=f"{period}-{key}"))
            elif key in (
                "agreements_by_region",
                "funds_by_region",
                "partner_funds_by_partner_type",
            ):
                measure, _, dim = key.partition("_by_")
                for code, v in value.items():
                    out.append(
                        pytest.param(period, measure, dim, code, v, id=f"{period}-{key}-{code}")
                    )
    return out


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize(("period", "measure", "dim", "code", "expected"), _published())
def test_published_figures_through_excel(
    period: str, measure: str, dim: Any, code: Any, expected: float
) -> None:
    assert RM_TOTAL(excel(period), measure, dim, code) == expected


@pytest.mark.usefixtures("demo")
def test_same_numbers_as_rmxl_eval() -> None:
    cells = [
        ('RM_SHARE("region","Africa",2022)', RM_SHARE("region", "Africa", 2022.0)),
        (
            'RM_SHARE("priority","Multi-priorities","2023-01..2023-04","agreements")',
            RM_SHARE("priority", "Multi-priorities", "2023-01..2023-04", "agreements"),
        ),
        ('RM_TOTAL(2022,"partner_funds")', RM_TOTAL(2022.0, "partner_funds")),
        ('RM_TOTAL("2023-01..2023-04","itu_funds")', RM_TOTAL("2023-01..2023-04", "itu_funds")),
    ]
    result = CliRunner().invoke(main, ["eval", "--ledger", str(DEMO), *(c for c, _ in cells)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [repr(v) for _, v in cells]


# -- errors ------------------------------------------------------------------------------
BAD = [
    (lambda: RM_SHARE("region", "Afirca", 2022.0), "did you mean 'Africa'?"),
    (lambda: RM_SHARE("regoin", "Africa", 2022.0), "did you mean 'region'?"),
    (lambda: RM_SHARE("region", "Africa", 2022.0, "fund"), "did you mean 'funds'?"),
    (lambda: RM_SHARE("partner_type", "Governmental entity", 2022.0), "'Governmental entities'"),
    (lambda: RM_SHARE("region", "Africa", "2022x"), "use 2022, 2023-04, 2023Q1"),
    (lambda: RM_SHARE("region", "Africa", 2021.5), "is not a year"),
    (lambda: RM_SHARE("region", "Africa", None), "is missing"),
    (lambda: RM_SHARE("region", "Africa", 1999.0), "no agreements were signed in 1999"),
    (lambda: RM_SHARE("region", "#N/A", 2022.0), "bucket is the error #N/A"),
    (lambda: RM_SHARE("partner_type", "Others", 2022.0, "itu_funds"), "ITU is no partner"),
    (lambda: RM_TOTAL(2022.0, "funds", "region"), "give both a dimension and a bucket"),
    (lambda: RM_BREAKDOWN("region ", "2022Q5"), "is not a period"),
    (lambda: RM_TOP(0.0, 2022.0), "n must be a whole number"),
    (lambda: RM_TOP(2.5, 2022.0), "n must be a whole number"),
    (lambda: RM_INFO("comit"), "unknown field 'comit' (ledger, commit"),
    (lambda: RM_CHART("region", 2022.0, None, "pi"), "did you mean 'pie'?"),
]


@pytest.mark.usefixtures("ledger")
@pytest.mark.parametrize(("call", "expected"), BAD)
def test_a_bad_argument_returns_one_readable_line(call: Any, expected: str) -> None:
    message = call()
    assert isinstance(message, str)
    assert expected in message
    assert "\n" not in message and "Traceback" not in message


def test_an_invalid_ledger_names_the_first_error_and_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = base_files()
    files["agreements/2022.yaml"] = files["agreements/2022.yaml"].replace("[africa]", "[afrika]")
    root = write_ledger(tmp_path / "ledger", files)
    monkeypatch.setenv("RMXL_LEDGER", str(root))
    for message in (
        RM_SHARE("region", "Africa", 2022.0),
        RM_TOTAL(2022.0),
        RM_BREAKDOWN("region", 2022),
    ):
        assert message.startswith("invalid ledger: ")
        assert f"{root.as_posix()}/agreements/2022.yaml:6:" in message
        assert "error[unknown-region]" in message and "did you mean" in message
        assert "\n" not in message
    assert RM_INFO("ledger") == str(root.resolve())
    assert RM_INFO("error").startswith("invalid ledger: ")


def test_a_missing_ledger_folder_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RMXL_LEDGER", str(tmp_path / "nowhere"))
    message = RM_TOTAL(2022.0)
    assert "ledger-not-found" in message and "nowhere" in message


def test_a_ledger_path_the_system_refuses_or_a_file_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name too long for the system, or a file in place of the folder, gives the short
    ledger message saying what is wrong (before: "RM_TOTAL failed: OSError…", and
    "not found" for a file that exists)."""
    monkeypatch.setenv("RMXL_LEDGER", "x" * 5000)
    message = RM_TOTAL(2022)
    assert message.startswith("invalid ledger: error[ledger-not-found]: cannot look at ledger")
    assert "File name too long" in message and "OSError" not in message
    a_file = tmp_path / "passwd"
    a_file.write_text("x", encoding="utf-8")
    monkeypatch.setenv("RMXL_LEDGER", str(a_file))
    assert f"ledger folder '{a_file.as_posix()}' is not a folder (it is a file)" in RM_TOTAL(2022)


def test_the_library_refuses_a_bad_ledger_path_with_a_diagnostic(tmp_path: Path) -> None:
    """load.check / diagnostics / load never let an OSError out for a path the system
    refuses (a name too long, a loop of links): ledger-not-found, LedgerError."""
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for root in (Path("x" * 5000), loop):
        ledger, diags = loader.check(root)
        assert ledger is None and [d.code for d in diags] == ["ledger-not-found"]
        assert diags[0].message.startswith("cannot look at ledger folder ")
        assert loader.diagnostics(root) == diags
        with pytest.raises(LedgerError) as caught:
            loader.load(root)
        assert caught.value.diagnostics == diags


@pytest.mark.usefixtures("ledger")
def test_an_unexpected_error_is_one_line_too(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setitem(functions.FUNCTIONS, "RM_SHARE", (broken, 3, 4))
    assert RM_SHARE("region", "Africa", 2022.0) == "RM_SHARE failed: RuntimeError: boom second line"


# -- memo and freshness ------------------------------------------------------------------
@pytest.mark.usefixtures("ledger")
def test_a_repeated_call_is_a_memo_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    real = functions.rm_share

    def counting(*args: Any) -> Any:
        calls.append(args[1:])
        return real(*args)

    monkeypatch.setitem(functions.FUNCTIONS, "RM_SHARE", (counting, 3, 4))
    for _ in range(3):
        assert RM_SHARE("region", "Africa", 2022.0) == 2_550_000 / 2_650_000
    assert RM_SHARE("region", "Africa", [2022.0]) == 2_550_000 / 2_650_000  # a list: no memo
    assert RM_SHARE("region", "Africa", [2022.0]) == 2_550_000 / 2_650_000
    assert calls == [
        ("region", "Africa", 2022.0, None),
        *[("region", "Africa", [2022.0], None)] * 2,
    ]


@pytest.mark.usefixtures("ledger")
def test_the_memo_tells_true_from_one() -> None:
    assert RM_TOP(1, 2022.0)[1][0] == "Swiss FDFA"
    assert "n must be a whole number" in RM_TOP(True, 2022.0)


def test_an_edited_ledger_changes_the_next_answer(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Path] = []
    real = loader.check
    monkeypatch.setattr(
        loader,
        "check",
        lambda root, today=None, parallel=False: reads.append(root) or real(root),
    )
    for _ in range(5):
        assert RM_TOTAL(2022.0) == 2_650_000.0
    assert len(reads) == 1  # checked at every call (interval 0), read once
    path = ledger / "agreements" / "2022.yaml"
    mtime = path.stat().st_mtime_ns
    path.write_text(path.read_text(encoding="utf-8").replace("100000", "300000"), encoding="utf-8")
    os.utime(path, ns=(mtime, mtime + 1_000_000))
    assert RM_TOTAL(2022.0) == 2_850_000.0
    assert RM_SHARE("region", "Multi-regions", 2022.0) == 300_000 / 2_850_000
    assert len(reads) == 2


# -- which ledger ------------------------------------------------------------------------
def caller_in(book: Path | str) -> Any:
    """A stand-in for xlwings' caller range: cell B2 of a sheet of ``book``."""
    return SimpleNamespace(sheet=SimpleNamespace(book=SimpleNamespace(fullname=str(book))))


def test_ledger_is_found_above_the_workbook(small: Path) -> None:
    book = small.parent / "workbook" / "reports" / "rm.xlsm"
    assert udfs.ledger_root(caller_in(book)) == str(small)
    assert RM_INFO("ledger", caller_in(book)) == str(small.resolve())
    assert RM_TOTAL(2022.0, None, None, None, caller_in(book)) == 2_650_000.0


def test_ledger_beside_the_workbook(small: Path) -> None:
    assert udfs.ledger_root(caller_in(small.parent / "rm.xlsm")) == str(small)


def test_environment_wins_over_the_workbook(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RMXL_LEDGER", str(tmp_path / "elsewhere"))
    assert udfs.ledger_root(caller_in(small.parent / "rm.xlsm")) == str(tmp_path / "elsewhere")


@pytest.mark.parametrize(
    "caller",
    [
        None,
        SimpleNamespace(),  # no sheet: the attribute lookup fails
        caller_in("Book1"),  # never saved
        caller_in("https://example.sharepoint.com/sites/rm/rm.xlsm"),  # online only
    ],
)
def test_otherwise_the_ledger_folder_here(caller: Any) -> None:
    assert udfs.ledger_root(caller) == "ledger"


def test_no_ledger_above_the_workbook(tmp_path: Path) -> None:
    assert udfs.ledger_root(caller_in(tmp_path / "alone" / "rm.xlsm")) == "ledger"


# -- RM_CHART ----------------------------------------------------------------------------
class Pictures:
    def __init__(self) -> None:
        self.added: list[tuple[Any, dict[str, Any]]] = []

    def add(self, image: Any, **options: Any) -> None:
        self.added.append((image, options))


def chart_caller(book: str = "") -> Any:
    pictures = Pictures()
    sheet = SimpleNamespace(pictures=pictures, book=SimpleNamespace(fullname=book))
    return SimpleNamespace(
        sheet=sheet, address="$B$2", offset=lambda rows, cols: ("offset", rows, cols)
    )


@pytest.mark.usefixtures("ledger")
def test_chart_places_a_picture_next_to_the_cell() -> None:
    caller = chart_caller()
    title = "funds by region, 2022 (USD million)"
    assert RM_CHART("region", 2022.0, None, None, caller) == title
    [(image, options)] = caller.sheet.pictures.added
    assert options == {"name": "RM_CHART B2", "update": True, "anchor": ("offset", 0, 1)}
    assert isinstance(image, Figure)
    assert image.get_suptitle() == title
    widths = [bar.get_width() for bar in image.axes[0].patches]  # in row order
    assert widths == [2.55, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1]  # USD million
    from xlwings.utils import process_image  # what pictures.add does with the figure

    path, temporary = process_image(image, format="png", export_options=None)
    assert temporary and Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    Path(path).unlink()


@pytest.mark.usefixtures("ledger")
def test_chart_bars_of_counts_and_pie_of_shares() -> None:
    caller = chart_caller()
    assert RM_CHART("region", "2022", " Agreements ", " BAR", caller).endswith("(number)")
    widths = [bar.get_width() for bar in caller.sheet.pictures.added[0][0].axes[0].patches]
    assert widths == [1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]  # A-1 Africa, A-3 Europe, A-2 multi
    caller = chart_caller()
    title = RM_CHART("partner_type", "2022", "partners", "pie", caller)
    assert title == "partners by partner type, 2022 (share)"
    wedges = caller.sheet.pictures.added[0][0].axes[0].patches
    assert len(wedges) == 3  # government (2 of 4 partners), private sector, academia
    assert wedges[0].theta2 - wedges[0].theta1 == pytest.approx(180.0)


@pytest.mark.usefixtures("ledger")
def test_chart_with_nothing_to_draw_says_so() -> None:
    message = RM_CHART("region", 2023.0, "itu_funds", "pie", chart_caller())
    assert message == "every region of 2023 has 0 itu_funds"
    assert RM_CHART("region", 2022.0, None, "column") == "unknown chart kind 'column' (bar, pie)"


@pytest.mark.usefixtures("ledger")
def test_chart_without_excel_only_names_it() -> None:
    assert RM_CHART("region", 2022.0) == (
        "funds by region, 2022 (USD million) (a chart is drawn only when called from an Excel cell)"
    )


def test_wizard_descriptions_fit_excel() -> None:
    for fn in (RM_SHARE, RM_TOTAL, RM_BREAKDOWN, RM_TOP, RM_INFO, RM_CHART):
        assert fn.__doc__ and len(fn.__doc__) <= 255 and "\n" not in fn.__doc__


@pytest.mark.usefixtures("ledger")
def test_docs_show_the_messages_the_cells_show() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "spreadsheets.md").read_text("utf-8")
    for message in (
        RM_SHARE("region", "Afirca", 2022.0),
        RM_SHARE("region", "Africa", "2022x"),
        RM_SHARE("region", "Africa", 1999.0),
        RM_TOTAL(2022.0, "funds", "region"),
        RM_TOP(0.0, 2022.0),
        RM_INFO("comit"),
        RM_CHART("region", 2022.0, None, "pi"),
        RM_CHART("region", 2023.0, "itu_funds", "pie", chart_caller()),
    ):
        assert f"`{message}`" in doc
    for name in ("RM_SHARE", "RM_TOTAL", "RM_BREAKDOWN", "RM_TOP", "RM_INFO", "RM_CHART"):
        assert f"### {name}(" in doc
