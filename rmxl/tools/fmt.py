"""Format ledger files in the canonical layout (``rmxl fmt``), losslessly.

Each file is read with rmxl's own reader first (a file with a YAML problem is reported
and left untouched), then rewritten through ruamel.yaml's round-trip mode with the layout
of :mod:`rmxl.tools.fmt_layout`: 2-space mappings, ``  - `` list items, no line folding,
UTF-8 without BOM; dates, numbers (``1_000_000``, ``2.50``) and quotes as written. Line
ends are kept: a file whose first line ends in CRLF is written with CRLF throughout, any
other with LF (a file of mixed line ends takes its first line's, as black does).

Before anything is written, the new text is checked: it must read to exactly the same
data (same keys, values and types, rmxl's reader) and keep every comment (same multiset
of ``# …`` texts). A file that would fail either check is left untouched and reported
as an ``fmt-refused`` diagnostic at the line concerned, with what to do. Both checks take
time in proportion to the file's size. Files are read and written with
:mod:`rmxl.fileio`: a linked file is formatted through its link, its mode is kept, a
failed write leaves it as it was.
"""

from __future__ import annotations

import io
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import ScalarEvent

from rmxl.diagnostics import Diagnostic, Source, make
from rmxl.fileio import read_capped, write_file, write_files
from rmxl.read.files import MAX_FILE_BYTES, decode, parse_text, read_raw
from rmxl.read.located import BadDate, LMap, LSeq, Pos
from rmxl.tools.fmt_layout import LayoutRefused, canonicalise


@dataclass(frozen=True, slots=True)
class Result:
    """What formatting one file gives: ``text`` is the canonical text with LF line ends
    (None when the file cannot be formatted, ``problem`` then says why, as a diagnostic
    line ``path:line:col: error[code]: …``); ``newline`` the file's line end;
    ``changed`` whether the bytes to write differ from the file's."""

    path: Path
    original: bytes
    text: str | None
    problem: str = ""
    newline: str = "\n"

    @property
    def output(self) -> bytes:
        """The bytes to write: the canonical text with the file's line ends, UTF-8."""
        assert self.text is not None
        return self.text.replace("\n", self.newline).encode("utf-8")

    @property
    def changed(self) -> bool:
        return self.text is not None and self.output != self.original


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    return y


def format_text(text: str, display: str = "<text>") -> tuple[str | None, str]:
    """``(canonical text, "")`` or ``(None, why)`` for one file's text (LF line ends);
    ``why`` is a diagnostic line (``display:line:col: error[code]: … (what to do)``).

    Raises nothing: a text rmxl cannot read, or one whose formatting would change its
    data or lose a comment, gives None and the reason."""
    new, problem = format_checked(text, display)
    return new, "" if problem is None else str(problem)


def format_checked(text: str, display: str = "<text>") -> tuple[str | None, Diagnostic | None]:
    """As :func:`format_text`, the reason as a :class:`Diagnostic` (a read problem of the
    file, or ``fmt-refused``)."""
    lone_cr = re.search(r"\r(?!\n)", text)
    if lone_cr:
        return None, refusal(
            display,
            _position(text, lone_cr.start()),
            "a line ends in a carriage return alone (CR, as on classic Mac OS)",
            "save the file with LF or CRLF line ends, then run rmxl fmt again",
        )
    diags: list[Diagnostic] = []
    before = parse_text(text, display, diags)
    bad = [d for d in diags if d.code.startswith("yaml-") or d.code == "file-not-mapping"]
    if bad:
        return None, bad[0]
    if before is None:
        return text, None
    y = _yaml()
    y.explicit_start = text.lstrip().startswith("---")
    try:
        doc = y.load(text)
        canonicalise(doc)
        out = io.StringIO()
        y.dump(doc, out)
    except LayoutRefused as e:
        return None, refusal(display, e.pos, str(e), e.hint)
    except (YAMLError, ValueError, TypeError, AttributeError) as e:
        mark = getattr(e, "problem_mark", None)
        pos = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        why = f"ruamel.yaml cannot round-trip the file: {str(e).splitlines()[0][:120]}"
        return None, refusal(display, pos, why, "format it by hand; please report this")
    new = out.getvalue()
    problem = lossless(text, new, display, before)
    return (new, None) if problem is None else (None, problem)


def _position(text: str, offset: int) -> Pos:
    """The 1-based ``(line, column)`` of ``text[offset]``, lines ending in LF."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def refusal(display: str, pos: Pos, message: str, hint: str) -> Diagnostic:
    """An ``fmt-refused`` diagnostic: the file is left untouched."""
    where = Source(display, *pos)
    return make("fmt-refused", f"{message}; the file is left untouched", where, hint)


LOST_HINT = (
    "rmxl fmt cannot keep a comment inside [...] or {...}, or just before a flow item "
    "that has an end-of-line comment: move the comment, or that end-of-line comment, "
    "onto a line of its own; then run rmxl fmt again"
)


def check_lossless(old: str, new: str) -> str:
    """``""`` when ``new`` reads to the same data as ``old`` and keeps every comment;
    else what differs (a diagnostic line pointing into ``old``)."""
    problem = lossless(old, new, "<text>")
    return "" if problem is None else str(problem)


def lossless(old: str, new: str, display: str, read: Any = None) -> Diagnostic | None:
    """None when ``new`` reads to the same data as ``old`` and keeps every comment
    (compared as multisets of ``# …`` texts); else an ``fmt-refused`` diagnostic at
    the first value that would change, or at the first comment that would be lost.
    ``read``: ``old`` already read, if it was."""
    a = parse_text(old, display, []) if read is None else read
    b = parse_text(new, "new", [])
    where = difference(a, b)
    if where is not None:
        why = "formatting would change the data at this value"
        return refusal(display, where, why, "format the file by hand; please report this")
    found = located_comments(old)
    lost = Counter(t for t, _ in found) - Counter(comments(new))
    if not lost:
        return None
    text, pos = next((t, p) for t, p in found if t in lost)
    return refusal(display, pos, f"formatting would lose the comment {text!r}", LOST_HINT)


def same(a: Any, b: Any) -> bool:
    """Deep equality of read values: same types, same keys, same values (NaN equals NaN;
    positions and key order are ignored)."""
    return difference(a, b) is None


def difference(a: Any, b: Any, at: Pos = (1, 1)) -> Pos | None:
    """None when ``a`` and ``b`` are the same read values (see :func:`same`), else the
    position in ``a`` of the first value that differs (``at`` for ``a`` itself)."""
    if type(a) is not type(b):
        return at
    if isinstance(a, LMap):
        if a.keys() != b.keys():
            return next((a.key_pos.get(k, a.pos) for k in a if k not in b), a.pos)
        return next((d for k in a if (d := difference(a[k], b[k], a.val_pos[k]))), None)
    if isinstance(a, LSeq):
        if len(a) != len(b):
            return a.pos
        pairs = zip(a, b, a.item_pos, strict=True)
        return next((d for x, y, p in pairs if (d := difference(x, y, p))), None)
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return at
        return next((d for k in a if (d := difference(a[k], b[k], at))), None)
    if isinstance(a, list):
        if len(a) != len(b):
            return at
        return next((d for x, y in zip(a, b, strict=True) if (d := difference(x, y, at))), None)
    if isinstance(a, float) and math.isnan(a):
        return None if math.isnan(b) else at
    if isinstance(a, BadDate):
        return None if a.text == b.text else at
    return None if a == b else at


_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[^\n]*", re.MULTILINE)


def comments(text: str) -> list[str]:
    """The text of every comment (``# …``, right-stripped), found outside the scalars
    the YAML parser reports, in order."""
    return [t for t, _ in located_comments(text)]


def located_comments(text: str) -> list[tuple[str, Pos]]:
    """Every comment of ``text`` and its 1-based ``(line, column)``, in order. Time in
    proportion to the text's length (one parse, one scan, a binary search per ``#``)."""
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    spans: list[tuple[int, int]] = []
    try:
        for ev in YAML(typ="safe", pure=False).parse(text):
            if isinstance(ev, ScalarEvent):
                s, e = ev.start_mark, ev.end_mark
                spans.append((starts[s.line] + s.column, starts[e.line] + e.column))
    except YAMLError:
        pass
    spans.sort()
    begins = [s for s, _ in spans]
    out = []
    for m in _COMMENT.finditer(text):
        i = bisect_right(begins, m.start()) - 1  # the last scalar starting at or before it
        if i < 0 or m.start() >= spans[i][1]:
            line = bisect_right(starts, m.start())
            out.append((m.group().rstrip(), (line, m.start() - starts[line - 1] + 1)))
    return out


def newline_of(raw: bytes) -> str:
    """The line end to write a file with: ``"\\r\\n"`` when its first line ends so,
    else ``"\\n"`` (a file of mixed line ends takes its first line's)."""
    end = raw.find(b"\n")
    return "\r\n" if end > 0 and raw[end - 1 : end] == b"\r" else "\n"


def write_texts(texts: Mapping[Path, str]) -> None:
    """Write new texts (LF line ends) of ledger files, all or nothing
    (:func:`rmxl.fileio.write_files`: through links, mode kept), each with the line ends
    its file already has (LF for a new file). Used by ``rmxl import`` and ``rmxl rates
    fill``. Raises OSError; every file is then as it was."""
    write_files({p: t.replace("\n", _newline_at(p)).encode("utf-8") for p, t in texts.items()})


def _newline_at(path: Path) -> str:
    try:
        return newline_of(read_capped(path, MAX_FILE_BYTES))
    except FileNotFoundError:
        return "\n"


def format_file(path: Path) -> Result:
    """Format one file in memory (nothing is written)."""
    diags: list[Diagnostic] = []
    raw = read_raw(path, path.as_posix(), diags)
    text = None if raw is None else decode(raw, path.as_posix(), diags)
    if raw is None or text is None:
        return Result(path, raw or b"", None, f"{diags[0]}")
    new, why = format_text(text, path.as_posix())
    return Result(path, raw, new, why, newline_of(raw))


def format_paths(paths: list[Path], check: bool) -> list[tuple[Path, str, str]]:
    """Format each file (rewriting it unless ``check``): ``[(path, outcome, why)]``, the
    outcome one of ``unchanged``, ``formatted``, ``would reformat`` and ``not formatted``
    (the file is then left untouched and ``why`` says why, naming the file, and the line
    and column when there is one)."""
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
                write_file(path, r.output)
            except OSError as e:
                why = f"{path.as_posix()}: cannot write: {e.strerror or e} (the file is unchanged)"
                out.append((path, "not formatted", why))
                continue
            out.append((path, "formatted", ""))
    return out
