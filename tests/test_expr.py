"""Expressions written as in an Excel cell (spec §5, rmxl eval)."""

from __future__ import annotations

import pytest

from rmxl.diagnostics import QueryError
from rmxl.query.expr import parse


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ('=RM_SHARE("region","Africa",2022)', "RM_SHARE", ["region", "Africa", 2022]),
        (
            'rm_total( 2022.0 , , "region", "Africa" )',
            "rm_total",
            [2022.0, None, "region", "Africa"],
        ),
        ("RM_INFO()", "RM_INFO", []),
        ('RM_TOP(3, "2023-01..2023-04")', "RM_TOP", [3, "2023-01..2023-04"]),
        ('RM_X("say ""hi""", -1.5e3, TRUE, false)', "RM_X", ['say "hi"', -1500.0, True, False]),
    ],
)
def test_parse(text: str, name: str, args: list[object]) -> None:
    assert parse(text) == (name, args)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("RM_SHARE('region','Africa',2022)", "straight double quotes"),
        ('RM_SHARE("region";"Africa";2022)', "separate arguments with commas"),
        ("RM_SHARE(“region”,2022)", "straight double quotes"),
        ('RM_SHARE("region","Africa,2022)', "not closed"),
        ('RM_SHARE("region" "Africa")', "missing comma"),
        ("RM_SHARE(region, 2022)", "quote text"),
        ('RM_SHARE("region"', "write e.g."),
        ("2022", "write e.g."),
    ],
)
def test_errors_say_what_to_write(text: str, why: str) -> None:
    with pytest.raises(QueryError) as e:
        parse(text)
    assert e.value.code == "bad-expression" and why in str(e.value)
