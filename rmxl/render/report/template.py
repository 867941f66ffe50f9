"""The report's template: the team's standing text with figures and generated blocks, in a
Markdown-like file edited by pull request (docs/report.md, "The template").

Shape (``workbook/report-template.md`` is the demo)::

    ---
    title: Partnerships and resource mobilization
    Period: 2022                                   # any "Label: value" line of the title block
    ---
    **Summary:** text …                            # a bold lead, then the paragraph
    # Background                                   # a numbered section: "1. Background"
    # Contact {-}                                  # an unnumbered one
    ## A subsection
    - **Outreach:** text                           # a list item
    In 2022, BDT signed {{ RM_TOTAL(2022, "agreements") | count }} agreements …
    {% regions(2022) %}                            # a generated block, alone on its line
    {# a comment, removed #}

A figure ``{{ EXPR | FORMAT }}`` is one RM_ call written as in an Excel cell
(:func:`rmxl.query.expr.parse`) and one format of :data:`FORMATS`; it stays on one line.
A paragraph's lines are joined with spaces; a blank line ends it.

This module only reads the file (:func:`read_template`): every problem it can see
without a ledger is a ``report-template-…`` diagnostic at ``file:line:col`` (catalogue:
:mod:`rmxl.diagnostics`), kept with the template; evaluating the figures and blocks
against a ledger (:mod:`rmxl.render.report.assemble`) adds its own and raises them all
together as :class:`ReportTemplateError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rmxl.diagnostics import Diagnostic, QueryError, Source, make
from rmxl.query.expr import parse
from rmxl.query.names import closest
from rmxl.read.files import decode

FORMATS = ("count", "number", "usd", "usd_millions", "around_usd", "percent", "percent1", "text")
"""Formats of a figure: ``71``, ``9,669,771``, ``USD 9,669,771``, ``USD 9.7 million``,
``around USD 9.7 million``, ``42%``, ``42.1%``, the text as is (RM_INFO)."""

BLOCKS: dict[str, tuple[str, ...]] = {
    "section": ("period",),
    "headline": ("period",),
    "cofinancing": ("period",),
    "partner_types": ("period",),
    "membership": ("period",),
    "top": ("count", "period"),
    "regions": ("period",),
    "priorities": ("period",),
    "comparison": ("period", "period"),
}
"""Generated blocks and their arguments (:mod:`rmxl.render.report.assemble` builds them)."""

TEMPLATE_NAME = "report-template.md"

_FIGURE = re.compile(r"\{\{(.*?)\}\}")
_DIRECTIVE = re.compile(r"^\{%(.*)%\}$")
_BULLET = re.compile(r"^[-*•·]\s+")
_LEAD = re.compile(r"^\*\*(.+?)\*\*\s*")
_UNNUMBERED = re.compile(r"\s*\{-\}$")


class ReportTemplateError(Exception):
    """A template with errors; ``diagnostics`` holds every one."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        more = f" (and {len(diagnostics) - 1} more)" if len(diagnostics) > 1 else ""
        super().__init__(f"{self.diagnostics[0]}{more}")


@dataclass(frozen=True)
class Figure:
    """``{{ NAME(args) | format }}``: the call, the format (None: by the value's type) and
    where the expression starts."""

    name: str
    args: tuple[Any, ...]
    format: str | None
    source: Source


Part = str | Figure
"""A piece of text: literal text or a figure."""


@dataclass(frozen=True)
class Item:
    """One element of the body: a ``heading`` (level 2 section, ``numbered`` or not;
    level 3 subsection), a ``paragraph`` or ``bullet`` (with an optional bold ``lead``),
    or a ``block`` (``name`` and ``args``)."""

    kind: Literal["heading", "paragraph", "bullet", "block"]
    parts: tuple[Part, ...]
    source: Source
    lead: tuple[Part, ...] = ()
    level: int = 2
    numbered: bool = False
    name: str = ""
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Template:
    """A read template: title, title-block lines, body items; ``file`` for messages;
    ``problems`` found while reading (reported with the ledger's, all at once, by
    :func:`rmxl.render.report.assemble.build_from_template`)."""

    file: str
    title: tuple[Part, ...]
    front: tuple[tuple[str, tuple[Part, ...]], ...]
    items: tuple[Item, ...]
    problems: tuple[Diagnostic, ...] = ()


def load_template(path: Path) -> Template:
    """Read the template at ``path``. Raises :class:`ReportTemplateError`."""
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        where = Source(Path(path).as_posix(), 1, 1)
        raise ReportTemplateError(
            [make("file-unreadable", f"cannot read the template: {e.strerror}", where)]
        ) from None
    return read_template(raw, Path(path).as_posix())


def read_template(raw: bytes, file: str) -> Template:
    """Parse a template's bytes (``file`` names it in diagnostics); problems are kept in
    ``problems``. Raises :class:`ReportTemplateError` only for bytes that are not
    UTF-8 text."""
    diags: list[Diagnostic] = []
    text = decode(raw, file, diags)
    if text is None:
        raise ReportTemplateError(diags)
    reader = _Reader(file, diags)
    lines = _uncomment(text, reader).split("\n")
    start, title, front = reader.front(lines)
    items = reader.body(lines, start)
    return Template(file, title, front, tuple(items), tuple(diags))


def _uncomment(text: str, reader: _Reader) -> str:
    """``{# … #}`` replaced by spaces (line breaks kept, so positions hold)."""
    out: list[str] = []
    pos = 0
    while (start := text.find("{#", pos)) >= 0:
        end = text.find("#}", start + 2)
        if end < 0:
            reader.syntax(text, start, "a comment '{#' is not closed", "end it with '#}'")
            return "".join(out) + text[pos:start]
        out += [text[pos:start], re.sub(r"[^\n]", " ", text[start : end + 2])]
        pos = end + 2
    return "".join([*out, text[pos:]])


class _Reader:
    """Reads lines into parts and items, collecting diagnostics."""

    def __init__(self, file: str, diags: list[Diagnostic]):
        self.file, self.diags = file, diags

    def at(self, line: int, col: int) -> Source:
        return Source(self.file, line, col)

    def syntax(self, text: str, offset: int, message: str, hint: str = "") -> None:
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        self.diags.append(make("report-template-syntax", message, self.at(line, col), hint))

    def front(self, lines: list[str]) -> tuple[int, tuple[Part, ...], tuple[Any, ...]]:
        """The ``---`` block at the top: ``title`` and the title-block lines; returns the
        index of the first body line."""
        if not lines or lines[0].strip() != "---":
            return 0, (), ()
        title: tuple[Part, ...] = ()
        front: list[tuple[str, tuple[Part, ...]]] = []
        for i, line in enumerate(lines[1:], 1):
            if line.strip() == "---":
                return i + 1, title, tuple(front)
            if not line.strip():
                continue
            key, sep, value = line.partition(":")
            if not sep or not key.strip() or not value.strip():
                hint = "write 'Label: value', e.g. 'Period: 2022'"
                self.diags.append(
                    make(
                        "report-template-syntax",
                        "not a 'Label: value' line",
                        self.at(i + 1, 1),
                        hint,
                    )
                )
                continue
            parts = self.parts(value.strip(), i + 1, len(key) + 2 + _indent(value))
            if key.strip() == "title":
                title = parts
            else:
                front.append((key.strip(), parts))
        hint = "end the title block with a line '---'"
        self.diags.append(
            make("report-template-syntax", "the title block is not closed", self.at(1, 1), hint)
        )
        return len(lines), title, tuple(front)

    def body(self, lines: list[str], start: int) -> list[Item]:
        items: list[Item] = []
        current: list[Any] | None = None  # [kind, parts, source, lead]
        for i in range(start, len(lines)):
            line, n = lines[i], i + 1
            text = line.strip()
            col = _indent(line) + 1
            if not text:
                current = None
                continue
            if _DIRECTIVE.match(text):
                items.append(self.directive(text, n, col))
                current = None
            elif text.startswith("#"):
                items.append(self.heading(text, n, col))
                current = None
            elif (bullet := _BULLET.match(text)) or current is None:
                skip = bullet.end() if bullet else 0
                kind: Literal["bullet", "paragraph"] = "bullet" if bullet else "paragraph"
                current = [kind, list(self.parts(text[skip:], n, col + skip)), self.at(n, col)]
                items.append(Item(kind, (), self.at(n, col)))  # filled below
            else:
                current[1] += [" ", *self.parts(text, n, col)]
            if current is not None:
                items[-1] = _with_lead(current[0], current[1], current[2])
        return items

    def heading(self, text: str, n: int, col: int) -> Item:
        level = len(text) - len(text.lstrip("#"))
        title = text[level:].strip()
        numbered = not _UNNUMBERED.search(title)
        title = _UNNUMBERED.sub("", title)
        if level > 2 or not title:
            why = "a heading is '# Title' (a section) or '## Title' (a subsection)"
            self.diags.append(make("report-template-syntax", why, self.at(n, col)))
        parts = self.parts(title, n, col + text.find(title[:1]) if title else col)
        return Item(
            "heading", parts, self.at(n, col), level=level + 1, numbered=numbered and level == 1
        )

    def directive(self, text: str, n: int, col: int) -> Item:
        inner = _DIRECTIVE.match(text)[1]  # type: ignore[index]
        src = self.at(n, col + 2 + _indent(inner))
        try:
            name, args = parse(inner.strip())
        except QueryError as e:
            hint = "write e.g. {% regions(2022) %}"
            self.diags.append(make("report-template-syntax", str(e), src, hint))
            return Item("block", (), src)
        if name not in BLOCKS:
            hint = f"use {', '.join(BLOCKS)}{closest(name, list(BLOCKS))}"
            msg = f"unknown block '{name}'"
            self.diags.append(make("report-template-block", msg, src, hint))
        elif len(args) != len(BLOCKS[name]):
            sig = ", ".join(BLOCKS[name])
            msg = f"{name} takes {len(BLOCKS[name])} argument(s) ({sig}), not {len(args)}"
            self.diags.append(make("report-template-block", msg, src, f"write {name}({sig})"))
        return Item("block", (), src, name=name, args=tuple(args))

    def parts(self, text: str, n: int, col: int) -> tuple[Part, ...]:
        """Literal text and figures of one line's ``text`` starting at column ``col``."""
        out: list[Part] = []
        pos = 0
        for m in _FIGURE.finditer(text):
            out.append(text[pos : m.start()])
            out.append(self.figure(m[1], n, col + m.start(1)))
            pos = m.end()
        rest = text[pos:]
        for mark, why in (
            ("{{", "a figure '{{' is not closed on its line"),
            ("{%", "a block stands alone on its line"),
        ):
            if mark in rest:
                hint = (
                    "end it with '}}' on the same line"
                    if mark == "{{"
                    else "put {% … %} on a line of its own"
                )
                at = self.at(n, col + pos + rest.index(mark))
                self.diags.append(make("report-template-syntax", why, at, hint))
        out.append(rest)
        return tuple(p for p in out if p != "")

    def figure(self, inner: str, n: int, col: int) -> Figure:
        src = self.at(n, col + _indent(inner))
        expr, fmt = _split_format(inner)
        try:
            name, args = parse(expr)
        except QueryError as e:
            hint = 'write e.g. {{ RM_TOTAL(2022, "funds") | usd_millions }}'
            self.diags.append(make("report-template-syntax", str(e), src, hint))
            return Figure("", (), None, src)
        if fmt is not None and fmt not in FORMATS:
            hint = f"use {', '.join(FORMATS)}{closest(fmt, list(FORMATS))}"
            at = self.at(n, col + inner.rindex("|") + 1 + _indent(inner[inner.rindex("|") + 1 :]))
            self.diags.append(make("report-template-format", f"unknown format '{fmt}'", at, hint))
            fmt = None
        return Figure(name, tuple(args), fmt, src)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _split_format(inner: str) -> tuple[str, str | None]:
    """``RM_TOTAL(2022) | usd`` → (``RM_TOTAL(2022)``, ``usd``); a ``|`` inside quotes
    belongs to the expression."""
    quoted = False
    for i in range(len(inner) - 1, -1, -1):
        if inner[i] == '"':
            quoted = not quoted
        elif inner[i] == "|" and not quoted:
            return inner[:i].strip(), inner[i + 1 :].strip()
    return inner.strip(), None


def _with_lead(kind: Literal["bullet", "paragraph"], parts: list[Part], src: Source) -> Item:
    """A paragraph or list item; leading ``**Lead:**`` text becomes its bold lead."""
    if parts and isinstance(parts[0], str) and (m := _LEAD.match(parts[0])):
        rest = parts[0][m.end() :]
        return Item(kind, tuple(p for p in (rest, *parts[1:]) if p != ""), src, lead=(m[1],))
    return Item(kind, tuple(parts), src)
