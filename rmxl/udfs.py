"""The RM_ functions as Excel cells: xlwings user-defined functions (spec §5).

``=RM_SHARE("region","Africa",2022)`` in a cell calls :func:`RM_SHARE` here through the
xlwings add-in (Windows). Each function is a thin adapter: it finds the ledger
(:func:`ledger_root`), takes its compiled figures from :data:`rmxl.pipeline.sessions.SESSIONS`
(compiled once, recompiled only when a ledger file changes) and calls the matching
function of :mod:`rmxl.query.functions`; no figure is computed here. Answers are memoised per
compiled ledger and exact arguments, so recalculating a sheet costs dictionary lookups.

Arguments arrive as Excel sends them (``2022.0``, ``None`` for an omitted argument, a
one-cell range as its value, a date cell as a ``datetime``, text with stray spaces or
another case). Every argument is declared ``err_to_str``, so a cell holding an Excel
error arrives as its text (``"#N/A"``) and is answered as an error, never read as empty.
Nothing raises into Excel: every problem comes back as a one-line message in the cell
(classic xlwings would show the whole traceback), every text at most 255 characters —
see docs/spreadsheets.md for the list.

The parameters carry no type hints on purpose: xlwings would take them as converters.
``caller`` is xlwings' reserved argument (the calling cell); Excel never shows it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import xlwings as xw

from rmxl.diagnostics import QueryError
from rmxl.pipeline.sessions import SESSIONS, ask, invalid, ledger_for
from rmxl.query import functions
from rmxl.query.functions import scalar
from rmxl.query.names import MONEY, closest
from rmxl.read.identity import commit_label

if TYPE_CHECKING:
    from rmxl.query.figures import Breakdown
    from rmxl.render.report.content import Chart

CATEGORY = "rmxl"
"""The function wizard's category for every RM_ function."""

TABLE = {"expand": "table"} if os.environ.get("RMXL_LEGACY_ARRAYS") else {}
"""Return options of the functions that return a table. Excel 365 spills a 2-D result
natively (xlwings docs: then do not use ``expand``); set ``RMXL_LEGACY_ARRAYS=1`` for
Excel 2016/2019, where xlwings' legacy ``expand="table"`` resizes the array formula."""

DIMENSION = "region, priority, partner_type, membership, partner, country or currency"
BUCKET = 'A bucket of the dimension, by label or code, any case: "Africa", "government"'
PERIOD = "2022, 2023Q1, 2023-04, 2023H1, 2023-01..2023-04, or a date cell"
MEASURE = (
    "Optional. funds (default, USD), partner_funds, itu_funds, agreements, "
    "funded_agreements or partners"
)
KINDS: dict[str, Literal["bars", "pie"]] = {"bar": "bars", "pie": "pie"}
"""RM_CHART's kinds → :class:`rmxl.render.report.content.Chart` kinds."""
CHART_BARS = 20
"""At most this many bars or slices in an RM_CHART (the largest buckets come first)."""


# -- which ledger ------------------------------------------------------------------------
def ledger_root(caller: Any = None) -> str:
    """The ledger folder of a call: :func:`rmxl.pipeline.sessions.ledger_for` the calling
    workbook (``caller.sheet.book.fullname``)."""
    return ledger_for(_book_path(caller) if caller is not None else None)


def _book_path(caller: Any) -> str | None:
    """The calling workbook's full path, or None for an unsaved or online workbook."""
    try:
        name = caller.sheet.book.fullname
    except Exception:
        return None
    if not isinstance(name, str) or "://" in name or not os.path.isabs(name):
        return None
    return name


# -- the answers -------------------------------------------------------------------------
def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines too) made one space, at most
    255 characters (:func:`rmxl.query.functions.clip`)."""
    return functions.clip(" ".join(text.split()))


def failure(name: str, e: BaseException) -> str:
    """The message of an unexpected error (a bug): one line, never a traceback."""
    return one_line(f"{name} failed: {type(e).__name__}: {e}")


def answer(name: str, args: tuple[Any, ...], caller: Any) -> Any:
    """What the cell shows for ``name(*args)`` on the caller's ledger
    (:func:`rmxl.pipeline.sessions.ask`); an unexpected error becomes :func:`failure`."""
    try:
        return ask(ledger_root(caller), name, args)
    except Exception as e:
        return failure(name, e)


# -- the functions -----------------------------------------------------------------------
def wizard(f: Callable[..., Any]) -> Callable[..., Any]:
    """Make ``f``'s docstring one line: xlwings gives it to Excel's function wizard as the
    function's description (at most 255 characters). Must sit right above ``def``, below
    every ``xw.arg``, which reads the docstring."""
    f.__doc__ = one_line(f.__doc__ or "")
    return f


@xw.func(category=CATEGORY)
@xw.arg("dimension", err_to_str=True, doc=f"How to split: {DIMENSION}")
@xw.arg("bucket", err_to_str=True, doc=BUCKET)
@xw.arg("period", err_to_str=True, doc=f"Signed in: {PERIOD}")
@xw.arg("measure", err_to_str=True, doc=MEASURE)
@wizard
def RM_SHARE(dimension, bucket, period, measure=None, caller=None):
    """The bucket's share of the period's total for the measure: a fraction 0-1 (format
    the cell as %). =RM_SHARE("region","Africa",2022)"""
    return answer("RM_SHARE", (dimension, bucket, period, measure), caller)


@xw.func(category=CATEGORY)
@xw.arg("period", err_to_str=True, doc=f"Signed in: {PERIOD}")
@xw.arg("measure", err_to_str=True, doc=MEASURE)
@xw.arg("dimension", err_to_str=True, doc=f"Optional, with bucket: {DIMENSION}")
@xw.arg("bucket", err_to_str=True, doc=f"Optional, with dimension. {BUCKET}")
@wizard
def RM_TOTAL(period, measure=None, dimension=None, bucket=None, caller=None):
    """The period's total for the measure (USD for funds, else a count); with a dimension
    and a bucket, that bucket's value. =RM_TOTAL(2022) =RM_TOTAL(2022,"funds","region",
    "Africa")"""
    return answer("RM_TOTAL", (period, measure, dimension, bucket), caller)


@xw.func(category=CATEGORY)
@xw.arg("dimension", err_to_str=True, doc=f"How to split: {DIMENSION}")
@xw.arg("period", err_to_str=True, doc=f"Signed in: {PERIOD}")
@xw.arg("measure", err_to_str=True, doc=MEASURE)
@xw.ret(**TABLE)
@wizard
def RM_BREAKDOWN(dimension, period, measure=None, caller=None):
    """A table that spills: header bucket, value, share; one row per bucket in taxonomy
    order (zero ones too, the multi bucket last). =RM_BREAKDOWN("region",2022)"""
    return answer("RM_BREAKDOWN", (dimension, period, measure), caller)


@xw.func(category=CATEGORY)
@xw.arg("n", err_to_str=True, doc="How many partners, a whole number: 3")
@xw.arg("period", err_to_str=True, doc=f"Signed in: {PERIOD}")
@xw.arg("measure", err_to_str=True, doc=MEASURE)
@xw.ret(**TABLE)
@wizard
def RM_TOP(n, period, measure=None, caller=None):
    """A table that spills: header partner, usd, signed; the n partners with the largest
    value, descending; signed is the amount as signed (CHF 2.4 million). =RM_TOP(3,2022)"""
    return answer("RM_TOP", (n, period, measure), caller)


@xw.func(category=CATEGORY)
@xw.arg(
    "field", err_to_str=True, doc="Optional: ledger, commit, agreements or modified; omitted = all"
)
@xw.ret(**TABLE)
@wizard
def RM_INFO(field=None, caller=None):
    """Where the figures come from: the ledger folder, the last commit that changed it
    (with uncommitted changes, if any), the number of agreements, the time of the last
    change. A table when field is omitted. =RM_INFO() =RM_INFO("commit")"""
    try:
        s = SESSIONS.get(ledger_root(caller))
        if s.figures is not None:
            return functions.cell_safe(functions.rm_info(s.figures, field))
        message = invalid(s)
        rows = [
            ["ledger", str(s.root.resolve())],
            ["commit", commit_label(s.root)],
            ["error", message],
        ]
        name = scalar(field, "field")
        if name is None:
            return functions.cell_safe([["field", "value"], *rows])
        return functions.clip(dict(rows).get(str(name).strip().lower(), message))
    except QueryError as e:
        return one_line(str(e))
    except Exception as e:
        return failure("RM_INFO", e)


@xw.func(category=CATEGORY, call_in_wizard=False)  # the wizard's preview would draw
@xw.arg("dimension", err_to_str=True, doc=f"How to split: {DIMENSION}")
@xw.arg("period", err_to_str=True, doc=f"Signed in: {PERIOD}")
@xw.arg("measure", err_to_str=True, doc=MEASURE)
@xw.arg("kind", err_to_str=True, doc="Optional: bar (default, the values) or pie (the shares)")
@wizard
def RM_CHART(dimension, period, measure=None, kind=None, caller=None):
    """Draws the breakdown as a picture next to this cell (recalculating replaces it)
    and returns its title. =RM_CHART("region",2022)"""
    try:
        s = SESSIONS.get(ledger_root(caller))
        if s.error is not None:
            return invalid(s)
        assert s.figures is not None
        bd = s.figures.breakdown(scalar(dimension), scalar(period), scalar(measure))
        chart = chart_of(bd, chart_kind(kind))
        title = chart.title
        if caller is None:
            return f"{title} (a chart is drawn only when called from an Excel cell)"
        from rmxl.render.charts import draw

        caller.sheet.pictures.add(
            draw(chart), name=picture_name(caller), update=True, anchor=caller.offset(0, 1)
        )
        return title
    except QueryError as e:
        return one_line(str(e))
    except Exception as e:
        return failure("RM_CHART", e)


# -- charts ------------------------------------------------------------------------------
def chart_kind(kind: Any) -> str:
    """``bar`` (omitted) or ``pie``; QueryError ``bad-argument`` otherwise."""
    value = scalar(kind)
    name = "bar" if value is None else str(value).strip().lower()
    if name not in KINDS:
        raise QueryError(
            "bad-argument",
            f"unknown chart kind '{value}'{closest(name, list(KINDS))} (bar, pie)",
        )
    return name


def chart_of(bd: Breakdown, kind: str) -> Chart:
    """The breakdown as a chart of the report's style (:mod:`rmxl.render.charts`): bars of the
    values (USD million for money, else counts), or a pie of the shares;
    the first :data:`CHART_BARS` buckets in row order (the largest, for partner, country
    and currency). QueryError ``nothing-to-draw`` when every bucket is 0."""
    from rmxl.render.report.content import Chart, Panel, Series

    rows = list(zip(bd.buckets, bd.values, bd.shares, strict=True))[:CHART_BARS]
    if not any(v for _, v, _ in rows):
        raise QueryError(
            "nothing-to-draw", f"every {bd.dimension} of {bd.period} has 0 {bd.measure}"
        )
    if kind == "pie":
        series = Series("share", tuple(s or 0.0 for *_, s in rows), "share")
    elif bd.measure in MONEY:
        series = Series(bd.measure, tuple(v / 1_000_000 for _, v, _ in rows), "usd_million")
    else:
        series = Series(bd.measure, tuple(float(v) for _, v, _ in rows), "count")
    unit = {"share": "share", "usd_million": "USD million", "count": "number"}[series.unit]
    more = f", first {CHART_BARS} of {len(bd.buckets)}" if len(bd.buckets) > CHART_BARS else ""
    what = f"{bd.measure} by {bd.dimension}".replace("_", " ")
    title = f"{what}, {bd.period} ({unit}{more})"
    labels = tuple(b.label for b, _, _ in rows)
    return Chart(KINDS[kind], f"rm-chart-{bd.dimension}", title, (Panel("", labels, (series,)),))


def picture_name(caller: Any) -> str:
    """One picture per calling cell: ``"RM_CHART B2"``."""
    return "RM_CHART " + str(caller.address).replace("$", "")
