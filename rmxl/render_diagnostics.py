"""Render diagnostics: text (with the offending line and a caret), JSON, GitHub Actions
workflow commands. All are views of the same ``list[Diagnostic]``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .diagnostics import Diagnostic


def summary(diags: list[Diagnostic]) -> str:
    """``"3 errors, 1 warning in 2 files"`` or ``"clean"``."""
    errors = sum(d.severity == "error" for d in diags)
    warnings = len(diags) - errors
    files = len({d.source.file for d in diags if d.source})
    if not diags:
        return "clean"
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    return f"{', '.join(parts)} in {files} file{'s' * (files != 1)}"


def _line(path: str, n: int, cache: dict[str, list[str]]) -> str | None:
    if path not in cache:
        try:
            cache[path] = Path(path).read_text(encoding="utf-8-sig", errors="replace").splitlines()
        except OSError:
            cache[path] = []
    lines = cache[path]
    return lines[n - 1] if 0 < n <= len(lines) else None


def text(diags: list[Diagnostic], context: bool = True) -> str:
    """``path:line:col: error[code]: message`` (+ hint), the source line and a caret."""
    out: list[str] = []
    cache: dict[str, list[str]] = {}
    for d in diags:
        out.append(str(d))
        if context and d.source:
            line = _line(d.source.file, d.source.line, cache)
            if line is not None:
                out.append(f"    {line.expandtabs(1)}")
                out.append("    " + " " * (d.source.column - 1) + "^")
    return "\n".join(out)


def as_json(diags: list[Diagnostic]) -> str:
    """A JSON list of :meth:`Diagnostic.as_dict` objects."""
    return json.dumps([d.as_dict() for d in diags], ensure_ascii=False, indent=2)


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(diags: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…,col=…,title=…::msg``) with
    the documented escaping of ``%``, CR, LF (and ``:`` ``,`` in properties)."""
    out = []
    for d in diags:
        props = []
        if d.source:
            props += [
                f"file={_escape_prop(d.source.file)}",
                f"line={d.source.line}",
                f"col={d.source.column}",
            ]
        props.append(f"title={_escape_prop(f'{d.severity}[{d.code}]')}")
        msg = d.message + (f" ({d.hint})" if d.hint else "")
        out.append(f"::{d.severity} {','.join(props)}::{_escape_data(msg)}")
    return "\n".join(out)


FORMATS: dict[str, Callable[[list[Diagnostic]], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
}
