"""The report as data: headings, paragraphs, tables and charts in reading order.

Built by :mod:`rmxl.render.report.content` (generated sections) and
:mod:`rmxl.render.report.template` (the team's template); drawn by the renderers
(:mod:`~rmxl.render.report.text`, :mod:`~rmxl.render.report.markup`,
:mod:`~rmxl.render.report.docx`) and :mod:`rmxl.render.charts`. Every text here is plain
text; each renderer escapes it for its format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Unit = Literal["share", "count", "usd_million"]
"""How a chart series' values are drawn and labelled: a fraction 0–1 (``75.6%``), a count
(``33``) or USD millions (``3.43``)."""


@dataclass(frozen=True, slots=True)
class Series:
    """One series of a chart: a value per category, in ``unit``."""

    name: str
    values: tuple[float, ...]
    unit: Unit


@dataclass(frozen=True, slots=True)
class Panel:
    """One plot of a chart: categories (in row order) and one or more series."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart to draw (:mod:`rmxl.render.charts`): ``pie`` (one panel, one share series),
    ``bars`` (horizontal, panels side by side) or ``columns`` (vertical, clustered).
    ``name`` is the file stem (``2022-funds-by-partner-type``; without the period in a
    one-period report)."""

    kind: Literal["pie", "bars", "columns"]
    name: str
    title: str
    panels: tuple[Panel, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading; ``level`` 2 is a section ("3. Partnerships …", its number in the text),
    3 a subsection."""

    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of plain text. ``lead`` is printed in bold before it ("Summary:");
    ``bullet`` makes it a list item; ``note`` is a footnote whose mark ends the sentence
    (before its final full stop)."""

    text: str
    lead: str = ""
    bullet: bool = False
    note: str = ""

    def split_stop(self) -> tuple[str, str]:
        """The text and its final full stop (``""`` if none): the footnote mark goes between."""
        return (self.text[:-1], ".") if self.text.endswith(".") else (self.text, "")


@dataclass(frozen=True, slots=True)
class Table:
    """A table of formatted cells; ``numeric[i]`` right-aligns column ``i``; a last row
    whose first cell is ``Total`` is printed in bold."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]


Block = Heading | Paragraph | Table | Chart


@dataclass(frozen=True, slots=True)
class Report:
    """The report: a title, its title block (``front``: label and value lines such as
    ``("Period", "2022")``), its blocks in reading order, and the ``source`` line every
    page's footer carries (ledger commit, build time, rmxl version)."""

    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    front: tuple[tuple[str, str], ...] = ()
    source: str = ""

    @property
    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]

    @property
    def notes(self) -> list[str]:
        """The footnotes, in order (note ``n`` is numbered ``n + 1``)."""
        return [b.note for b in self.blocks if isinstance(b, Paragraph) and b.note]
