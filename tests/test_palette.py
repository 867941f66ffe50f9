"""The one chart palette (rmxl/render/palette.py): used by the report's and the
workbook's charts, safe for colour-blind readers and for greyscale print.

The checks recompute lightness and colour-vision-deficiency simulations from published
formulas (CIE 1976 L*a*b*, D65; Machado, Oliveira & Fernandes 2009, severity 1.0), not
from the module's code."""

from __future__ import annotations

import itertools
import re
import zipfile
from pathlib import Path

import pytest

from rmxl.pipeline.load import figures
from rmxl.render import charts as report_charts
from rmxl.render.palette import PALETTE, colour, text_on
from rmxl.render.workbook import charts as workbook_charts
from rmxl.render.workbook.build import build_workbook

from conftest import DEMO

MACHADO = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def linear_rgb(hex_colour: str) -> tuple[float, ...]:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return tuple(lin(int(hex_colour[k : k + 2], 16) / 255) for k in (1, 3, 5))


def lab(rgb: tuple[float, ...]) -> tuple[float, float, float]:
    r, g, b = (min(max(c, 0.0), 1.0) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def neighbours() -> list[tuple[str, str]]:
    return [(PALETTE[i], colour(i + 1)) for i in range(len(PALETTE))]


def test_neighbours_differ_in_greyscale() -> None:
    """Printed in grey, two neighbouring wedges or bars (the last wraps to the first)
    are at least 10 L* apart; the seed workbook's yellow #FFD966 next to its pale
    green #A9D18E was 5 apart."""
    for a, b in neighbours():
        assert abs(lab(linear_rgb(a))[0] - lab(linear_rgb(b))[0]) >= 10, (a, b)
    assert abs(lab(linear_rgb("#FFD966"))[0] - lab(linear_rgb("#A9D18E"))[0]) < 10


@pytest.mark.parametrize("deficiency", sorted(MACHADO))
def test_neighbours_differ_for_colour_blind_readers(deficiency: str) -> None:
    m = MACHADO[deficiency]
    for a, b in neighbours():
        seen = [
            lab(tuple(sum(m[i][j] * c[j] for j in range(3)) for i in range(3)))
            for c in (linear_rgb(a), linear_rgb(b))
        ]
        assert sum((p - q) ** 2 for p, q in zip(*seen, strict=True)) ** 0.5 >= 15, (a, b)


def test_no_colour_vanishes_on_white_paper() -> None:
    """WCAG 2.1 contrast with white at least 2:1 (the old workbook yellow had 1.4:1)."""
    for c in (*PALETTE, "#FFD966"):
        y = 0.2126 * linear_rgb(c)[0] + 0.7152 * linear_rgb(c)[1] + 0.0722 * linear_rgb(c)[2]
        assert (1.05 / (y + 0.05) >= 2) == (c != "#FFD966"), c


def test_distinct_and_cycling() -> None:
    assert len(set(PALETTE)) == len(PALETTE)
    assert colour(len(PALETTE) + 2) == PALETTE[2]


def test_label_text_colour_is_the_more_contrasting() -> None:
    assert text_on("#332288") == "white"  # contrast 12.2 with white, 1.7 with black
    assert text_on("#E69F00") == "black"  # 2.2 with white, 9.3 with black
    assert text_on("#FFFFFF") == "black" and text_on("#000000") == "white"


def test_one_palette_for_report_and_workbook(tmp_path: Path) -> None:
    """Neither chart module keeps a palette of its own, and the built workbook's chart
    fills are the palette's colours."""
    assert not hasattr(report_charts, "PALETTE") and not hasattr(workbook_charts, "PALETTE")
    out = tmp_path / "rm.xlsx"
    build_workbook(figures(DEMO), out, ["2022"], environ={"SOURCE_DATE_EPOCH": "0"})
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/"))
    fills = set(re.findall(r'<a:srgbClr val="([0-9A-F]{6})"', xml))
    assert {f"#{f}" for f in fills} - {"#FFFFFF"} <= set(PALETTE)
    assert "#FFD966" not in {f"#{f}" for f in fills}
    assert set(itertools.islice(PALETTE, 3)) <= {f"#{f}" for f in fills}
