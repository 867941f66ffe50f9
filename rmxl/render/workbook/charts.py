"""Native Excel charts of the breakdowns (issue 5.1), read like the seed report's: funds
and partners by partner type (pies), regions and thematic priorities by share of number
and of funds (bars), membership categories, top partners, currencies, co-financing
(pie) and the same months of two years (clustered columns).

Every chart plots cells of its sheet, and its data labels show those same plotted values
(or, for pies, the percentage Excel computes from them): no label is typed. Charts stay
editable in Excel.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xlsxwriter.chart import Chart
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rmxl.render.labels import dimension_label, period_label
from rmxl.render.palette import colour
from rmxl.render.workbook.breakdowns import HEADER_ROW, Placed
from rmxl.render.workbook.style import MILLIONS_FMT, MILLIONS_LABEL_FMT, PERCENT_FMT

TOP = 10
"""Partners (and countries) shown in a top chart."""

_FONT = {"name": "Calibri", "size": 9}

HIDE_ZERO_PERCENT = "0.0%;;;"


def _titled(chart: Chart, title: str) -> Chart:
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
    chart.set_chartarea({"border": {"none": True}})
    return chart


def bar_chart(
    wb: Workbook,
    title: str,
    series: list[dict[str, Any]],
    n_categories: int,
    num_format: str,
    label_format: str,
    first_colour: int = 0,
) -> Chart:
    """Horizontal clustered bars, categories top to bottom in row order; ``series`` are
    xlsxwriter series dicts (name, categories, values), coloured from the palette's
    ``first_colour``."""
    chart = _titled(wb.add_chart({"type": "bar"}), title)
    for i, s in enumerate(series):
        chart.add_series(
            {
                **s,
                "fill": {"color": colour(first_colour + i)},
                "border": {"none": True},
                "gap": 60,
                "data_labels": {
                    "value": True,
                    "num_format": label_format,
                    "position": "outside_end",
                    "font": _FONT,
                },
            }
        )
    chart.set_y_axis(
        {"reverse": True, "num_font": _FONT, "major_tick_mark": "none", "interval_unit": 1}
    )
    chart.set_x_axis(
        {"num_format": num_format, "num_font": _FONT, "major_gridlines": {"visible": False}}
    )
    chart.set_legend({"position": "bottom"} if len(series) > 1 else {"none": True})
    per_row = 18 * max(1, len(series)) + 6
    chart.set_size({"width": 720, "height": max(260, 110 + per_row * n_categories)})
    return chart


def pie_chart(
    wb: Workbook,
    title: str,
    categories: list[Any],
    values: list[Any],
    shares: Sequence[float | None],
    min_labelled: float = 0.03,  # smaller slices are read from the legend
) -> Chart:
    """A pie with one palette colour per category, the category names (with their
    shares, when ``categories`` holds them) in a legend at the right — zero categories
    left out of it — and percentage labels only on slices of at least ``min_labelled``
    of the whole, so small slices' labels cannot overlap."""
    chart = _titled(wb.add_chart({"type": "pie"}), title)
    custom = [None if (s or 0) >= min_labelled else {"delete": True} for s in shares]
    chart.add_series(
        {
            "categories": categories,
            "values": values,
            "points": [
                {"fill": {"color": colour(i)}, "border": {"color": "#FFFFFF"}}
                for i in range(len(shares))
            ],
            "data_labels": {
                "percentage": True,
                "num_format": HIDE_ZERO_PERCENT,
                "leader_lines": True,
                "position": "outside_end",
                "font": _FONT,
                "custom": custom,
            },
        }
    )
    chart.set_rotation(90)  # small slices (taxonomy order ends with them) stack at 3 o'clock
    zeros = [i for i, s in enumerate(shares) if not s]
    chart.set_legend({"position": "right", "font": _FONT, "delete_series": zeros})
    chart.show_hidden_data()  # the legend's words may sit in a hidden helper column
    chart.set_size({"width": 640, "height": 380})
    return chart


def percent_text(share: float) -> str:
    """A share as Excel's ``TEXT(x,"0.0%")`` writes it: ``0.0625`` → ``6.3%`` (half
    away from zero on the decimal value, not Python's half-even on the binary one)."""
    d = Decimal(repr(share)) * 100
    return f"{d.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _row_shares(p: Placed, m: str) -> list[float | None]:
    """The shares of measure ``m`` in the sheet's row order (None: a zero total)."""
    bd = p.breakdowns[m]
    shares = {b.key: s for b, s in zip(bd.buckets, bd.shares, strict=True)}
    return [shares.get(b.key) for b in p.buckets]


def legend_column(ws: Worksheet, p: Placed, m: str, col: int) -> list[Any]:
    """A hidden helper column of legend entries, ``Academia (7.0%)``: formulas joining
    each bucket's label and share cells (so the legend shows the cells, never typed
    numbers), written with the same text. Returns the range, for a chart's categories."""
    share_col = p.value_col[m] + 1
    for r, bucket, share in zip(
        range(p.first_row, p.last_row + 1), p.buckets, _row_shares(p, m), strict=True
    ):
        label, cell = xl_rowcol_to_cell(r, 0), xl_rowcol_to_cell(r, share_col)
        shown = f"{bucket.label} ({percent_text(share)})" if share is not None else ""
        ws.write_formula(r, col, f'={label}&" ("&TEXT({cell},"0.0%")&")"', None, shown)
    ws.set_column(col, col, 30, None, {"hidden": True})
    return _col(p, col)


def _col(p: Placed, c: int, first: int | None = None, last: int | None = None) -> list[Any]:
    return [
        p.sheet,
        p.first_row if first is None else first,
        c,
        p.last_row if last is None else last,
        c,
    ]


def _labels(p: Placed, last: int | None = None) -> list[Any]:
    return _col(p, 0, last=last)


def _distribution(wb: Workbook, p: Placed) -> list[Chart]:
    """Region or priority: the share of agreements and the share of funds per bucket,
    one chart each (no legend to misread; two colours of the palette)."""
    what, when = dimension_label(p.dimension).lower(), period_label(p.period)
    n = p.last_row - p.first_row + 1
    charts = []
    for i, (m, noun) in enumerate((("agreements", "agreements"), ("funds", "funds"))):
        title = f"Share of {noun} by {what}, {when}"
        series = [{"name": title, "categories": _labels(p), "values": _col(p, p.value_col[m] + 1)}]
        chart = bar_chart(wb, title, series, n, "0%", HIDE_ZERO_PERCENT, first_colour=i)
        chart.set_size({"width": 470, "height": chart.height})
        charts.append(chart)
    return charts


def _pies(wb: Workbook, ws: Worksheet, p: Placed) -> list[Chart]:
    """Partner type (funds and partners) or currency (funds): pies whose legend entries
    come from hidden helper columns right of the table (:func:`legend_column`)."""
    what, when = dimension_label(p.dimension).lower(), period_label(p.period)
    out: list[Chart] = []
    whose = "Funds signed" if p.dimension == "currency" else "Partners' financial contributions"
    for m, title in (
        ("funds", f"{whose} by {what}, {when}"),
        ("partners", f"Partners by {what}, {when}"),
    ):
        if m in p.value_col and p.breakdowns[m].total:
            legend = legend_column(ws, p, m, p.free_col - 1 + len(out))
            shares = _row_shares(p, m)
            out.append(pie_chart(wb, title, legend, _col(p, p.value_col[m]), shares))
    return out


def _shares_bar(wb: Workbook, p: Placed, m: str, title: str) -> list[Chart]:
    n = p.last_row - p.first_row + 1
    series = [{"name": title, "categories": _labels(p), "values": _col(p, p.value_col[m] + 1)}]
    return [bar_chart(wb, title, series, n, "0%", PERCENT_FMT)]


def _top(wb: Workbook, p: Placed, title: str) -> list[Chart]:
    funded = sum(1 for v in p.breakdowns["funds"].values if v > 0)
    n = min(TOP, funded)
    if not n:
        return []
    last = p.first_row + n - 1
    series = [
        {
            "name": "USD",
            "categories": _labels(p, last),
            "values": _col(p, p.value_col["funds"], last=last),
        }
    ]
    return [bar_chart(wb, title, series, n, MILLIONS_FMT, MILLIONS_LABEL_FMT)]


def breakdown_charts(wb: Workbook, ws: Worksheet, p: Placed) -> None:
    """Insert the charts of a breakdown sheet: side by side under a wide table (three or
    more measures), else to its right, one under the other."""
    when = period_label(p.period)
    d = p.dimension
    if d in ("region", "priority"):
        charts = _distribution(wb, p)
    elif d in ("partner_type", "currency"):
        charts = _pies(wb, ws, p)
    elif d == "membership":
        charts = _shares_bar(wb, p, "partners", f"Partners by ITU membership category, {when}")
    elif d == "partner":
        charts = _top(wb, p, f"Top {TOP} partners by signed financial contributions (USD), {when}")
    else:
        charts = _top(
            wb, p, f"Partners' financial contributions by country (USD), top {TOP}, {when}"
        )
    if len(p.value_col) > 2:  # a wide table: its charts side by side under it
        x = 0
        for chart in charts:
            ws.insert_chart(p.end_row + 2, 0, chart, {"x_offset": x})
            x += chart.width + 10
        return
    helpers = len(charts) if d in ("partner_type", "currency") else 0
    row, col = HEADER_ROW, p.free_col + helpers
    for chart in charts:
        ws.insert_chart(row, col, chart, {"x_offset": 10, "y_offset": 0})
        row += int(chart.height / 20) + 2


def comparison_charts(
    wb: Workbook, sheet: str, rows: dict[str, int], cols: tuple[int, int], names: tuple[str, str]
) -> list[Chart]:
    """Two clustered-column charts comparing two periods: the number of agreements, and
    funds (partners, ITU, total) in USD million. ``rows`` maps a measure to its row;
    ``cols`` are the two periods' value columns, ``names`` their labels."""
    charts = []
    for measures, title, fmt, label_fmt in (
        (("agreements",), "Number of agreements signed", "#,##0", "#,##0"),
        (
            ("partner_funds", "itu_funds", "funds"),
            "Funds signed (USD million)",
            MILLIONS_FMT,
            MILLIONS_LABEL_FMT,
        ),
    ):
        chart = _titled(wb.add_chart({"type": "column"}), title)
        first, last = rows[measures[0]], rows[measures[-1]]
        for i, (c, name) in enumerate(zip(cols, names, strict=True)):
            chart.add_series(
                {
                    "name": name,
                    "categories": [sheet, first, 0, last, 0],
                    "values": [sheet, first, c, last, c],
                    "fill": {"color": colour(i + 1)},
                    "gap": 80,
                    "data_labels": {"value": True, "num_format": label_fmt, "font": _FONT},
                }
            )
        chart.set_y_axis(
            {"num_format": fmt, "num_font": _FONT, "min": 0, "major_gridlines": {"visible": False}}
        )
        chart.set_x_axis({"num_font": _FONT})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 480, "height": 320})
        charts.append(chart)
    return charts
