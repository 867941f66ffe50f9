"""Render: the figures → the team's Excel workbook (``rmxl build``), with xlsxwriter, on
any OS, without Excel.

Sheets, in order (docs/workbook.md): Summary, Compare, one breakdown sheet per dimension
and period (with its charts), Analysis (RM_ formulas), the data tables Agreements,
Contributions, Parties, Partners and Rates, Provenance, and ``xlwings.conf``.

Rules:

- No figure is computed here: values come from :class:`~rmxl.query.figures.Figures` (or the RM_
  functions), and every breakdown cell is also a formula over the data tables, so a
  second spreadsheet engine recomputes the same numbers (issue 5.3).
- Deterministic: the same ledger gives the same bytes. xlsxwriter stamps every part of
  the zip with 1980-01-01; the document's created date is :func:`~rmxl.render.workbook.meta.
  build_time` (``SOURCE_DATE_EPOCH``, else the ledger's last git commit, else fixed).
- Safe: ledger text is written as text, never as a formula (``strings_to_formulas`` off
  and ``write_string``); the file is written with :func:`rmxl.fileio.write_file`
  (through a link, never over a folder or device, a temporary file in the target folder
  renamed over the old one), so a failed build leaves the previous workbook intact.
- Excel is not asked to recalculate on open (the cached values are rmxl's), so the
  Analysis cells show numbers before the xlwings add-in is loaded.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from rmxl.diagnostics import QueryError
from rmxl.fileio import write_file
from rmxl.query.figures import Figures
from rmxl.query.periods import Period, parse_period
from rmxl.read.identity import build_time
from rmxl.render.workbook.analysis import write_analysis
from rmxl.render.workbook.breakdowns import DIM_MEASURES, write_breakdown
from rmxl.render.workbook.charts import breakdown_charts
from rmxl.render.workbook.meta import write_provenance, write_xlwings_conf
from rmxl.render.workbook.style import Book, Styles
from rmxl.render.workbook.summary import write_compare, write_summary
from rmxl.render.workbook.tables import (
    agreements_table,
    contributions_table,
    parties_table,
    partners_table,
    rates_table,
)
from rmxl.render.workbook.template import Template

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called after each step of a build."""

EXCEL_CALC_ID = 191029
"""Excel 2019/365's calculation engine id: a file marked with it is not recalculated in
full on open, so the values rmxl wrote show as they are."""

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


@dataclass(frozen=True)
class Plan:
    """What a build covers: ``periods`` get breakdown sheets; ``pairs`` (earlier, later)
    get a comparison on the Compare sheet."""

    periods: tuple[Period, ...]
    pairs: tuple[tuple[Period, Period], ...] = ()

    def all_periods(self) -> list[Period]:
        """The breakdown periods, then the comparison periods not among them."""
        out = list(self.periods)
        for pair in self.pairs:
            out += [p for p in pair if p not in out]
        return out


def _year_before(p: Period) -> Period:
    def back(d: dt.date) -> dt.date:
        try:
            return d.replace(year=d.year - 1)
        except ValueError:  # 29 February
            return d.replace(year=d.year - 1, day=28)

    return Period(back(p.start), back(p.end), "")


def plan_for(fig: Figures, periods: Sequence[Any] | None) -> Plan:
    """The build plan. Given periods (any form of spec §3): those — the first of any
    written twice for the same span — compared pairwise where one is the other a year
    earlier. Default: each calendar year with agreements, the
    latest one only as far as it goes — its months so far when its last signed date is
    before December, never also as a whole year (the two sheets would hold the same
    agreements) — compared with the same months of the year before (demo ledger: 2022
    and 2023-01..2023-04, "2023 to 30 Apr", against 2022-01..2022-04). Raises QueryError
    for a bad period or a ledger without agreements."""
    if periods:
        spans: dict[tuple[dt.date, dt.date], Period] = {}
        for given in periods:  # one sheet per span: 2023Q1 and 2023-01..2023-03 are one
            p = parse_period(given)
            spans.setdefault((p.start, p.end), p)
        chosen = list(spans.values())
        pairs = []
        for p in chosen:
            q = _year_before(p)
            if (q.start, q.end) in spans:
                pairs.append((spans[(q.start, q.end)], p))
        return Plan(tuple(chosen), tuple(pairs))
    signed = fig.compiled.agreements["signed"]
    if signed.empty:
        raise QueryError("empty-ledger", "the ledger has no agreements: nothing to build")
    years = sorted({int(y) for y in signed.dt.year})
    chosen = [parse_period(y) for y in years]
    last = signed.max()
    if last.month == 12:
        latest, before = chosen[-1], parse_period(last.year - 1)
    else:
        latest = parse_period(f"{last.year}-01..{last.year}-{last.month:02d}")
        before = parse_period(f"{last.year - 1}-01..{last.year - 1}-{last.month:02d}")
        chosen[-1] = latest
    has_before = not fig.select(before).agreements.empty
    return Plan(tuple(chosen), ((before, latest),) if has_before else ())


def build_workbook(
    fig: Figures,
    out: Path,
    periods: list[str] | None = None,
    progress: Progress | None = None,
    environ: dict[str, str] | None = None,
    template: Template | None = None,
) -> Path:
    """Write the workbook of ``fig`` to ``out`` (atomically) and return ``out``.

    ``periods``: see :func:`plan_for`. ``environ`` (default ``os.environ``) supplies
    ``SOURCE_DATE_EPOCH``. ``template``: the Analysis sheet's questions (default: rmxl's
    built-in ones, :mod:`rmxl.render.workbook.template`). Raises QueryError for a bad or empty
    period (nothing is written) and OSError when ``out`` cannot be written (disk full,
    permission, a folder or device: the old file is kept, no temporary file left)."""
    plan = plan_for(fig, periods)
    when = build_time(fig.compiled.ledger.root, dict(os.environ if environ is None else environ))
    out = Path(out)
    collecting = gc.isenabled()
    gc.disable()  # millions of cell tuples, no cycles: the collector only slows it 3x
    try:
        write_file(out, lambda f: _write(f, fig, plan, when, progress, template))
    finally:
        if collecting:
            gc.enable()
    return out


def _write(
    target: BinaryIO,
    fig: Figures,
    plan: Plan,
    when: tuple[dt.datetime, str],
    progress: Progress | None,
    template: Template | None = None,
) -> None:
    """Write the workbook into ``target``, the temporary file :func:`write_file` renames
    over the workbook once it is complete (its zip is written part by part as the sheets
    are drawn: :mod:`rmxl.render.workbook.package`)."""
    everything = plan.all_periods()
    total = 8 + len(plan.periods) * len(DIM_MEASURES)
    done = iter(range(1, total + 1))

    def step() -> None:
        if progress is not None:
            progress(next(done), total)

    wb = Book(target, WORKBOOK_OPTIONS)
    _properties(wb, fig, when[0])
    st = Styles.of(wb)
    write_summary(wb, fig, everything, st)
    step()
    if plan.pairs:
        write_compare(wb, fig, plan.pairs, st)
    step()
    taken: set[str] = set()
    for p in plan.periods:
        for dim in DIM_MEASURES:
            placed = write_breakdown(wb, fig, dim, p, st, taken)
            breakdown_charts(wb, wb.get_worksheet_by_name(placed.sheet), placed)
            step()
    write_analysis(wb, fig, plan.periods, st, template)
    step()
    _tables(wb, fig, everything, st, step)
    write_provenance(wb, fig, when, st, template.name if template is not None else "")
    write_xlwings_conf(wb, st)
    step()
    wb.worksheets()[0].activate()
    wb.close()
    step()


def _tables(
    wb: Book, fig: Figures, periods: list[Period], st: Styles, step: Callable[[], None]
) -> None:
    """The data tables, in sheet order (three progress steps: they are most of the work)."""
    agreements_table(wb, fig, st)
    contributions_table(wb, fig, st)
    step()
    parties_table(wb, fig, st)
    step()
    partners_table(wb, fig, periods, st)
    rates_table(wb, fig, st)
    step()


def _properties(wb: Book, fig: Figures, created: dt.datetime) -> None:
    wb.set_properties(
        {
            "title": "Partnerships and resource mobilization",
            "subject": "Figures computed by rmxl from the agreements ledger",
            "author": "rmxl",
            "comments": "Built by rmxl build; see the Provenance sheet.",
            "created": created.replace(tzinfo=None),
        }
    )
    wb.set_calc_mode("auto", calc_id=EXCEL_CALC_ID)
    wb.calc_on_load = False
