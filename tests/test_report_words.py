"""How the report says periods, counts and lists (rmxl/report_words.py; seed §3 and §4)."""

from __future__ import annotations

import pytest

from rmxl.query.periods import parse_period
from rmxl.render.report.words import (
    agreements_word,
    comparison_phrase,
    join_and,
    period_slug,
    short_label,
    top_intro,
    when_in,
)


@pytest.mark.parametrize(
    ("period", "start", "mid"),
    [
        ("2022", "In 2022", "in 2022"),
        ("2022-01..2022-12", "In 2022", "in 2022"),
        (
            "2023-01..2023-04",
            "From 1 January to 30 April 2023",
            "between 1 January and 30 April 2023",
        ),
        ("2023Q1", "From 1 January to 31 March 2023", "between 1 January and 31 March 2023"),
        ("2023-04", "In April 2023", "in April 2023"),
        ("2023-04-30", "On 30 April 2023", "on 30 April 2023"),
        (
            "2022-11..2023-02",
            "From 1 November 2022 to 28 February 2023",
            "between 1 November 2022 and 28 February 2023",
        ),
    ],
)
def test_when_in(period: str, start: str, mid: str) -> None:
    p = parse_period(period)
    assert (when_in(p), when_in(p, lower=True)) == (start, mid)


@pytest.mark.parametrize(
    ("period", "label", "slug"),
    [
        ("2022", "2022", "2022"),
        ("2023-01..2023-04", "Jan-Apr 2023", "2023-01-to-2023-04"),
        ("2023-04", "Apr 2023", "2023-04"),
        ("2023H1", "Jan-Jun 2023", "2023H1"),
        ("2022-11..2023-02", "Nov 2022-Feb 2023", "2022-11-to-2023-02"),
        ("2023-01-10..2023-02-05", "2023-01-10 - 2023-02-05", "2023-01-10-to-2023-02-05"),
    ],
)
def test_short_label_and_slug(period: str, label: str, slug: str) -> None:
    p = parse_period(period)
    assert (short_label(p), period_slug(p)) == (label, slug)


def test_comparison_phrase_same_days_of_two_years() -> None:
    a, b = parse_period("2022-01..2022-04"), parse_period("2023-01..2023-04")
    assert comparison_phrase(a, b) == "the period 1 January – 30 April in both 2022 and 2023"
    c = parse_period("2023-01..2023-03")
    assert comparison_phrase(a, c) == "the periods Jan-Apr 2022 and Jan-Mar 2023"


def test_counts_and_lists() -> None:
    assert agreements_word(1) == "1 agreement" and agreements_word(1234) == "1,234 agreements"
    assert join_and(["a"]) == "a" and join_and(["a", "b", "c"]) == "a, b and c"
    assert top_intro(3) == "The three funding partners with the largest financial contributions"
    assert top_intro(1) == "The funding partner with the largest financial contribution"
    assert top_intro(12).startswith("The 12 funding partners")
