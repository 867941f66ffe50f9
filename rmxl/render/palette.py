"""The one chart palette, shared by the report's charts (matplotlib) and the workbook's
native Excel charts.

Colours are Okabe & Ito's ("Color Universal Design", 2008), distinguishable with the
common colour-vision deficiencies, with Paul Tol's wine and indigo in place of
Okabe–Ito's yellow (a yellow sliver vanishes on white paper) and black. The order puts
colours of clearly different lightness next to each other (CIE L* at least 11 apart,
the last one wrapping round to the first), so neighbouring wedges and bars stay apart
in greyscale print too. A category keeps its colour from period to period because
colours follow taxonomy order.
"""

from __future__ import annotations

PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#56B4E9",  # sky blue
    "#D55E00",  # vermilion
    "#882255",  # wine (Tol)
    "#7F7F7F",  # grey
    "#332288",  # indigo (Tol)
    "#CC79A7",  # reddish purple
)
"""Hex ``#RRGGBB`` colours; series or category ``i`` takes ``colour(i)``."""


def colour(i: int) -> str:
    """The palette's colour for series or category ``i`` (0-based), cycling past the end."""
    return PALETTE[i % len(PALETTE)]


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#RRGGBB``: 0 (black) to 1 (white)."""
    channels = [int(hex_colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_on(hex_colour: str) -> str:
    """``"black"`` or ``"white"``: the text colour with the higher WCAG 2.1 contrast
    ratio on ``hex_colour`` (black wins above a relative luminance of about 0.18)."""
    y = relative_luminance(hex_colour)
    return "black" if (y + 0.05) / 0.05 > 1.05 / (y + 0.05) else "white"
