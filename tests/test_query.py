"""Query semantics (spec §3) on a small inline ledger whose figures are worked by hand.

The ledger (tests/conftest.py): A-1 2022-03-14 Swiss FDFA CHF 2,400,000 at 0.96 =
USD 2,500,000 + ITU USD 50,000, Africa, digital-inclusion; A-2 2022-07-01 Norway MFA +
Acme (USD 100,000 by Acme), Africa+Europe (multi), cybersecurity; A-3 2022-09-30 Uni X +
Acme, no money, Europe, two priorities (multi); A-4 2023-02-01 Uni X CHF 8,000 at 0.8 =
USD 10,000, Americas, affordable-connectivity (Kigali plan).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rmxl.diagnostics import QueryError
from rmxl.pipeline.load import figures
from rmxl.query.figures import Figures

from conftest import base_files, write_ledger


@pytest.fixture
def fig(small: Path) -> Figures:
    return figures(small)


def test_totals(fig: Figures) -> None:
    assert fig.total(2022) == 2_650_000.0
    assert fig.total(2022, "partner_funds") == 2_600_000.0
    assert fig.total(2022, "itu_funds") == 50_000.0
    assert fig.total(2022, "agreements") == 3
    assert fig.total(2022, "funded_agreements") == 2
    assert fig.total(2022, "partners") == 4
    assert fig.total("2022..2023", "funds") == 2_660_000.0
    assert fig.total(2030, "agreements") == 0  # an empty period totals 0


def test_region_multi_bucket_and_itu_included(fig: Figures) -> None:
    bd = fig.breakdown("region", 2022)
    assert [b.code for b in bd.buckets][-1] == "multi"
    assert dict(zip([b.code for b in bd.buckets], bd.values, strict=True))["africa"] == 2_550_000
    assert fig.value("region", "Multi-regions", 2022) == 100_000.0
    assert fig.share("region", " AFRICA ", 2022) == 2_550_000 / 2_650_000


def test_partner_level_excludes_itu(fig: Figures) -> None:
    assert fig.share("partner_type", "Governmental entities", 2022) == 2_500_000 / 2_600_000
    assert fig.total(2022, "funds", "partner_type", "private-sector") == 100_000.0
    with pytest.raises(QueryError) as e:
        fig.breakdown("partner_type", 2022, "itu_funds")
    assert e.value.code == "itu-not-partner"


def test_partner_level_counts(fig: Figures) -> None:
    # Acme takes part in; Norway in A-2: private-sector in 2, government in 2
    assert fig.value("partner_type", "private-sector", 2022, "agreements") == 2
    assert fig.value("partner_type", "government", 2022, "agreements") == 2
    assert fig.value("partner_type", "government", 2022, "funded_agreements") == 2
    assert fig.value("partner_type", "academia", 2022, "funded_agreements") == 0
    assert fig.share("partner_type", "government", 2022, "partners") == 2 / 4
    assert fig.value("membership", "Not a member", 2022, "partners") == 2


def test_agreement_level_partners_counts_distinct(fig: Figures) -> None:
    # europe: A-3 (uni-x, acme); multi: A-2 (no-mfa, acme)
    assert fig.value("region", "europe", 2022, "partners") == 2
    assert fig.share("region", "multi", 2022, "partners") == 2 / 4


def test_currency_level(fig: Figures) -> None:
    assert fig.value("currency", "chf", 2022) == 2_500_000.0
    assert fig.value("currency", "USD", 2022, "itu_funds") == 50_000.0
    assert fig.value("currency", "USD", 2022, "agreements") == 2


def test_priorities_of_two_plans(fig: Figures) -> None:
    bd = fig.breakdown("priority", "2022..2023", "agreements")
    assert [b.code for b in bd.buckets] == [
        "baap:cybersecurity",
        "baap:digital-inclusion",
        "baap:multi",
        "kap:affordable-connectivity",
        "kap:digital-transformation",
        "kap:multi",
    ]
    assert bd.values == (1, 1, 1, 1, 0, 0)
    assert fig.value("priority", "Multi-priorities", "2022..2023", "agreements") == 0
    assert fig.value("priority", "multi", 2022, "agreements") == 1
    with pytest.raises(QueryError) as e:
        fig.value("priority", "multi", "2022..2023", "agreements")
    assert "baap:multi" in str(e.value)


def test_top_partners_signed_in_their_currency(fig: Figures) -> None:
    top = fig.top(5, 2022)
    assert [(t.partner, t.value, t.signed) for t in top] == [
        ("Swiss FDFA", 2_500_000.0, "CHF 2.4 million"),
        ("Acme Telecom", 100_000.0, "USD 0.1 million"),
    ]
    assert fig.top(1.0, 2022)[0].partner_id == "ch-fdfa"


@pytest.mark.parametrize(
    ("call", "code", "text"),
    [
        (lambda f: f.share("region", "Afirca", 2022), "unknown-bucket", "did you mean 'Africa'?"),
        (lambda f: f.share("regoin", "Africa", 2022), "unknown-dimension", "'region'"),
        (lambda f: f.share("region", "Africa", 2022, "fund"), "unknown-measure", "'funds'"),
        (lambda f: f.share("region", "Africa", 2030), "empty-period", "2030"),
        (lambda f: f.share("region", "Africa", "2023-01", "funds"), "empty-period", "2023-01"),
        (lambda f: f.share("region", "Africa", "2022-09", "funds"), "zero-total", "is 0"),
        (lambda f: f.top(0, 2022), "bad-count", "1 or more"),
    ],
)
def test_errors(fig: Figures, call: object, code: str, text: str) -> None:
    with pytest.raises(QueryError) as e:
        call(fig)  # type: ignore[operator]
    assert e.value.code == code and text in str(e.value)


DIMS = ["region", "priority", "partner_type", "membership", "partner", "country", "currency"]
PARTNER_IDS = ["ch-fdfa", "no-mfa", "acme", "uni-x"]
REGIONS = ["africa", "americas", "europe", "cis"]
PRIOS = ["cybersecurity", "digital-inclusion"]

contribution = st.tuples(
    st.sampled_from([*PARTNER_IDS, "ITU"]), st.integers(1, 10**9), st.sampled_from(["USD", "CHF"])
)
agreement = st.tuples(
    st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2022, 12, 31)),
    st.lists(st.sampled_from(PARTNER_IDS), min_size=1, max_size=3, unique=True),
    st.lists(st.sampled_from(REGIONS), min_size=1, max_size=2, unique=True),
    st.lists(st.sampled_from(PRIOS), min_size=1, max_size=2, unique=True),
    st.lists(contribution, max_size=3),
)


def _yaml(agreements: list[tuple]) -> str:
    out = ["agreements:"]
    for i, (day, parts, regions, prios, cons) in enumerate(agreements):
        out += [
            f"  - id: G-{i}",
            "    title: Generated",
            f"    signed: {day}",
            f"    partners: [{', '.join(parts)}]",
            f"    regions: [{', '.join(regions)}]",
            f"    priorities: [{', '.join(prios)}]",
        ]
        cons = [(by if by == "ITU" or by in parts else parts[0], amt, cur) for by, amt, cur in cons]
        if cons:
            out.append("    contributions:")
            out += [
                f"      - {{by: {by}, amount: {amt}, currency: {cur}}}" for by, amt, cur in cons
            ]
    return "\n".join(out) + "\n"


@settings(max_examples=40, deadline=None)
@given(agreements=st.lists(agreement, min_size=1, max_size=12))
def test_breakdowns_add_up_to_the_total(agreements: list[tuple]) -> None:
    """For money measures at every level, and for counts of agreements at the agreement
    level, the buckets of one breakdown sum to the total and the shares to 1 (spec §3)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = write_ledger(
            Path(tmp) / "l", base_files(**{"agreements/2022.yaml": _yaml(agreements)})
        )
        fig = figures(root)
        for dim in DIMS:
            for measure in ("funds", "partner_funds", "agreements", "funded_agreements"):
                if measure.endswith("agreements") and dim not in ("region", "priority"):
                    continue
                bd = fig.breakdown(dim, 2022, measure)
                assert sum(bd.values) == pytest.approx(bd.total, rel=1e-12, abs=1e-9)
                if bd.total:
                    assert sum(s or 0 for s in bd.shares) == pytest.approx(1.0, rel=1e-12)
        assert fig.total(2022, "funds") == pytest.approx(
            fig.total(2022, "partner_funds") + fig.total(2022, "itu_funds"), abs=1e-6
        )
        assert fig.total(2022, "agreements") == len(agreements)


@pytest.mark.parametrize("name", ["ITU", " itu ", "Itu"])
def test_itu_as_a_partner_bucket_says_itu_is_no_partner(fig: Figures, name: str) -> None:
    """Spec §2: ITU's co-financing component is no partner; asking for it by partner
    names the measure that holds it, instead of suggesting unrelated partner names."""
    for ask in (fig.share, fig.value):
        with pytest.raises(QueryError) as e:
            ask("partner", name, 2022)
        assert e.value.code == "unknown-bucket"
        assert str(e.value).startswith("ITU is no partner") and "itu_funds" in str(e.value)
    fig.use_points()
    with pytest.raises(QueryError, match="ITU is no partner"):
        fig.share("partner", name, 2022)
