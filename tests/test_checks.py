"""rmxl.validate.checks (and rmxl.validate.money's shortcuts): the fast paths give what
the general ones give (issue 14).

Each fast path is compared with the rule it shortcuts, on generated inputs: blank text
(spaces and invisible format characters), one-line text, whole amounts and rates at the
limits, records with missing, unknown and ``x_`` keys, lists of strings, the below-a-cent
test skipped for a whole unit at 100 or fewer per USD, remembered rate and action plan lookups.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rmxl.model import Rates
from rmxl.money import MAX_AMOUNT, MAX_RATE, usd_cents
from rmxl.pipeline.load import check
from rmxl.read.files import LMap, LSeq
from rmxl.validate.checks import Checker, blank, key_problems, where
from rmxl.validate.money import rate_finder
from rmxl.validate.taxonomy import plan_finder

# spaces (ASCII, NBSP, ideographic, line breaks), format characters (Cf: zero-width space
# and joiners, direction marks, word joiner, BOM, soft hyphen), a combining mark (visible:
# Mn), letters
TRICKY = " \t\n\x0b\x0c\r\x85\xa0\u1680\u2000\u2028\u2029\u3000" + (
    "\u200b\u200c\u200d\u200e\u200f\u2060\u2066\ufeff\u00ad\u061c\u0301ab\u00e9"
)


def _visible(text: str) -> str:
    """The rule before issue 14: every character that is not a space nor Cf."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


@given(st.text(alphabet=TRICKY, max_size=12) | st.text(max_size=12))
def test_blank_is_the_visible_rule(text: str) -> None:
    assert blank(text) == (not _visible(text))


def test_blank_edge_cases() -> None:
    assert blank("") and blank(" \u200b\ufeff\u00ad ") and blank("\u2028\u200d")
    assert not blank("\u200ba") and not blank("\u0301") and not blank("  x")


def _map(values: dict[Any, Any]) -> LMap:
    m = LMap("f.yaml", (1, 1))
    for i, (k, v) in enumerate(values.items(), 2):
        m[k], m.key_pos[k], m.val_pos[k] = v, (i, 3), (i, 9)
    return m


@given(st.text(alphabet=TRICKY, max_size=8))
def test_text_breaks_rule(text: str) -> None:
    """``bad-text`` exactly when a one-line text holds a tab or a line break."""
    ck = Checker()
    ck.text(_map({"name": "x" + text}), "name", "partner")
    assert [d.code for d in ck.diags] == (
        ["bad-text"] if any(c in text for c in "\t\n\r\x0b\x0c\x85\u2028\u2029") else []
    )


def _positive(value: Any, code: str) -> tuple[Decimal | None, list[tuple[str, str, int]]]:
    ck = Checker()
    got = ck.positive(_map({"amount": value}), "amount", "agreement A contribution", code)
    return got, [(d.code, d.message, d.source.line if d.source else 0) for d in ck.diags]


WHOLE = st.sampled_from(
    [0, 1, 2, 10**9, 10**9 + 1, 10**15 - 1, 10**15, 10**15 + 1, 10**16, 123456789012345678]
) | st.integers(min_value=-(10**17), max_value=10**17)


@given(WHOLE, st.sampled_from(["bad-amount", "bad-rate"]))
def test_whole_numbers_as_their_decimal(value: int, code: str) -> None:
    """A whole number is checked as the same value written with decimals would be."""
    got, diags = _positive(value, code)
    assert (got, diags) == _positive(Decimal(value), code)
    if got is not None:
        assert type(got) is Decimal and got == value


def test_whole_number_limits() -> None:
    assert _positive(10**15, "bad-amount")[0] == MAX_AMOUNT
    assert _positive(10**15 + 1, "bad-amount")[1][0][0] == "bad-amount"
    assert _positive(10**9, "bad-rate")[0] == MAX_RATE
    assert _positive(10**9 + 1, "bad-rate")[1][0][0] == "bad-rate"
    assert _positive(True, "bad-amount")[1][0][1].endswith("not a boolean 'True'")
    assert _positive(0, "bad-amount")[1][0][1].endswith("must be greater than 0")


KEYS = st.sets(st.sampled_from(["id", "title", "signed", "notes", "x_tag", "titel", 7]))


@given(KEYS)
def test_record_clean_exactly_without_key_problems(keys: set[Any]) -> None:
    required, optional = ("id", "title", "signed"), ("notes",)
    ck = Checker()
    m = _map({k: "v" for k in sorted(keys, key=str)})
    assert ck.record(m, m.src(), "agreement", required, optional) is m
    unknown, missing = key_problems(m, required, optional)
    assert [d.code for d in ck.diags] == ["unknown-key"] * len(unknown) + ["missing-key"] * len(
        missing
    )


@given(st.lists(st.sampled_from(["a", "b", "c", 1, None]), max_size=5))
def test_text_items_and_their_sources(items: list[Any]) -> None:
    seq = LSeq("f.yaml", (2, 9))
    seq.extend(items)
    seq.item_pos = [(2, 10 + 3 * i) for i in range(len(items))]
    m = _map({"partners": seq})
    ck = Checker()
    got = ck.text_list(m, "partners", "agreement A", nonempty=False)
    assert got is not None
    kept = [(s, i) for i, s in enumerate(items) if isinstance(s, str) and s not in items[:i]]
    assert got == [(s, seq.item_src(i)) for s, i in kept]
    assert len(ck.diags) == len(items) - len(kept)
    lone = _map({"partners": "a"})
    assert Checker().text_list(lone, "partners", "x", True) == [("a", lone.val_src("partners"))]
    assert where(lone, "partners", -1) == lone.val_src("partners")


@given(
    st.decimals(min_value=1, max_value=MAX_AMOUNT, places=4, allow_nan=False),
    st.decimals(min_value=Decimal("0.000001"), max_value=100, places=6, allow_nan=False),
)
def test_a_whole_unit_at_100_per_usd_is_worth_a_cent(amount: Decimal, rate: Decimal) -> None:
    """Why rmxl.validate.agreements asks for ``amount-below-cent`` only below 1 unit or
    above 100 units per USD: otherwise the USD value is at least a cent."""
    assert usd_cents(amount, rate) >= 1
    assert usd_cents(Decimal(1), Decimal(100)) == 1 and usd_cents(Decimal(1), Decimal(201)) == 0


def test_rate_finder_is_lookup() -> None:
    """rmxl.validate.money.rate_finder remembers Rates.lookup, answers unchanged."""
    day = dt.date(2022, 1, 1)
    rates = Rates(
        {
            "CHF": ((day, Decimal("0.96")), (dt.date(2022, 6, 1), Decimal("0.8"))),
            "EUR": ((dt.date(2022, 3, 1), Decimal("0.9")),),
        }
    )
    find = rate_finder(rates)
    days = [day + dt.timedelta(days=n) for n in range(-40, 400, 7)]
    for _ in range(2):  # the second time from the memo
        for cur in ("CHF", "EUR", "USD", "GBP"):
            assert [find(cur, d) for d in days] == [rates.lookup(cur, d) for d in days]
    assert find("CHF", dt.date(2021, 12, 31)) is None and find("GBP", day) is None
    assert find("CHF", dt.date(2022, 6, 1)) == (dt.date(2022, 6, 1), Decimal("0.8"))


def test_plan_finder_is_plan_on(small: Path) -> None:
    """rmxl.validate.taxonomy.plan_finder remembers Taxonomy.plan_on and its codes."""
    ledger, _ = check(small, today=dt.date(2026, 1, 1))
    assert ledger is not None
    tax = ledger.taxonomy
    plans = plan_finder(tax)
    days = [dt.date(2017, 12, 30) + dt.timedelta(days=n) for n in range(0, 2200, 3)]
    days += [dt.date(2022, 12, 31), dt.date(2023, 1, 1), dt.date(2017, 12, 31)]
    for _ in range(2):
        for day in days:
            plan, codes = plans(day)
            assert plan == tax.plan_on(day)
            assert codes == frozenset(plan.priorities.codes() if plan else ())
    assert plans(dt.date(2017, 12, 31)) == (None, frozenset())
    assert plan_finder(None)(dt.date(2022, 1, 1)) == (None, frozenset())
