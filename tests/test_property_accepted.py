"""Property (issue 10): whatever ``rmxl validate`` accepts can be built (the workbook),
reported (every format) and evaluated (every RM_ function over its periods) without an
exception — for random valid ledgers and random near-valid ones (case twins, wildcards,
amounts and rates at and beyond their limits, dates at the edges, odd text)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rmxl.cli import main
from rmxl.diagnostics import QueryError
from rmxl.pipeline.load import check, figures
from rmxl.query.functions import call
from rmxl.query.names import DIMENSIONS, MEASURES

from conftest import write_ledger

CURRENCIES = ("CHF", "EUR", "JPY", "XAU", "VND")
COUNTRIES = ("CH", "NO", "JP", "KE", None, None)


def q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


words = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="*?~<>="),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() != "")
WILD_CODES = ("Europe", "europe", "EU*", "a?", "~x", "multi", "None", "<5", "itu")
WILD_DAYS = (
    dt.date(1900, 2, 28),
    dt.date(1900, 3, 1),
    dt.date(9998, 12, 31),
    dt.date(9999, 12, 31),
)
WILD_NUMBERS = ("1e15", "1000000000000001", "0.0001", "0.00001", "1e-320", "1e400", "0.1e-5")


class Draw:
    """Hypothesis' ``draw`` and how wild this ledger is: half the ledgers are valid by
    construction; in the others one value in ``odds`` is drawn at or beyond the edges."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.odds = draw(st.sampled_from([0, 0, 40, 10]))

    def __call__(self, strategy: st.SearchStrategy[Any]) -> Any:
        return self.draw(strategy)


def wild(draw: Draw) -> bool:
    return bool(draw.odds) and draw(st.integers(0, draw.odds - 1)) == 0


def code(draw: Draw, i: int) -> str:
    if wild(draw):
        return draw(st.sampled_from(WILD_CODES))
    return f"{draw(st.from_regex(r'[a-z][a-z0-9-]{0,5}', fullmatch=True))}-{i}"


def label(draw: Draw, i: int) -> str:
    return draw(words) if wild(draw) else f"{draw(words)} {i}"


def day(draw: Draw, lo: dt.date = dt.date(2015, 1, 1)) -> dt.date:
    if wild(draw):
        return draw(st.sampled_from(WILD_DAYS))
    return draw(st.dates(lo, dt.date(2025, 12, 31)))


def number(draw: Draw, lo: str, hi: str) -> str:
    """A number as written in YAML, from ``lo`` to ``hi``, or one at or beyond the limits."""
    if wild(draw):
        return draw(st.sampled_from(WILD_NUMBERS))
    d = draw(st.decimals(Decimal(lo), Decimal(hi), allow_nan=False, places=4))
    return format(d.normalize(), "f")


def vocabulary(draw: Draw, n: int) -> list[tuple[str, str]]:
    return [(code(draw, i), label(draw, i)) for i in range(draw(st.integers(1, n)))]


@st.composite
def ledgers(hypothesis_draw: Any) -> dict[str, str]:
    """A random ledger: valid by construction, but for the values :func:`wild` draws."""
    draw = Draw(hypothesis_draw)
    regions, types, members = vocabulary(draw, 4), vocabulary(draw, 3), vocabulary(draw, 2)
    prios = [vocabulary(draw, 3), vocabulary(draw, 3)]

    def vocab(vs: list[tuple[str, str]], indent: str = "      ") -> str:
        return "".join(f"{indent}- {{code: {q(c)}, label: {q(lb)}}}\n" for c, lb in vs)

    plans = "".join(
        f"    - code: {pc}\n      label: Plan {pc}\n      from: {start}\n"
        + (f"      to: {end}\n" if end else "")
        + f"      multi_label: {q(label(draw, 99))}\n      priorities:\n"
        + vocab(ps, "        ")
        for (pc, start, end), ps in zip(
            [("p1", "1900-03-01", "2019-12-31"), ("p2", "2020-01-01", None)], prios, strict=True
        )
    )
    taxonomy = (
        "taxonomy:\n  regions:\n    values:\n"
        + vocab(regions)
        + "  partner_types:\n    values:\n"
        + vocab(types)
        + "  membership:\n    values:\n"
        + vocab(members)
        + "  action_plans:\n"
        + plans
    )
    pids = [code(draw, i).lower() for i in range(draw(st.integers(1, 4)))]
    partners = "partners:\n" + "".join(
        f"  - {{id: {q(p)}, name: {q(label(draw, i))}, type: {q(draw(st.sampled_from(types))[0])}"
        + (f", country: {c}" if (c := draw(st.sampled_from(COUNTRIES))) else "")
        + "}\n"
        for i, p in enumerate(pids)
    )
    currencies = draw(st.lists(st.sampled_from(CURRENCIES), max_size=3, unique=True))
    rates = "rates:\n" + "".join(
        f"  {cur}:\n    1900-03-01: {number(draw, '0.000001', '1000000000')}\n"
        + "".join(
            f"    {d}: {number(draw, '0.000001', '1000000000')}\n"
            for d in sorted({day(draw) for _ in range(draw(st.integers(0, 2)))} - {WILD_DAYS[1]})
        )
        for cur in currencies
    )
    agreements = "agreements:\n"
    for i in range(draw(st.integers(1, 6))):
        signed = day(draw)
        plan = prios[0] if signed < dt.date(2020, 1, 1) else prios[1]
        ps = draw(st.lists(st.sampled_from(pids), min_size=1, max_size=2, unique=True))
        contributions = "".join(
            f"      - {{by: {q(draw(st.sampled_from([*ps, 'ITU'])))}, "
            f"amount: {number(draw, '0.01', '100000000000')}, "
            f"currency: {draw(st.sampled_from(['USD', *currencies]))}}}\n"
            for _ in range(draw(st.integers(0, 3)))
        )
        agreements += (
            f"  - id: {q(f'A-{i}' if not wild(draw) else draw(words))}\n"
            f"    title: {q(draw(words))}\n    signed: {signed}\n"
            f"    partners: [{', '.join(q(p) for p in ps)}]\n"
            f"    regions: [{q(draw(st.sampled_from(regions))[0])}]\n"
            f"    priorities: [{q(draw(st.sampled_from(plan))[0])}]\n"
            + (f"    contributions:\n{contributions}" if contributions else "")
        )
    return {
        "taxonomy.yaml": taxonomy,
        "partners.yaml": partners,
        "rates.yaml": rates,
        "agreements/a.yaml": agreements,
    }


def periods(root: Path) -> list[Any]:
    ledger = check(root)[0]
    assert ledger is not None
    years = sorted({a.signed.year for a in ledger.agreements})
    first = min(a.signed for a in ledger.agreements)
    return [*years, f"{first:%Y-%m}", f"{first.year}Q{(first.month - 1) // 3 + 1}", "2030"]


def evaluate_everything(root: Path) -> None:
    fig = figures(root)
    for p in periods(root):
        for m in MEASURES:
            _ask(fig, "RM_TOTAL", [p, m])
            _ask(fig, "RM_TOP", [3, p, m])
            for d in DIMENSIONS:
                table = _ask(fig, "RM_BREAKDOWN", [d, p, m])
                for row in (table or [])[1:2]:
                    _ask(fig, "RM_SHARE", [d, row[0], p, m])
                    _ask(fig, "RM_TOTAL", [p, m, d, row[0]])
    _ask(fig, "RM_INFO", [])


def _ask(fig: Any, name: str, args: list[Any]) -> Any:
    """The answer, or None for a question the ledger cannot answer (a QueryError, with
    its message): anything else is a failure."""
    try:
        return call(fig, name, args)
    except QueryError:
        return None


def accepted(files: dict[str, str]) -> Path | None:
    root = write_ledger(Path(tempfile.mkdtemp()) / "ledger", files)
    if any(d.severity == "error" for d in check(root)[1]):
        shutil.rmtree(root.parent)
        return None
    return root


def seen_in_issue_10() -> dict[str, str]:
    """A rate of 1e-320 passed validate, then eval raised decimal.InvalidOperation."""
    from conftest import AGREEMENTS, base_files

    files = base_files()
    files["rates.yaml"] = "rates:\n  CHF:\n    2022-01-01: 1e-320\n"
    files["agreements/2022.yaml"] = AGREEMENTS
    return files


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(ledgers())
@example(seen_in_issue_10())
def test_whatever_validate_accepts_evaluates(files: dict[str, str]) -> None:
    root = accepted(files)
    if root is not None:
        try:
            evaluate_everything(root)
        finally:
            shutil.rmtree(root.parent)


@pytest.mark.filterwarnings("ignore:Glyph")  # random text: matplotlib lacks some glyphs
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(ledgers())
def test_whatever_validate_accepts_builds_and_reports(files: dict[str, str]) -> None:
    root = accepted(files)
    if root is None:
        return
    try:
        runner = CliRunner()
        out = root.parent / "out"
        result = runner.invoke(
            main, ["build", "--ledger", str(root), "--out", str(out / "rm.xlsx")]
        )
        assert result.exit_code == 0 and result.exception is None, result.output
        year = str(periods(root)[0])
        for fmt in ("text", "markdown", "html", "docx"):
            args = ["report", "--ledger", str(root), "--period", year, "--format", fmt]
            result = runner.invoke(main, [*args, "--out", str(out / f"r.{fmt}")])
            assert result.exit_code == 0 and result.exception is None, result.output
    finally:
        shutil.rmtree(root.parent)
