"""Native Excel charts of the breakdowns (issue 5.1), read like the seed report's: funds
and partners by partner type (pies), regions and thematic priorities by share of number
and of funds (bars), membership categories, top partners, currencies, co-financing
(pie) and the same months of two years (clustered columns).

Every chart plots cells of its sheet, and its data labels show those same plotted values
(or, for pies, the percentage Excel computes from them): no label is typed. Charts stay
editable in Excel.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rmxl.render.palette import colour
from rmxl.render.workbook.breakdowns import DIM_TITLES, HEADER_ROW, Placed
from rmxl.render.workbook.style import MILLIONS_FMT, MILLIONS_LABEL_FMT, PERCENT_FMT, period_label

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
) -> Chart:
    """Horizontal clustered bars, categories top to bottom in row order; ``series`` are
    xlsxwriter series dicts (name, categories, values)."""
    chart = _titled(wb.add_chart({"type": "bar"}), title)
    for i, s in enumerate(series):
        chart.add_series(
            {
                **s,
                "fill": {"color": colour(i)},
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


def pie_chart(wb: Workbook, title: str, categories: list[Any], values: list[Any], n: int) -> Chart:
    """A pie with one colour per category, percentage labels (zeros hidden) and the
    category names in a legend at the right."""
    chart = _titled(wb.add_chart({"type": "pie"}), title)
    chart.add_series(
        {
            "categories": categories,
            "values": values,
            "points": [
                {"fill": {"color": colour(i)}, "border": {"color": "#FFFFFF"}} for i in range(n)
            ],
            "data_labels": {
                "percentage": True,
                "num_format": HIDE_ZERO_PERCENT,
                "leader_lines": True,
                "position": "outside_end",
                "font": _FONT,
            },
        }
    )
    chart.set_rotation(90)  # small slices (taxonomy order ends with them) stack at 3 o'clock
    chart.set_legend({"position": "right", "font": _FONT})
    chart.set_size({"width": 640, "height": 380})
    return chart


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
    """Region or priority: the share of agreements and of funds per bucket."""
    what = DIM_TITLES[p.dimension]
    series = [
        {
            "name": name,
            "categories": _labels(p),
            "values": _col(p, p.value_col[m] + 1),
        }
        for m, name in (("agreements", "Number of agreements"), ("funds", "Funds signed"))
    ]
    n = p.last_row - p.first_row + 1
    title = f"Agreements signed by {what}, {period_label(p.period)}"
    return [bar_chart(wb, title, series, n, "0%", HIDE_ZERO_PERCENT)]


def _pies(wb: Workbook, p: Placed) -> list[Chart]:
    n = p.last_row - p.first_row + 1
    what, when = DIM_TITLES[p.dimension], period_label(p.period)
    out = []
    whose = "Funds signed" if p.dimension == "currency" else "Partners' financial contributions"
    for m, title in (
        ("funds", f"{whose} by {what}, {when}"),
        ("partners", f"Partners by {what}, {when}"),
    ):
        if m in p.value_col and p.breakdowns[m].total:
            out.append(pie_chart(wb, title, _labels(p), _col(p, p.value_col[m]), n))
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
    """Insert the charts of a breakdown sheet: under a wide table (three or more
    measures), else to its right; one under the other."""
    when = period_label(p.period)
    d = p.dimension
    if d in ("region", "priority"):
        charts = _distribution(wb, p)
    elif d in ("partner_type", "currency"):
        charts = _pies(wb, p)
    elif d == "membership":
        charts = _shares_bar(wb, p, "partners", f"Partners by ITU membership category, {when}")
    elif d == "partner":
        charts = _top(wb, p, f"Top {TOP} partners by signed financial contributions (USD), {when}")
    else:
        charts = _top(
            wb, p, f"Partners' financial contributions by country (USD), top {TOP}, {when}"
        )
    wide = len(p.value_col) > 2
    row, col = (p.total_row + 2, 0) if wide else (HEADER_ROW, p.free_col)
    for chart in charts:
        ws.insert_chart(row, col, chart, {"x_offset": 10 if col else 0, "y_offset": 0})
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
