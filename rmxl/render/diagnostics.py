"""Render diagnostics: text (with the offending line and a caret), JSON, GitHub Actions
workflow commands, and the catalogue as Markdown (``docs/errors.md``). All are views of
the same ``list[Diagnostic]`` (or of :data:`~rmxl.diagnostics.CATALOGUE`)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable

from rmxl.diagnostics import CATALOGUE, QUERY_CATALOGUE, Diagnostic, Kind
from rmxl.fileio import source_lines
from rmxl.validate.knockon import suppressed


def select(
    diags: Iterable[Diagnostic], strict: bool = False, skip: Iterable[str] = ()
) -> list[Diagnostic]:
    """The diagnostics ``rmxl validate`` reports: codes in ``skip`` dropped, and with
    ``strict`` every warning turned into an error (so renderings and the exit status
    agree)."""
    skipped = set(skip)
    kept = [d for d in diags if d.code not in skipped]
    if strict:
        kept = [
            dataclasses.replace(d, severity="error") if d.severity == "warning" else d for d in kept
        ]
    return kept


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def summary(diags: list[Diagnostic]) -> str:
    """``"3 errors, 1 warning in 2 files"``, ``"1 warning in 1 file"`` or ``"clean"``; with
    ``"; 107 knock-on diagnostics not shown"`` when validation suppressed some."""
    problems = [d for d in diags if d.severity != "note"]
    if not problems:
        return "clean"
    errors = sum(d.severity == "error" for d in problems)
    warnings = len(problems) - errors
    parts = [_plural(n, w) for n, w in ((errors, "error"), (warnings, "warning")) if n]
    files = len({d.source.file for d in problems if d.source})
    text = ", ".join(parts) + (f" in {_plural(files, 'file')}" if files else "")
    hidden = suppressed(diags)
    return text + (f"; {_plural(hidden, 'knock-on diagnostic')} not shown" if hidden else "")


SHOWN = 200
"""Characters of a source line shown under a diagnostic."""

_VISIBLE = {c: "\ufffd" for c in (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}
"""Control characters (but tab and line feed) → U+FFFD, one column each: a line or a
message shown in a terminal never carries an escape sequence (a binary file, a hostile
ledger), and the caret stays under its column."""


def _visible(s: str) -> str:
    return s.translate(_VISIBLE)


def text(diags: list[Diagnostic], context: bool = True) -> str:
    """``path:line:col: error[code]: message (hint)``, then the source line and a caret
    under the column (a tab counts as one column, as the parser counts it). Only the
    lines shown are read, each file once, at most a few hundred bytes of each
    (:func:`rmxl.fileio.source_lines`): a refused 200 MB file costs no memory."""
    wanted: dict[str, set[int]] = {}
    for d in diags:
        if context and d.source:
            wanted.setdefault(d.source.file, set()).add(d.source.line)
    lines = {f: source_lines(f, ns, SHOWN) for f, ns in wanted.items()}
    out: list[str] = []
    for d in diags:
        out.append(_visible(str(d)))
        if context and d.source:
            line = lines[d.source.file].get(d.source.line)
            if line is not None:
                shown = _visible(line.expandtabs(1)[:SHOWN])
                out.append(f"    {shown}")
                if d.source.column <= len(shown) + 1:
                    out.append("    " + " " * (d.source.column - 1) + "^")
    return "\n".join(out)


def as_json(diags: list[Diagnostic]) -> str:
    """A JSON list of :meth:`Diagnostic.as_dict` objects (code, severity, message, file,
    line, column, hint)."""
    return json.dumps([d.as_dict() for d in diags], ensure_ascii=False, indent=2)


def _escape_data(s: str) -> str:
    """GitHub's escaping of a workflow command's message: ``%``, CR, LF."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    """GitHub's escaping of a property value: the message escapes, plus ``:`` and ``,``."""
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(diags: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one per diagnostic:
    ``::error file=F,line=L,col=C,title=T::message (hint)`` (``::warning`` for warnings),
    escaped as GitHub's toolkit does (``%``→``%25``, CR→``%0D``, LF→``%0A``; in
    properties also ``:``→``%3A``, ``,``→``%2C``)."""
    out = []
    for d in diags:
        props = []
        if d.source:
            props += [
                f"file={_escape_prop(d.source.file)}",
                f"line={d.source.line}",
                f"col={d.source.column}",
            ]
        kind = CATALOGUE.get(d.code)
        title = f"{kind.title} [{d.code}]" if kind else d.code
        props.append(f"title={_escape_prop(title)}")
        msg = d.message + (f" ({d.hint})" if d.hint else "")
        level = "notice" if d.severity == "note" else d.severity
        out.append(f"::{level} {','.join(props)}::{_escape_data(msg)}")
    return "\n".join(out)


FORMATS: dict[str, Callable[[list[Diagnostic]], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
}

_DOC_HEAD = """\
# Diagnostics

<!-- Generated by `rmxl errors --markdown` from rmxl/catalogue/: do not edit. -->

Every problem `rmxl validate` finds has a stable code, a severity and a position
(`file:line:column`). Codes never change meaning; new ones may be added.

- `rmxl validate` exits 0 when there is no error (warnings allowed), 1 when there is
  one, 2 on a usage error (an unknown option or `--skip` code).
- `--strict` turns every warning into an error; `--skip CODE` (repeatable) silences one
  warning code; an error code is refused (exit 2), since `build`, `eval` and `report`
  refuse a ledger with an error.
- One mistake gives one error: diagnostics that follow from a file or section that could
  not be read are not shown; a `knock-on` note (severity `note`) counts them.
- `--format text` (default) prints `path:line:col: error[code]: message (hint)`, the
  offending line and a caret, then a summary; `--format json` prints a list of objects
  with `code, severity, message, file, line, column, hint`; `--format github` prints
  GitHub Actions workflow commands, so errors land on the lines of a pull request.
- `rmxl errors` lists the codes; `rmxl errors CODE` explains one.

| code | severity | title | explanation |
|---|---|---|---|
"""

_QUERY_HEAD = """
## Query errors

A question the ledger cannot answer as asked — in `rmxl eval`, an `RM_` function in an
Excel cell, `rmxl report --period` or `rmxl build --period` — is refused with a one-line
message that says what was wrong, what is accepted and the closest name. `rmxl eval`,
`report` and `build` then exit 1; an Excel cell shows the message.

| code | severity | title | explanation |
|---|---|---|---|
"""


def errors_markdown() -> str:
    """The ``docs/errors.md`` page: an introduction, one table row per diagnostic code,
    then the query errors' table."""
    return _DOC_HEAD + _table(CATALOGUE) + _QUERY_HEAD + _table(QUERY_CATALOGUE)


def _table(catalogue: dict[str, Kind]) -> str:
    rows = [
        "| "
        + " | ".join((f"`{k.code}`", k.severity, k.title, k.explanation.replace("|", r"\|")))
        + " |"
        for k in catalogue.values()
    ]
    return "\n".join(rows) + "\n"
