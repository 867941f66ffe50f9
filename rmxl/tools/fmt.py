"""Format ledger files in the canonical layout (``rmxl fmt``), losslessly.

Each file is read with rmxl's own reader first (a file with a YAML problem is reported
and left untouched), then rewritten through ruamel.yaml's round-trip mode with the layout
of :mod:`rmxl.tools.fmt_layout`: 2-space mappings, ``  - `` list items, no line folding, LF line
ends, UTF-8 without BOM; dates, numbers (``1_000_000``, ``2.50``) and quotes as written.

Before anything is written, the new text is checked: it must read to exactly the same
data (same keys, values and types, rmxl's reader) and keep every comment (same multiset
of ``# …`` texts). A file that would fail either check is reported and left untouched.
Writes are atomic: a temporary file beside the target, then ``os.replace``.
"""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import ScalarEvent

from rmxl.diagnostics import Diagnostic
from rmxl.read.files import decode, parse_text
from rmxl.read.located import BadDate
from rmxl.tools.fmt_layout import LayoutRefused, canonicalise


@dataclass(frozen=True, slots=True)
class Result:
    """What formatting one file gives: ``text`` is the canonical text (None when the file
    cannot be formatted, ``problem`` then says why); ``changed`` whether it differs."""

    path: Path
    original: bytes
    text: str | None
    problem: str = ""

    @property
    def changed(self) -> bool:
        return self.text is not None and self.text.encode("utf-8") != self.original


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    return y


def format_text(text: str, display: str = "<text>") -> tuple[str | None, str]:
    """``(canonical text, "")`` or ``(None, why)`` for one file's text (LF line ends).

    Raises nothing: a text rmxl cannot read, or one whose formatting would change its
    data or lose a comment, gives None and the reason."""
    diags: list[Diagnostic] = []
    before = parse_text(text, display, diags)
    bad = [d for d in diags if d.code.startswith("yaml-") or d.code == "file-not-mapping"]
    if bad:
        return None, f"{bad[0]} (fix it first; see rmxl validate)"
    if before is None:
        return text, ""
    y = _yaml()
    y.explicit_start = text.lstrip().startswith("---")
    try:
        doc = y.load(text)
        canonicalise(doc)
        out = io.StringIO()
        y.dump(doc, out)
    except LayoutRefused as e:
        return None, f"{e} (left untouched)"
    except (YAMLError, ValueError, TypeError, AttributeError) as e:
        return None, f"ruamel.yaml cannot round-trip it: {str(e).splitlines()[0][:120]}"
    new = out.getvalue()
    why = check_lossless(text, new)
    return (new, "") if not why else (None, why)


def check_lossless(old: str, new: str) -> str:
    """``""`` when ``new`` reads to the same data as ``old`` and keeps every comment;
    else what differs."""
    a, b = parse_text(old, "old", []), parse_text(new, "new", [])
    if not same(a, b):
        return "formatting would change the data (left untouched; please report this)"
    lost = Counter(comments(old)) - Counter(comments(new))
    if lost:
        return f"formatting would lose the comment {next(iter(lost))!r} (left untouched)"
    return ""


def same(a: Any, b: Any) -> bool:
    """Deep equality of read values: same types, same keys, same values (NaN equals NaN;
    positions and key order are ignored)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, BadDate):
        return a.text == b.text
    return bool(a == b)


_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[^\n]*", re.MULTILINE)


def comments(text: str) -> list[str]:
    """The text of every comment (``# …``, right-stripped), found outside the scalars
    the YAML parser reports, in order."""
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    spans = []
    try:
        for ev in YAML(typ="safe", pure=False).parse(text):
            if isinstance(ev, ScalarEvent):
                s, e = ev.start_mark, ev.end_mark
                spans.append((starts[s.line] + s.column, starts[e.line] + e.column))
    except YAMLError:
        pass
    out = []
    for m in _COMMENT.finditer(text):
        if not any(s <= m.start() < e for s, e in spans):
            out.append(m.group().rstrip())
    return out


def format_file(path: Path) -> Result:
    """Format one file in memory (nothing is written)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        return Result(path, b"", None, f"cannot read: {e.strerror}")
    diags: list[Diagnostic] = []
    text = decode(raw, path.as_posix(), diags)
    if text is None:
        return Result(path, raw, None, f"{diags[0]}")
    new, why = format_text(text, path.as_posix())
    return Result(path, raw, new, why)


def write_atomic(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` through a temporary file and ``os.replace``,
    keeping the file's permissions. Raises OSError."""
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def format_paths(paths: list[Path], check: bool) -> list[tuple[Path, str, str]]:
    """Format each file (rewriting it unless ``check``): ``[(path, outcome, why)]``, the
    outcome one of ``unchanged``, ``formatted``, ``would reformat`` and ``not formatted``
    (the file is then left untouched and ``why`` says why)."""
    out: list[tuple[Path, str, str]] = []
    for path in paths:
        r = format_file(path)
        if r.text is None:
            out.append((path, "not formatted", r.problem))
        elif not r.changed:
            out.append((path, "unchanged", ""))
        elif check:
            out.append((path, "would reformat", ""))
        else:
            try:
                write_atomic(path, r.text)
            except OSError as e:
                out.append((path, "not formatted", f"cannot write: {e.strerror or e}"))
                continue
            out.append((path, "formatted", ""))
    return out
