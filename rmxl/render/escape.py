"""Ledger text made inert in Markdown by entities, for ``rmxl diff --format markdown``
(:mod:`rmxl.tools.diff_render`, a pull-request comment); the report's Markdown escapes
with backslashes (:func:`rmxl.render.report.markup.md_escape`).

A partner name, a title or a note is data, never markup: it cannot open an HTML tag
(``<img onerror=…>``, ``<b>``), write an entity (``&lt;`` shows as written), @mention
anyone in a pull-request comment (``@team``), or break a table (``|``, a line break).
Every ``&`` is written ``&amp;`` (``R&D`` shows as written in every renderer).
"""

from __future__ import annotations


def markdown_text(text: str) -> str:
    """``text`` as Markdown that shows exactly ``text``: ``&``, ``<``, ``>`` and ``@``
    written as entities."""
    text = text.replace("&", "&amp;")
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")


def markdown_cell(text: str) -> str:
    """:func:`markdown_text` for a table cell: ``|`` escaped and line breaks made spaces,
    so the row stays one row."""
    return markdown_text(text).replace("|", "\\|").replace("\r\n", " ").replace("\n", " ")
