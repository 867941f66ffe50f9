"""The Analysis sheet's template: the team's own questions, as RM_ formulas, in a YAML file
edited by pull request like the ledger (docs/workbook.md, "The template").

Shape::

    analysis:
      - section: Headline figures        # a heading on the sheet
        per_period: true                 # asked for each period built: {period}
        each: region                     # optional: asked for each bucket: {bucket}
        questions:
          - {label: "Funds (USD)", formula: '=RM_TOTAL({period})', format: money}

``{period}`` in a formula becomes the period as a cell passes it (``2022`` or
``"2023-01..2023-04"``), in a label its readable name (``2023 to 30 Apr``); ``{bucket}``
becomes the bucket's label (quoted in a formula). A per-period label without
``{period}`` gets ``, <period>`` appended; a per-bucket label without ``{bucket}`` gets
``<bucket>: `` in front. Keys starting with ``x_`` are ignored, as in the ledger.

The file is read by :func:`rmxl.read.files.decode` and :func:`rmxl.read.files.parse_text` (safe,
located); every problem is a ``template-…`` diagnostic at its ``file:line:col``
(catalogue: :mod:`rmxl.diagnostics`), raised together as :class:`TemplateError`, so
``rmxl build`` writes nothing. Whether the ledger can answer a question (a bucket, a
period without agreements) is not checked here: the cell then shows the message the
Excel function would return.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rmxl.diagnostics import Diagnostic, QueryError, Source, make
from rmxl.model import Taxonomy
from rmxl.query.buckets import taxonomy_buckets
from rmxl.query.expr import parse
from rmxl.query.functions import FUNCTIONS
from rmxl.query.names import closest, dimension, measure
from rmxl.query.periods import Period, parse_period
from rmxl.read.files import LMap, LSeq, decode, parse_text, read_raw
from rmxl.render.labels import period_label
from rmxl.render.workbook.meta import period_arg
from rmxl.render.workbook.style import quote
from rmxl.validate.checks import key_problems

FORMATS = ("money", "count", "percent", "text", "table")
"""Cell formats: USD ``#,##0``, count ``#,##0``, share ``0.0%``, text as is, and a table
that spills (dynamic array)."""

EACH = ("region", "priority", "partner_type", "membership")
"""Dimensions whose buckets a section can go through (the taxonomy's, spec §3)."""

TEMPLATE_NAME = "template.yaml"
"""The template ``rmxl build`` uses when it lies beside the output workbook."""

DEFAULT_PATH = Path(__file__).with_name("default_template.yaml")
"""rmxl's built-in questions (package data), used when there is no template."""

ARG_KINDS: dict[str, tuple[str | None, ...]] = {
    "RM_SHARE": ("dimension", None, "period", "measure"),
    "RM_TOTAL": ("period", "measure", "dimension", None),
    "RM_BREAKDOWN": ("dimension", "period", "measure"),
    "RM_TOP": (None, "period", "measure"),
    "RM_INFO": (None,),
}
"""What each argument of an RM_ function names (spec §5), for the checks a template can
have without a ledger."""

_CHECK = {"dimension": dimension, "measure": measure, "period": parse_period}
_KEYS = {
    "top": (("analysis",), ()),
    "section": (("section", "questions"), ("per_period", "each")),
    "question": (("label", "formula", "format"), ()),
}
_STRING = re.compile(r'"(?:[^"]|"")*"')
_PLACE = re.compile(r"\{([^{}\s]*)\}")
_SAMPLE = {"period": "2022", "bucket": '"{bucket}"'}


class TemplateError(Exception):
    """A template with errors; ``diagnostics`` holds every one (``template-…`` codes, or
    ``yaml-…``/``encoding``/``file-unreadable`` from reading)."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        more = f" (and {len(diagnostics) - 1} more)" if len(diagnostics) > 1 else ""
        super().__init__(f"{diagnostics[0]}{more}")


@dataclass(frozen=True)
class Question:
    """One question: a label, a formula with placeholders, a format of :data:`FORMATS`."""

    label: str
    formula: str
    format: str


@dataclass(frozen=True)
class Section:
    """A heading and its questions; ``per_period`` repeats them for each period built,
    ``each`` (a dimension of :data:`EACH`) for each of its buckets."""

    title: str
    per_period: bool
    each: str | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Template:
    """A checked template; ``name`` says where it comes from (shown on the sheet)."""

    name: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Asked:
    """One cell to write: ``formula`` is ready for the cell; ``block`` is the period's
    index (None for a question asked once)."""

    section: str
    label: str
    formula: str
    format: str
    block: int | None

    @property
    def table(self) -> bool:
        return self.format == "table"


def template_path(out: Path, given: Path | None) -> Path | None:
    """The template a build uses: ``given``; else :data:`TEMPLATE_NAME` beside the output
    workbook when it exists; else None (the built-in :data:`DEFAULT_PATH`)."""
    if given is not None:
        return given
    beside = Path(out).parent / TEMPLATE_NAME
    return beside if beside.is_file() else None


def load_template(path: Path | None = None) -> Template:
    """Read and check the template at ``path`` (None: the built-in one). Raises
    :class:`TemplateError` with every problem found."""
    file = DEFAULT_PATH if path is None else Path(path)
    name = "rmxl's built-in questions" if path is None else file.as_posix()
    diags: list[Diagnostic] = []
    raw = read_raw(file, file.as_posix(), diags)
    if raw is None:
        raise TemplateError(diags)
    return read_template(raw, file.as_posix(), name)


def read_template(raw: bytes, file: str, name: str | None = None) -> Template:
    """Parse and check a template's bytes (``file`` is used in diagnostics). Raises
    :class:`TemplateError`."""
    diags: list[Diagnostic] = []
    text = decode(raw, file, diags)
    data = None if text is None else parse_text(text, file, diags)
    diags = [_not_mapping(d) if d.code == "file-not-mapping" else d for d in diags]
    sections: list[Section] = []
    if data is None and not diags:
        diags.append(_missing("analysis", "the template", Source(file, 1, 1)))
    elif data is not None and _keys(data, "top", "the template", diags):
        sections = _sections(data, diags)
    if diags:
        raise TemplateError(sorted(diags, key=Diagnostic.sort_key))
    return Template(name or file, tuple(sections))


def _not_mapping(d: Diagnostic) -> Diagnostic:
    return make(
        "template-wrong-type",
        "the template must be a mapping with an 'analysis' list",
        d.source,
        "start the file with 'analysis:'",
    )


def _missing(key: str, what: str, src: Source) -> Diagnostic:
    return make("template-missing-key", f"{what} has no '{key}'", src, f"add '{key}:'")


def _keys(m: LMap, kind: str, what: str, diags: list[Diagnostic]) -> bool:
    """Unknown keys (``x_`` allowed) and missing required ones; True if none missing."""
    required, optional = _KEYS[kind]
    known = [*required, *optional]
    unknown, absent = key_problems(m, required, optional)
    for key in unknown:
        hint = closest(str(key), known).removeprefix(" — ")
        msg = f"unknown key '{key}' in {what} ({', '.join(known)})"
        diags.append(make("template-unknown-key", msg, m.key_src(key), hint))
    diags.extend(_missing(k, what, m.src()) for k in absent)
    return not absent


def _wrong(diags: list[Diagnostic], src: Source, message: str, hint: str = "") -> None:
    diags.append(make("template-wrong-type", message, src, hint))


def _sections(data: LMap, diags: list[Diagnostic]) -> list[Section]:
    items = data["analysis"]
    if not isinstance(items, LSeq):
        _wrong(diags, data.val_src("analysis"), "'analysis' must be a list of sections")
        return []
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, LMap):
            _wrong(diags, items.item_src(i), "a section is a mapping", "write '- section: …'")
        elif (section := _section(item, diags)) is not None:
            out.append(section)
    return out


def _section(m: LMap, diags: list[Diagnostic]) -> Section | None:
    if not _keys(m, "section", "a section", diags):
        return None
    title, per_period, each = m["section"], m.get("per_period", False), None
    if not isinstance(title, str) or not title.strip():
        _wrong(diags, m.val_src("section"), "a section's title is text")
    if not isinstance(per_period, bool):
        _wrong(diags, m.val_src("per_period"), "'per_period' is true or false")
    if "each" in m:
        each = _each(m["each"], m.val_src("each"), diags)
    items = m["questions"]
    if not isinstance(items, LSeq) or not items:
        _wrong(diags, m.val_src("questions"), "'questions' is a list of at least one question")
        return None
    flags = (per_period is not False, "each" in m)  # a bad value is reported once, above
    questions = []
    for i, item in enumerate(items):
        if not isinstance(item, LMap):
            hint = "write '- {label: …, formula: …, format: …}'"
            _wrong(diags, items.item_src(i), "a question is a mapping", hint)
        elif (q := _question(item, flags, diags)) is not None:
            questions.append(q)
    return Section(str(title).strip(), per_period is True, each, tuple(questions))


def _each(value: Any, src: Source, diags: list[Diagnostic]) -> str | None:
    try:
        dim = dimension(value) if isinstance(value, str) else None
    except QueryError:
        dim = None
    if dim in EACH:
        return dim
    hint = closest(str(value), list(EACH)).removeprefix(" — ")
    msg = f"'each' is a dimension of the taxonomy ({', '.join(EACH)}), not '{value}'"
    diags.append(make("template-each", msg, src, hint))
    return None


def _question(m: LMap, flags: tuple[bool, bool], diags: list[Diagnostic]) -> Question | None:
    if not _keys(m, "question", "a question", diags):
        return None
    label, formula, fmt = m["label"], m["formula"], m["format"]
    ok = True
    for key, value in (("label", label), ("formula", formula)):
        if not isinstance(value, str) or not value.strip():
            _wrong(diags, m.val_src(key), f"'{key}' is text", "quote it")
            ok = False
    if not ok:
        return None
    label, formula = label.strip(), "=" + formula.strip().removeprefix("=")
    _placeholders(label, m.val_src("label"), flags, diags, in_formula=False)
    found = len(diags)
    _placeholders(formula, m.val_src("formula"), flags, diags, in_formula=True)
    table = _formula(formula, m.val_src("formula"), diags) if len(diags) == found else None
    if not isinstance(fmt, str) or fmt not in FORMATS:
        hint = closest(str(fmt), list(FORMATS)).removeprefix(" — ")
        msg = f"format '{fmt}' is not one of {', '.join(FORMATS)}"
        diags.append(make("template-format", msg, m.val_src("format"), hint))
    elif table is not None and table != (fmt == "table"):
        msg = (
            "this formula gives a table: its format is 'table'"
            if table
            else f"this formula gives one value: format '{fmt}' is for tables"
        )
        diags.append(make("template-format", msg, m.val_src("format")))
    return Question(label, formula, str(fmt))


def _placeholders(
    text: str, src: Source, flags: tuple[bool, bool], diags: list[Diagnostic], in_formula: bool
) -> None:
    """``{period}`` only in a per-period section (and in each of its formulas),
    ``{bucket}`` likewise with ``each``; nothing else in braces; in a formula, never
    inside quotes (it is replaced by a literal)."""
    outside = _STRING.sub('""', text) if in_formula else text
    used = set(_PLACE.findall(outside))
    quoted = {n for s in _STRING.findall(text) for n in _PLACE.findall(s)} if in_formula else set()
    for name in sorted(used - set(_SAMPLE)):
        msg = f"unknown placeholder {{{name}}} (write {{period}} or {{bucket}})"
        diags.append(make("template-placeholder", msg, src))
    for name, on, key in (("period", flags[0], "per_period: true"), ("bucket", flags[1], "each")):
        if name in quoted:
            becomes = '2022 or "2023-01..2023-04"' if name == "period" else 'the quoted "Africa"'
            msg = f"write {{{name}}} without quotes: it becomes {becomes}"
            diags.append(make("template-placeholder", msg, src))
        elif name in used and not on:
            msg = f"{{{name}}} is only known in a section with '{key}'"
            diags.append(make("template-placeholder", msg, src, f"add '{key}' to the section"))
        elif in_formula and on and name not in used:
            msg = f"the section has '{key}' but this formula has no {{{name}}}"
            hint = "each answer would be the same; move the question to another section"
            diags.append(make("template-placeholder", msg, src, hint))


def _formula(formula: str, src: Source, diags: list[Diagnostic]) -> bool | None:
    """Check an RM_ call (placeholders filled with samples): readable, a known function,
    the right number of arguments, dimension, measure and period names that exist.
    Returns whether it gives a table, or None when it cannot be read."""
    try:
        name, args = parse(fill(formula, _SAMPLE))
    except QueryError as e:
        hint = "" if "write e.g." in str(e) else 'write e.g. =RM_SHARE("region","Africa",2022)'
        diags.append(make("template-formula", str(e), src, hint))
        return None
    key = name.upper()
    if key not in FUNCTIONS:
        msg = f"{name} is not an rmxl function{closest(key, list(FUNCTIONS))}"
        diags.append(make("template-function", msg, src, f"use {', '.join(FUNCTIONS)}"))
        return None
    _, least, most = FUNCTIONS[key]
    while len(args) > least and args[-1] is None:
        args = args[:-1]
    if not least <= len(args) <= most:
        msg = f"{key} takes {least} to {most} arguments, not {len(args)}"
        diags.append(make("template-formula", msg, src))
        return None
    for kind, arg in zip(ARG_KINDS[key], args, strict=False):
        if kind is not None and arg is not None:
            try:
                _CHECK[kind](arg)
            except QueryError as e:
                diags.append(make("template-argument", str(e), src))
    return key in ("RM_BREAKDOWN", "RM_TOP") or (key == "RM_INFO" and not args)


def fill(text: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` by ``values[name]`` outside the formula's quoted strings."""
    parts, pos = [], 0
    for m in _STRING.finditer(text):
        parts += [_PLACE.sub(lambda p: values.get(p[1], p[0]), text[pos : m.start()]), m[0]]
        pos = m.end()
    return "".join([*parts, _PLACE.sub(lambda p: values.get(p[1], p[0]), text[pos:])])


def expand(template: Template, tax: Taxonomy, periods: Sequence[Period]) -> list[Asked]:
    """Every cell of the Analysis sheet, in order: each section, then (per period) each
    period, then (with ``each``) each bucket in taxonomy order, then each question."""
    out: list[Asked] = []
    for s in template.sections:
        blocks: list[tuple[int | None, Period | None]] = (
            list(enumerate(periods)) if s.per_period else [(None, None)]
        )
        for block, p in blocks:
            for bucket in _bucket_names(tax, s.each, p) if s.each else [None]:
                for q in s.questions:
                    label, formula = _filled(q, p, bucket)
                    out.append(Asked(s.title, label, formula, q.format, block))
    return out


def _filled(q: Question, p: Period | None, bucket: str | None) -> tuple[str, str]:
    label, values = q.label, {}
    if p is not None:
        arg = period_arg(p)
        values["period"] = quote(arg) if isinstance(arg, str) else str(arg)
        if "{period}" not in label:
            label += ", {period}"
        label = label.replace("{period}", period_label(p))
    if bucket is not None:
        values["bucket"] = quote(bucket)
        label = label.replace("{bucket}", bucket) if "{bucket}" in label else f"{bucket}: {label}"
    return label, fill(q.formula, values)


def _bucket_names(tax: Taxonomy, dim: str, p: Period | None) -> list[str]:
    """The buckets by label (``"Africa"``), or by code when two share a label (the multi
    buckets of two action plans: ``kap:multi``)."""
    buckets = taxonomy_buckets(tax, dim, p)
    labels = [b.label for b in buckets]
    if len({label.casefold() for label in labels}) == len(labels):
        return labels
    return [b.code for b in buckets]
