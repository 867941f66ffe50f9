"""The warnings of issue 10: a rate that jumps, an amount far above all others, an
agreement id that hurts in links and spreadsheets (docs/semantics.md, Validation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AGREEMENTS, RATES, base_files, codes, diagnose, write_ledger


def warnings_of(tmp_path: Path, **files: str) -> list[tuple[str, int]]:
    diags = diagnose(write_ledger(tmp_path / "l", base_files(**files)))
    assert codes(diags) == []  # warnings only: the ledger stays valid
    return [c for c in codes(diags, "warning") if c[0] != "rate-stale"]


@pytest.mark.parametrize(
    "eur, jump",
    [
        ("0.92, 2022-02-01: 1.105", True),  # inverted: USD per EUR (1/0.92 = 1.087)
        ("0.92, 2022-02-01: 0.93", False),
        ("0.92, 2022-02-01: 1.40", True),  # +52%
        ("0.92, 2022-02-01: 1.38", False),  # +50%: not more than half
        ("0.92, 2022-02-01: 0.45", True),  # -51%
        ("130, 2022-02-01: 0.0077", True),  # JPY per USD, then USD per JPY
    ],
)
def test_rate_jump(tmp_path: Path, eur: str, jump: bool) -> None:
    rates = RATES + "  EUR: {2022-01-01: " + eur + "}\n"
    found = warnings_of(tmp_path, **{"rates.yaml": rates})
    assert found == ([("rate-jump", 5)] if jump else [])


def test_demo_rates_do_not_jump() -> None:
    from conftest import DEMO

    assert [c for c in codes(diagnose(DEMO), None) if c[0] == "rate-jump"] == []


def contributions(amounts: list[int]) -> str:
    rows = "".join(
        f"  - {{id: C-{i}, title: T{i}, signed: 2022-05-0{1 + i % 9}, partners: [acme], "
        f"regions: [africa], priorities: [cybersecurity], "
        f"contributions: [{{by: acme, amount: {a}, currency: USD}}]}}\n"
        for i, a in enumerate(amounts)
    )
    return AGREEMENTS + rows


def test_amount_far_above_every_other(tmp_path: Path) -> None:
    # the base ledger's largest is CHF 2,400,000 = USD 2,500,000; 250,000,000 is 100 times
    amounts = [1000 + i for i in range(6)] + [250_000_000]
    found = warnings_of(tmp_path, **{"agreements/2022.yaml": contributions(amounts)})
    assert found == [("amount-outlier", 39)]


def test_amount_below_a_hundred_times_the_next_is_fine(tmp_path: Path) -> None:
    amounts = [1000 + i for i in range(6)] + [249_999_999]
    assert warnings_of(tmp_path, **{"agreements/2022.yaml": contributions(amounts)}) == []


def test_few_contributions_give_no_outlier(tmp_path: Path) -> None:
    # 4 + 5 = 9 contributions: too few to call one far above "every other"
    amounts = [1000 + i for i in range(4)] + [250_000_000]
    assert warnings_of(tmp_path, **{"agreements/2022.yaml": contributions(amounts)}) == []


@pytest.mark.parametrize(
    "aid, warned",
    [
        ("BDT 2022 001", True),
        ("BDT/2022/001", True),
        ("BDT-2022#1", True),
        ("BDT-2022-0*", True),
        ("-BDT-1", True),
        ("BDT-2022-001", False),
        ("bdt_2022.1", False),
    ],
)
def test_awkward_agreement_id(tmp_path: Path, aid: str, warned: bool) -> None:
    text = AGREEMENTS.replace("id: A-1", f"id: '{aid}'")
    found = warnings_of(tmp_path, **{"agreements/2022.yaml": text})
    assert found == ([("awkward-id", 2)] if warned else [])
