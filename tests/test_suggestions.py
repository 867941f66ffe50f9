"""One suggestion rule (rmxl.diagnostics.closest_name) for validate's hints and for query
errors: the same misspelling gets the same suggestion in `rmxl validate` and in a cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmxl.diagnostics import QueryError, closest_name
from rmxl.pipeline import load as loader
from rmxl.query.names import dimension
from rmxl.validate.checks import suggest

from conftest import base_files, diagnose, write_ledger


def test_closest_name() -> None:
    assert closest_name("afrca", ["africa", "europe"]) == "africa"
    assert closest_name("  EUROPE ", ["africa", "europe"]) == "europe"  # case, spaces
    assert closest_name("Asia-Pacific", ["asia-pacific"], {"Asia-Pacific": "asia-pacific"})
    assert closest_name("zzz", ["africa", "europe"]) is None


def test_validate_and_a_query_suggest_the_same_name(tmp_path: Path) -> None:
    root = write_ledger(
        tmp_path / "l",
        base_files(**{"agreements/x.yaml": "agreements:\n  - id: X-1\n    regions: [afrca]\n"}),
    )
    hints = [d.hint for d in diagnose(root) if "afrca" in d.message]
    assert hints and hints[0].startswith("did you mean 'africa'?")
    assert suggest("afrca", ["africa", "europe"]) == "did you mean 'africa'?"
    with pytest.raises(QueryError, match="did you mean 'region'"):
        dimension("regon")
    fig = loader.figures(write_ledger(tmp_path / "ok", base_files()))
    with pytest.raises(QueryError, match="did you mean 'Africa'"):
        fig.share("region", "Afrca", 2022)
