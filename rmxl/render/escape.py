"""Ledger text made inert in Markdown: the one escaping of every Markdown rmxl writes —
``rmxl diff --format markdown`` (:mod:`rmxl.tools.diff_render`, a pull-request comment)
and the report's Markdown (:mod:`rmxl.render.report.markup`).

A partner name, a title or a note is data, never markup: it cannot open an HTML tag
(``<img onerror=…>``, ``<b>``), write an entity (``&lt;`` shows as written), @mention
anyone in a pull-request comment (``@team``), emphasise, link or break a table (``*``,
``_``, ``[``, ``|``), start a heading or a list, or end its line (a line break becomes a
space). Every ``&`` is written ``&amp;`` (``R&D`` shows as written in every renderer).
"""

from __future__ import annotations

import re

# CommonMark's backslash escapes for the characters that start emphasis, code, links,
# tables, headings, strike-through and images; <, >, & and @ become entities below.
_SPECIAL = re.compile(r"([\\`*_\[\]|#~!])")
_LIST_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+])(?=\s|$)")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;"}
_ENTITY = re.compile("[&<>@]")


def markdown_text(text: str) -> str:
    """``text`` as Markdown that shows exactly ``text`` on one line: Markdown's special
    characters backslash-escaped, ``&``, ``<``, ``>`` and ``@`` written as entities, a
    list start (``1.``, ``-``) escaped, line breaks made spaces."""
    one_line = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    out = _SPECIAL.sub(r"\\\1", one_line)
    out = _LIST_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", out)
    return _ENTITY.sub(lambda m: _ENTITIES[m[0]], out)


def markdown_cell(text: str) -> str:
    """:func:`markdown_text` for a table cell (``|`` is escaped, so the row stays one
    row); the same escaping, named for where it is used."""
    return markdown_text(text)
