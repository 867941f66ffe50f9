"""rmxl/render/labels.py: the words a reader sees for field codes and periods (issue 11)."""

from __future__ import annotations

import pytest

from rmxl.query.names import DIMENSIONS, MEASURES
from rmxl.query.periods import parse_period
from rmxl.render.labels import (
    dimension_label,
    flag,
    measure_label,
    period_label,
    share_label,
    typed_period_label,
)


def test_every_measure_and_dimension_has_a_label_that_is_not_its_code() -> None:
    for m in MEASURES:
        assert measure_label(m) != m and "_" not in measure_label(m)
        assert "_" not in share_label(m)
    for d in DIMENSIONS:
        assert dimension_label(d) != d and "_" not in dimension_label(d)


def test_measure_words() -> None:
    assert measure_label("partner_funds") == "Partners' funds (USD)"
    assert measure_label("itu_funds") == "ITU funds (USD)"
    assert measure_label("funded_agreements") == "Funded agreements"
    assert share_label("funded_agreements") == "Share of funded agreements"
    assert dimension_label("partner_type") == "Partner type"


def test_flags_are_words() -> None:
    assert (flag(True), flag(1), flag(False), flag(0)) == ("Yes", "Yes", "No", "No")


@pytest.mark.parametrize(
    ("period", "label"),
    [
        ("2022", "2022"),
        ("2023-01..2023-04", "2023 to 30 Apr"),  # a year so far, never "2023"
        ("2022-01..2022-04", "2022 to 30 Apr"),
        ("2023-01-01..2023-03-15", "2023 to 15 Mar"),
        ("2023Q1", "Q1 2023"),
        ("2023H2", "H2 2023"),
        ("2023-04", "Apr 2023"),
        ("2023-02..2023-04", "Feb–Apr 2023"),
        ("2022-11..2023-02", "Nov 2022–Feb 2023"),
        ("2023-04-30", "30 Apr 2023"),
        ("2023-01-05..2023-02-10", "5 Jan–10 Feb 2023"),
        ("2022-12-05..2023-02-10", "5 Dec 2022–10 Feb 2023"),
    ],
)
def test_period_labels(period: str, label: str) -> None:
    assert period_label(parse_period(period)) == label


def test_typed_period_label_has_no_dash_a_keyboard_lacks() -> None:
    assert typed_period_label(parse_period("2023-02..2023-04")) == "Feb-Apr 2023"
