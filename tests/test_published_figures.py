"""The demo ledger reproduces every figure of the seed report.

Table-driven from tests/data/published-figures.yaml (a copy of the product's
shared/spec/published-figures.yaml): each key maps to one query, and each value is
asserted exactly (USD to the dollar, counts exactly); the Jan–Apr 2022 comparison,
published rounded, is asserted at its printed rounding.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from rmxl.pipeline.load import check, figures
from rmxl.query.figures import Figures

from conftest import DEMO

DATA = Path(__file__).parent / "data" / "published-figures.yaml"
PUBLISHED: dict[str, Any] = YAML(typ="safe").load(DATA.read_text(encoding="utf-8"))
TOTALS = ("agreements", "funded_agreements", "partners", "funds", "partner_funds", "itu_funds")
BREAKDOWNS = {  # key in the YAML → (dimension, measure)
    "partners_by_partner_type": ("partner_type", "partners"),
    "partner_funds_by_partner_type": ("partner_type", "partner_funds"),
    "partners_by_membership": ("membership", "partners"),
    "agreements_by_region": ("region", "agreements"),
    "funds_by_region": ("region", "funds"),
    "agreements_by_priority": ("priority", "agreements"),
    "funds_by_priority": ("priority", "funds"),
}


@pytest.fixture(scope="module")
def fig() -> Figures:
    return figures(DEMO)


def _cases(kind: str) -> list[Any]:
    out = []
    for period, figs in PUBLISHED.items():
        for key, value in figs.items():
            if kind == "total" and key in TOTALS:
                out.append(pytest.param(period, key, value, id=f"{period}-{key}"))
            elif kind == "bucket" and key in BREAKDOWNS:
                for code, v in value.items():
                    out.append(pytest.param(period, key, code, v, id=f"{period}-{key}-{code}"))
    return out


def test_demo_ledger_validates_cleanly() -> None:
    ledger, diags = check(DEMO)
    assert ledger is not None and diags == []
    assert len(ledger.agreements) == 101


@pytest.mark.parametrize(("period", "measure", "expected"), _cases("total"))
def test_total(fig: Figures, period: str, measure: str, expected: Any) -> None:
    got = fig.total(period, measure)
    if isinstance(expected, dict):  # published rounded: "3.43 (USD million)"
        printed = float(re.match(r"[\d.]+", expected["printed"])[0])  # type: ignore[index]
        assert round(got / 1e6, 2) == printed
    else:
        assert got == expected


@pytest.mark.parametrize(("period", "key", "code", "expected"), _cases("bucket"))
def test_bucket(fig: Figures, period: str, key: str, code: str, expected: Any) -> None:
    dim, measure = BREAKDOWNS[key]
    count = expected["count"] if isinstance(expected, dict) else expected
    assert fig.value(dim, code, period, measure) == count
    if isinstance(expected, dict) and "note" not in expected:  # the printed percentage
        share = fig.share(dim, code, period, measure)
        assert f"{share * 100:.0f}%" == expected["from"]


@pytest.mark.parametrize("period", [p for p in PUBLISHED if "top_partners" in PUBLISHED[p]])
def test_top_partners(fig: Figures, period: str) -> None:
    top = fig.top(3, period)
    expected = PUBLISHED[period]["top_partners"]
    assert [r.partner for r in top] == [e["partner"] for e in expected]
    assert [r.signed for r in top] == [e["printed"] for e in expected]


@pytest.mark.parametrize("period", list(PUBLISHED))
def test_breakdowns_have_no_unpublished_bucket(fig: Figures, period: str) -> None:
    """Buckets absent from the published lists are zero (the report lists all others)."""
    for key, (dim, measure) in BREAKDOWNS.items():
        if key not in PUBLISHED[period] or dim == "membership":
            continue
        listed = set(PUBLISHED[period][key])
        bd = fig.breakdown(dim, period, measure)
        extra = {
            b.code: v
            for b, v in zip(bd.buckets, bd.values, strict=True)
            if b.code not in listed and v
        }
        assert extra == {}


# The seed report's chart data (partnerships-report.txt), exact fractions as printed.
SEED_CHARTS = [
    ("partner_type", "Governmental entities", 2022, "funds", 0.75591283968683143),
    ("partner_type", "UN organizations", 2022, "funds", 0.1845459914752943),
    ("partner_type", "Foundations", 2022, "funds", 1.7172596154231437e-3),
    ("region", "Africa", 2022, "funds", 6.6484097710276691e-2),
    ("region", "Multi-regions", 2022, "agreements", 0.39436619718309857),
    ("region", "Asia-Pacific", 2022, "funds", 0.43300187770734178),
    ("priority", "Network & Digital Infrastructure", 2022, "funds", 0.38858779592608761),
    ("priority", "Digital Inclusion", 2022, "agreements", 0.25352112676056338),
    ("region", "Multi-regions", "2023-01..2023-04", "funds", 0.89903940951393735),
    (
        "priority",
        "Enabling policy & regulatory environment",
        "2023-01..2023-04",
        "funds",
        0.62965566941126372,
    ),
    ("priority", "Multi-priorities", "2023-01..2023-04", "agreements", 0.16666666666666666),
]


@pytest.mark.parametrize(("dim", "bucket", "period", "measure", "fraction"), SEED_CHARTS)
def test_seed_chart_fractions(
    fig: Figures, dim: str, bucket: str, period: Any, measure: str, fraction: float
) -> None:
    assert fig.share(dim, bucket, period, measure) == pytest.approx(fraction, rel=1e-15)


def test_cofinancing_split(fig: Figures) -> None:
    p = "2023-01..2023-04"
    assert fig.total(p, "itu_funds") / fig.total(p) == pytest.approx(
        1.6018473406189643e-2, rel=1e-15
    )


def test_spec_worked_examples(fig: Figures) -> None:
    """ledger-format.md §4, exactly."""
    assert fig.share("region", "Africa", 2022) == 642_886 / 9_669_771
    assert fig.share("region", "Africa", 2022, "agreements") == 9 / 71
    assert fig.share("partner_type", "Governmental entities", 2022) == 6_602_783 / 8_734_847
    assert fig.share("partner_type", "Governmental entities", 2022, "partners") == 24 / 57
