"""Charts of the report (:class:`~rmxl.render.report.content.Chart`) drawn with matplotlib,
as PNG bytes.

Every data label is formatted from the very value the chart draws (:func:`label_text`), so
a label cannot drift from its data (the seed's pie said 74.5% where its data say 75.6%).
Drawing uses matplotlib's object API on the Agg canvas (no pyplot, no global figure
state) with fixed fonts and no PNG metadata, so the same chart gives the same bytes.

Layout rules, chosen after looking at the rendered charts (docs/report.md): pies show the
percentage inside wedges of 5% or more and list every drawn wedge with its percentage in
a legend (small wedges stay readable); zero wedges are not drawn (they are in the
report's table, and the report gives bar charts no category that is zero in every
panel: :mod:`rmxl.render.report.breakdowns`); long
category labels wrap; bars carry their value at their end. Charts are drawn at 300 dpi
(print quality) in Carlito, the metric twin of the document's Calibri, when it is
installed (Debian ``fonts-crosextra-carlito``; .ci/run installs it), else DejaVu Sans.
"""

from __future__ import annotations

import functools
import io
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from rmxl.query.money_words import percent
from rmxl.render.palette import colour, text_on
from rmxl.render.report.content import Chart, Panel, Unit

DPI = 300
WIDTH = 7.5  # inches: a page width of a Word document, margins taken off
INSIDE = 0.05  # a pie wedge gets its percentage inside from this share on
DOCUMENT_FONT = "Carlito"
"""The charts' font: metrically Calibri, the report's font (:mod:`rmxl.render.report.docx`)."""
RC: Any = {
    "font.size": 10,
    "svg.hashsalt": "rmxl",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def label_text(unit: Unit, value: float) -> str:
    """A data label from the value drawn: ``75.6%`` (share), ``33`` (count), ``3.43`` (USD
    million, two decimals as the seed's comparison chart)."""
    if unit == "share":
        return percent(value, 1)
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _wrap(label: str, width: int = 26) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


@functools.cache
def font_family() -> str:
    """:data:`DOCUMENT_FONT` if a file of it is installed (registered with matplotlib,
    whose font list may predate it), else matplotlib's bundled DejaVu Sans."""
    for path in font_manager.findSystemFonts(fontext="ttf"):
        if DOCUMENT_FONT.lower() in path.lower():
            font_manager.fontManager.addfont(path)
    names = {f.name for f in font_manager.fontManager.ttflist}
    return DOCUMENT_FONT if DOCUMENT_FONT in names else "DejaVu Sans"


@contextmanager
def _style() -> Iterator[None]:
    with matplotlib.rc_context({**RC, "font.family": font_family()}):
        yield


def draw(chart: Chart) -> Figure:
    """The chart as a matplotlib Figure on an Agg canvas (for PNG, or to inspect)."""
    with _style():
        if chart.kind == "pie":
            fig = _pie(chart)
        elif chart.kind == "bars":
            fig = _bars(chart)
        else:
            fig = _columns(chart)
        fig.suptitle(chart.title, fontsize=12, fontweight="bold")
    FigureCanvasAgg(fig)
    return fig


def png(chart: Chart) -> bytes:
    """The chart as PNG bytes; identical bytes for an identical chart."""
    fig = draw(chart)
    buf = io.BytesIO()
    with _style():
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _pie(chart: Chart) -> Figure:
    panel = chart.panels[0]
    series = panel.series[0]
    drawn = [
        (i, c, v) for i, (c, v) in enumerate(zip(panel.categories, series.values, strict=True)) if v
    ]
    fig = Figure(figsize=(WIDTH, 3.6), layout="constrained")
    ax, side = fig.subplots(1, 2, width_ratios=[1, 1.1])
    wedges, _ = ax.pie(
        [v for _, _, v in drawn],
        colors=[colour(i) for i, _, _ in drawn],
        startangle=90,
        counterclock=False,
        wedgeprops={"edgecolor": "white", "linewidth": 1},
    )
    for wedge, (i, _, v) in zip(wedges, drawn, strict=True):
        if v >= INSIDE:
            ax.annotate(
                label_text(series.unit, v),
                xy=_inside(wedge.theta1, wedge.theta2),
                ha="center",
                va="center",
                color=text_on(colour(i)),
                fontweight="bold",
            )
    side.axis("off")
    side.legend(
        wedges,
        [f"{_wrap(c, 32)}  {label_text(series.unit, v)}" for _, c, v in drawn],
        loc="center left",
        frameon=False,
        labelspacing=0.9,
    )
    ax.set_aspect("equal")
    return fig


def _inside(theta1: float, theta2: float, r: float = 0.68) -> tuple[float, float]:
    import math

    mid = math.radians((theta1 + theta2) / 2)
    return r * math.cos(mid), r * math.sin(mid)


def _bars(chart: Chart) -> Figure:
    n = max(len(p.categories) for p in chart.panels)
    fig = Figure(figsize=(WIDTH, 0.42 * n + 1.3), layout="constrained")
    axes = fig.subplots(1, len(chart.panels), sharey=True, squeeze=False)[0]
    for k, (ax, panel) in enumerate(zip(axes, chart.panels, strict=True)):
        _hbar_panel(ax, panel, k)
    axes[0].set_yticks(range(n), [_wrap(c) for c in chart.panels[0].categories])
    axes[0].invert_yaxis()
    return fig


def _hbar_panel(ax: Axes, panel: Panel, k: int) -> None:
    step = 0.8 / len(panel.series)
    top = max((max(s.values, default=0) for s in panel.series), default=0) or 1
    for j, s in enumerate(panel.series):
        ys = [i - 0.4 + step * (j + 0.5) for i in range(len(panel.categories))]
        bars = ax.barh(ys, s.values, height=step * 0.9, color=colour(k + j))
        ax.bar_label(bars, [label_text(s.unit, v) for v in s.values], padding=3, fontsize=9)
    ax.set_xlim(0, top * 1.3)
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.set_title(panel.title.replace(" (", "\n(", 1), fontsize=10.5)  # side by side: 2 lines
    ax.tick_params(axis="y", length=0)


def _columns(chart: Chart) -> Figure:
    ratios = [len(p.categories) + 0.6 for p in chart.panels]
    fig = Figure(figsize=(WIDTH, 3.4), layout="constrained")
    axes = fig.subplots(1, len(chart.panels), squeeze=False, width_ratios=ratios)[0]
    for ax, panel in zip(axes, chart.panels, strict=True):
        step = 0.8 / len(panel.series)
        top = max((max(s.values, default=0) for s in panel.series), default=0) or 1
        for j, s in enumerate(panel.series):
            xs = [i - 0.4 + step * (j + 0.5) for i in range(len(panel.categories))]
            bars = ax.bar(xs, s.values, width=step * 0.9, color=colour(j))
            bars.set_label(s.name)
            ax.bar_label(bars, [label_text(s.unit, v) for v in s.values], padding=2, fontsize=9)
        ax.set_xticks(range(len(panel.categories)), [_wrap(c, 14) for c in panel.categories])
        ax.set_ylim(0, top * 1.18)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="x", length=0)
        ax.set_title(panel.title, fontsize=10.5)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), frameon=False)
    return fig
