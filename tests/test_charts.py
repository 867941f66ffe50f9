"""Charts (rmxl/charts.py): labels are the drawn data, PNGs are stable bytes."""

from __future__ import annotations

import pytest
from matplotlib.patches import Wedge
from matplotlib.text import Annotation

from rmxl.pipeline.load import figures
from rmxl.query.figures import Figures
from rmxl.render.charts import draw, label_text, png
from rmxl.render.report.content import Chart, Panel, Report, Series, Table, build_report

from conftest import DEMO


@pytest.fixture(scope="module")
def demo() -> Figures:
    return figures(DEMO)


@pytest.fixture(scope="module")
def seed(demo: Figures) -> Report:
    return build_report(demo, ["2022", "2023-01..2023-04"], "2022-01..2022-04")


def chart(report: Report, name: str) -> Chart:
    return next(c for c in report.charts if c.name == name)


def pie_texts(c: Chart) -> tuple[list[Wedge], list[str], list[str]]:
    fig = draw(c)
    ax = fig.axes[0]
    wedges = [p for p in ax.patches if isinstance(p, Wedge)]
    inside = [t.get_text() for t in ax.texts if isinstance(t, Annotation)]
    legend = fig.axes[1].get_legend()
    return wedges, inside, [t.get_text() for t in legend.get_texts()]


def test_pie_label_is_the_share_it_draws(demo: Figures, seed: Report) -> None:
    """The seed's pie said 74.5% for governments; its own data, and ours, say 75.6%."""
    share = demo.share("partner_type", "Governmental entities", 2022)
    wedges, inside, legend = pie_texts(chart(seed, "2022-funds-by-partner-type"))
    assert label_text("share", share) == "75.6%"
    assert "75.6%" in inside and "74.5%" not in inside
    assert "Governmental entities  75.6%" in legend
    gov = wedges[0]  # taxonomy order, zero buckets not drawn
    assert (gov.theta2 - gov.theta1) == pytest.approx(360 * share)


def test_pie_draws_every_nonzero_bucket_and_no_zero_one(seed: Report) -> None:
    wedges, inside, legend = pie_texts(chart(seed, "2022-funds-by-partner-type"))
    assert legend == [
        "Governmental entities  75.6%",
        "Private sector entities  4.2%",
        "UN organizations  18.5%",
        "Foundations  0.2%",
        "Others  1.6%",
    ]
    assert len(wedges) == 5
    assert sorted(inside) == ["18.5%", "75.6%"]  # wedges under 5% are read in the legend


def test_cofinancing_pie_labels(seed: Report) -> None:
    _, inside, legend = pie_texts(chart(seed, "2023-01-to-2023-04-cofinancing"))
    assert legend == ["Partners' component  98.4%", "ITU component  1.6%"]
    assert inside == ["98.4%"]


def test_bar_labels_are_the_figures_shares(demo: Figures, seed: Report) -> None:
    fig = draw(chart(seed, "2022-regions"))
    number, funds = fig.axes
    labels = [t.get_text() for t in number.texts]
    expected = [label_text("share", s) for s in demo.breakdown("region", 2022, "agreements").shares]
    assert labels == expected and labels[0] == "12.7%"
    assert funds.texts[0].get_text() == "6.6%"
    # the text's rounding ("around USD 9.7 million"), not a second one (issue 11)
    assert funds.get_title() == "Funds signed\n(share of USD 9.7 million)"


def test_comparison_labels_two_decimals(seed: Report) -> None:
    fig = draw(chart(seed, "comparison"))
    count, money = fig.axes[:2]
    assert [t.get_text() for t in count.texts] == ["33", "30"]
    assert [t.get_text() for t in money.texts] == ["3.43", "0.46", "3.89", "5.32", "0.09", "5.41"]
    legend = fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == ["Jan-Apr 2022", "Jan-Apr 2023"]


def test_png_is_stable_bytes_without_metadata(seed: Report) -> None:
    c = chart(seed, "2022-priorities")
    first, second = png(c), png(c)
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert first == second
    assert b"Software" not in first and b"matplotlib" not in first


def test_label_text_units() -> None:
    assert label_text("share", 0.0017172596154231437) == "0.2%"
    assert label_text("count", 33.0) == "33"
    assert label_text("usd_million", 3.4304) == "3.43"


def test_long_labels_wrap() -> None:
    c = Chart(
        "bars",
        "x",
        "Long",
        (
            Panel(
                "Number",
                ("Inclusive & secure telecom/ICTs for sustainable development", "Short"),
                (Series("n", (0.5, 0.5), "share"),),
            ),
        ),
    )
    ticks = [t.get_text() for t in draw(c).axes[0].get_yticklabels()]
    assert ticks[0] == "Inclusive & secure\ntelecom/ICTs for\nsustainable development"


def test_zero_buckets_left_out_of_bars_kept_in_tables(seed: Report) -> None:
    """Jan-Apr 2023: no agreement in the Arab States or the CIS (seed §4 chart lists five
    regions); the table still lists all seven with their zeros."""
    fig = draw(chart(seed, "2023-01-to-2023-04-regions"))
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert shown == ["Africa", "Americas", "Asia-Pacific", "Europe", "Multi-regions"]
    table = next(
        b
        for b in seed.blocks
        if isinstance(b, Table) and b.headers[0] == "Region" and b.rows[-1][1] == "30"
    )
    assert ("Arab States", "0", "0.0%", "0", "0.0%") in table.rows


def test_charts_print_at_300_dpi_in_the_documents_font() -> None:
    from matplotlib import font_manager

    from rmxl.render.charts import DPI, font_family

    assert DPI >= 300
    installed = any("carlito" in f.lower() for f in font_manager.findSystemFonts())
    assert font_family() == ("Carlito" if installed else "DejaVu Sans")  # .ci/run installs it
