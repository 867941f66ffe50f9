"""Excel-proof answers (issue 12, spec §6 "Functions", "Periods", "Names"): what a
spreadsheet cell shows for Excel-shaped arguments, one test per case, and a fuzz of the
whole function layer.

The inline ledger (tests/conftest.py): 2022 holds A-1 (Swiss FDFA, USD 2,500,000 + ITU
USD 50,000, Africa, signed 2022-03-14), A-2 (Acme USD 100,000 with Norway MFA, Africa +
Europe) and A-3 (University X and Acme, no money, Europe).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rmxl.diagnostics import QueryError
from rmxl.pipeline.load import figures
from rmxl.query.figures import Figures
from rmxl.query.functions import FUNCTIONS, TEXT_LIMIT, call, cell_answer

from conftest import PARTNERS, base_files, run_cli, write_ledger

LONG_NAME = "Ministry of " + "Very Long Names and " * 20 + "Affairs"  # 412 characters


@pytest.fixture(scope="module")
def fig(tmp_path_factory: pytest.TempPathFactory) -> Figures:
    root = tmp_path_factory.mktemp("excel") / "ledger"
    partners = PARTNERS.replace("name: Swiss FDFA", f'name: "{LONG_NAME}"')
    return figures(write_ledger(root, base_files(**{"partners.yaml": partners})))


def texts(value: Any) -> list[str]:
    """Every text in an answer (a table's cells too)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    return []


# -- at most 255 characters -----------------------------------------------------------
def test_a_long_partner_name_is_shortened_in_tables(fig: Figures) -> None:
    assert len(LONG_NAME) > 400
    top = cell_answer(fig, "RM_TOP", [3, 2022])
    assert top[1][0] == LONG_NAME[:254] + "…" and len(top[1][0]) == TEXT_LIMIT
    assert top[1][1] == 2_500_000.0  # the number is untouched
    table = cell_answer(fig, "RM_BREAKDOWN", ["partner", 2022])
    assert max(len(t) for t in texts(table)) == TEXT_LIMIT


def test_a_long_ledger_path_is_shortened_in_rm_info(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["a-rather-long-folder-name-for-a-ledger"] * 8, "ledger")
    f = figures(write_ledger(deep, base_files()))
    assert len(str(deep)) > 300
    shown = cell_answer(f, "RM_INFO", ["ledger"])
    assert len(shown) == TEXT_LIMIT and shown.endswith("…")
    assert shown[:-1] == str(deep.resolve())[:254]


def test_unknown_partner_gives_the_closest_names_not_the_list(tmp_path: Path) -> None:
    many = "partners:\n" + "".join(
        f"  - {{id: p{i}, name: Partner organisation number {i} of a long list, type: other}}\n"
        for i in range(60)
    )
    f = figures(write_ledger(tmp_path / "l", base_files(**{"partners.yaml": many + PARTNERS[10:]})))
    text = cell_answer(f, "RM_TOTAL", [2022, "funds", "partner", "Swiss FDFAA"])
    assert text.startswith("unknown partner 'Swiss FDFAA' — did you mean 'Swiss FDFA'?")
    assert len(text) <= TEXT_LIMIT and "number 59" not in text


# -- errors in arguments --------------------------------------------------------------
@pytest.mark.parametrize("error", ["#N/A", "#VALUE!", "#REF!", " #div/0! "])
def test_an_error_cell_is_an_error_not_an_omitted_argument(fig: Figures, error: str) -> None:
    answer = cell_answer(fig, "RM_SHARE", ["region", "Africa", 2022, error])
    assert answer == f"measure is the error {error.strip()} (from its cell)"
    with pytest.raises(QueryError) as e:
        call(fig, "RM_TOTAL", [error])
    assert e.value.code == "error-argument"


def test_a_range_where_one_value_is_expected_says_so(fig: Figures) -> None:
    answer = cell_answer(fig, "RM_SHARE", ["region", [["Africa"], [None]], 2022])
    assert answer == "bucket is a range of 2 cells; give one value (one cell)"
    assert cell_answer(fig, "RM_SHARE", ["region", [["Africa"]], [2022.0]]) == pytest.approx(
        2_550_000 / 2_650_000  # A-1 alone: A-2 is in the Multi-regions bucket
    )


# -- periods --------------------------------------------------------------------------
def test_an_excel_date_serial_is_that_day(fig: Figures) -> None:
    # 44634 = 2022-03-14 in Excel's 1900 date system (days since 1899-12-30): A-1's day
    assert call(fig, "RM_TOTAL", [44634.0, "agreements"]) == 1
    assert call(fig, "RM_TOTAL", [44634, "funds"]) == 2_550_000.0
    assert call(fig, "RM_TOTAL", [44635, "agreements"]) == 0


@pytest.mark.parametrize("text", ["２０２３", "2023-1", "2023-1-5", "2022-03-1"])
def test_only_ascii_two_digit_forms(fig: Figures, text: str) -> None:
    with pytest.raises(QueryError) as e:
        call(fig, "RM_TOTAL", [text])
    assert e.value.code == "bad-period"


# -- names ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("alias", "closest"),
    [("type", "partner_type"), ("regions", "region"), ("Types", "partner_type")],
)
def test_a_dimension_alias_is_an_error_with_the_closest_name(
    fig: Figures, alias: str, closest: str
) -> None:
    with pytest.raises(QueryError) as e:
        call(fig, "RM_SHARE", [alias, "Africa", 2022])
    assert e.value.code == "unknown-dimension" and f"did you mean '{closest}'?" in str(e.value)


# -- empty periods, zero totals ---------------------------------------------------------
def test_rm_total_of_an_empty_period_is_0_with_or_without_a_bucket(fig: Figures) -> None:
    assert call(fig, "RM_TOTAL", [1999]) == 0
    assert call(fig, "RM_TOTAL", [1999, "funds", "region", "Africa"]) == 0
    assert call(fig, "RM_TOTAL", [1999, "agreements", "partner", "acme"]) == 0
    with pytest.raises(QueryError) as e:  # a bucket that does not exist is still an error
        call(fig, "RM_TOTAL", [1999, "funds", "region", "Afirca"])
    assert "did you mean 'Africa'?" in str(e.value)


def test_a_zero_totals_share_is_an_empty_cell(fig: Figures) -> None:
    # 2022-09 holds only A-3, which has no money: funds total 0
    table = call(fig, "RM_BREAKDOWN", ["region", "2022-09"])
    assert [r[1:] for r in table[1:]] == [[0.0, None]] * 7
    code, out, _ = run_cli(
        "eval", "--ledger", str(fig.compiled.ledger.root), 'RM_BREAKDOWN("region","2022-09")'
    )
    assert code == 0 and out.splitlines()[1] == "Africa\t0.0\t"


def test_rm_top_of_a_count_lists_partners_whose_value_is_0(fig: Figures) -> None:
    # funded agreements of 2022: A-1 (Swiss FDFA), A-2 (Norway MFA, Acme); University X
    # is a party only of A-3, which has no money
    table = call(fig, "RM_TOP", [10, 2022, "funded_agreements"])
    assert table[0] == ["partner", "funded_agreements", "signed"]
    assert [r[:2] for r in table[1:]] == [
        ["Acme Telecom", 1],
        [LONG_NAME, 1],
        ["Norway MFA", 1],
        ["University X", 0],
    ]


# -- rmxl eval ------------------------------------------------------------------------
def test_eval_keeps_one_line_per_expression(fig: Figures) -> None:
    root = str(fig.compiled.ledger.root)
    code, out, err = run_cli(
        "eval", "--ledger", root, "RM_TOTAL(2022)", 'RM_TOTAL(2022,"fund")', "RM_TOTAL(2023)"
    )
    assert code == 1
    assert out.splitlines() == ["2650000.0", "#ERROR", "10000.0"]
    assert "did you mean 'funds'?" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("expr", "why"),
    [
        ("RM_TOP(1e400,2022)", "too large"),
        ("RM_TOTAL(" + "9" * 5000 + ")", "too long"),
        ('RM_TOTAL("' + "9" * 5000 + '")', "is not a period"),
    ],
)
def test_eval_huge_numbers_give_a_clear_error(fig: Figures, expr: str, why: str) -> None:
    code, out, err = run_cli("eval", "--ledger", str(fig.compiled.ledger.root), expr)
    assert code == 1 and out == "#ERROR\n"
    assert why in err and "Traceback" not in err and len(err) < 500


# -- the class: fuzz ------------------------------------------------------------------
ERRORS = ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!"]
NAMES = [
    "region",
    "partner_type",
    "partner",
    "country",
    "currency",
    "priority",
    "Africa",
    "acme",
    "funds",
    "agreements",
    "funded_agreements",
    "partners",
    "2022",
    "2022Q1",
    "2022-01..2023-12",
    "ledger",
    "commit",
    "CHF",
    "CH",
    "multi",
    "none",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([400, 4400, 5000]).map(lambda k: 10**k),  # too long to print
    st.sampled_from([0, 1, 3, 2022, 45000, 2958465, 2958466, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([2022.0, 2023.0, 44634.0, 1e308, 2.5, -0.0]),
    st.text(max_size=600),
    st.sampled_from(ERRORS + NAMES),
    st.dates(),
    st.datetimes(),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3), max_leaves=6)


@example(name="RM_TOP", args=[None, None, 10**4400])  # found by this test: str() overflowed
@example(name="RM_TOTAL", args=[2022, "funds", "partner", 10**5000])
@example(name="RM_SHARE", args=[10**4400, "Africa", 2022])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from([*FUNCTIONS, "rm_total", " RM_TOP ", "RM_NOPE", "x" * 300]),
    args=st.lists(VALUES, max_size=5),
)
def test_the_function_layer_never_raises_nor_returns_long_text(
    fig: Figures, name: str, args: list[Any]
) -> None:
    with contextlib.suppress(QueryError):  # QueryError is the only exception allowed
        call(fig, name, list(args))
    answer = cell_answer(fig, name, list(args))
    assert all(len(t) <= TEXT_LIMIT for t in texts(answer))
    if isinstance(answer, float):
        assert answer == answer and abs(answer) != float("inf")
    assert not isinstance(answer, dt.date)
