"""A fast reading path for the plain YAML a ledger is written in; falls back on doubt.

:func:`parse_subset` reads the common shape of a ledger file (block mappings and lists,
one-line flow collections, plain and simply quoted scalars, comments) line by line, about
five times faster than composing ruamel.yaml's events, into the very same located trees
(:class:`~rmxl.read.files.LMap`, :class:`~rmxl.read.files.LSeq`, 1-based positions) as
:func:`rmxl.read.files.parse_text`. It returns :data:`FALLBACK` on anything else or
doubtful (anchors, aliases, tags, block or multi-line scalars, escapes, unusual keys, a
duplicate key, a value that would be a diagnostic, tabs, control characters, document
markers); the caller then uses :func:`rmxl.read.files.parse_text`, so every diagnostic
comes from there. Scalars are built by the one table of both parsers,
:mod:`rmxl.read.scalars` (YAML 1.2: ``NO`` stays a string, ``2023-03-01`` is a date).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Final

from rmxl.diagnostics import Diagnostic
from rmxl.read.files import LMap, LSeq, Pos, decode, parse_text
from rmxl.read.located import BadDate
from rmxl.read.scalars import MAX_DEPTH, UnknownTag, kind_of, scalar_value
from rmxl.read.text import MAX_TEXT_CHARS, has_long_line

FALLBACK: Final = object()
"""Returned when the text is not in the subset read here: parse it with rmxl.read.files."""

# Characters outside printable YAML, the other YAML line breaks (NEL, LS, PS), a BOM
# inside the text, tab and CR: any of them sends the file to rmxl.read.files. The full pattern
# takes milliseconds to compile, so ASCII text (the usual case) is checked with a small one.
_UNSAFE_ASCII = re.compile("[\x00-\x09\x0b-\x1f\x7f]")
_UNSAFE_TEXT = (
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_KEY_TEXT = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*"
_LINE = re.compile(f"( *)(-(?: +|$))?(?:({_KEY_TEXT}):(?: +|$))?(.*)")
_TRAILING = re.compile(" +$", re.MULTILINE)
_WORD_SEQ = re.compile(f"\\[{_KEY_TEXT}(?:, {_KEY_TEXT})*\\]$")
_WORD_MAP = re.compile(f"\\{{{_KEY_TEXT}: {_KEY_TEXT}(?:, {_KEY_TEXT}: {_KEY_TEXT})*}}$")
_SIMPLE = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`\s][^#:]*$")
_DQ = r'"([^"\\]*)"'
_SQ = r"'((?:[^']|'')*)'"
# In a flow, libyaml also ends a plain scalar at ``?`` (and ``,[]{}``): none is taken.
_FLOW_PLAIN = (
    r"([^-?:,\[\]{}#&*!|>'\"%@`\s](?:[^,?\[\]{}#:]*[^,?\[\]{}#:\s])?"
    r"|-[^,?\[\]{}#:\s](?:[^,?\[\]{}#:]*[^,?\[\]{}#:\s])?)"
)
_FLOW_SCALAR = f"(?:{_DQ}|{_SQ}|{_FLOW_PLAIN})"
_SEQ_ITEM = re.compile(f" *{_FLOW_SCALAR} *([,\\]])")
_MAP_ITEM = re.compile(f" *({_KEY_TEXT}): +{_FLOW_SCALAR} *([,}}])")
_EMPTY_FLOW = re.compile(r"[\[{] *([\]}])")
_BLOCK_DQ = re.compile(_DQ)
_BLOCK_SQ = re.compile(_SQ)
_TAIL = re.compile(r"(?: +#.*)?$")
_PLAIN_START = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`\s]|-\S")
_INT = re.compile(r"[-+]?[0-9_]+")
_DIGITS = re.compile(r"[0-9]{1,18}")
_DECIMAL = re.compile(r"[0-9]{1,40}\.[0-9]{1,40}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")  # [0-9]: other digits are text
_RESOLVED_FIRST = frozenset("tTfF-+0123456789.<~nN=!&*")
_WORDS = frozenset(("true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"))
"""The plain scalars starting with t, f or n that YAML 1.2 resolves to a bool or a null."""


class _Bail(Exception):
    """The text leaves the subset: parse it with rmxl.read.files instead."""


_resolver: Any = None


def _resolve_tag(text: str) -> str:
    """ruamel.yaml's YAML 1.2 implicit tag of a plain scalar (the one rmxl.read.files uses)."""
    global _resolver
    if _resolver is None:
        from ruamel.yaml import YAML

        y = YAML(typ="safe", pure=False)
        y.version = (1, 2)
        _resolver = y.resolver
    from ruamel.yaml.nodes import ScalarNode

    return str(_resolver.resolve(ScalarNode, text, (True, False)))


def _plain_value(text: str) -> Any:
    """A plain scalar's value, as rmxl.read.files builds it; :class:`_Bail` when in doubt."""
    if text[0] not in _RESOLVED_FIRST:
        return text
    if _DIGITS.fullmatch(text):  # the 1.2 resolver's int, as rmxl.read.files converts it
        return int(text)
    if _DECIMAL.fullmatch(text):  # its float, exactly as written (spec §6)
        return Decimal(text)
    if m := _DATE.fullmatch(text):  # its timestamp, as a date (2023-02-30: rmxl.read.files's)
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise _Bail from None
    if text[0] in "tTfFnN" and text not in _WORDS:  # 1.2 resolves only these words
        return text
    kind = kind_of(_resolve_tag(text))
    if kind == "int" and not _INT.fullmatch(text):
        raise _Bail  # 0x1F, 0o17: left to rmxl.read.files
    try:
        value = scalar_value(kind, text)
    except (UnknownTag, ValueError, ArithmeticError):
        raise _Bail from None  # rmxl.read.files says what is wrong with it
    if isinstance(value, BadDate):  # a timestamp with a time: rmxl.read.files's
        raise _Bail
    return value


class _Parser:
    """Reads the significant lines (not blank, not comment-only) of one file, each split
    by :data:`_LINE` into indentation, list entry dash, key and the rest."""

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.memo: dict[str, Any] = {}
        self.shapes: dict[str, Any] = {}
        if " \n" in text or text.endswith(" "):
            text = _TRAILING.sub("", text)  # moves no token: only ends of lines
        rows: list[tuple[int, re.Match[str]]] = []
        match = _LINE.match
        for n, line in enumerate(text.split("\n"), 1):
            m = match(line)
            if m is None:
                raise _Bail
            if m[2] is None and m[3] is None:
                r = m[4]
                if not r or r[0] == "#":
                    continue
            rows.append((n, m))
        self.rows = rows
        self.inds = [m.end(1) for _, m in rows]
        self.inds.append(-1)  # the end: shallower than anything
        self.i = 0

    def plain(self, text: str) -> Any:
        memo = self.memo
        if text in memo:
            return memo[text]
        value = memo[text] = _plain_value(text)
        return value

    def node(self, depth: int) -> tuple[Any, Pos]:
        """The block list or mapping starting on the next line, and its position."""
        if depth >= MAX_DEPTH - 1:  # the full parser reports what is too deep
            raise _Bail
        n, m = self.rows[self.i]
        ind = self.inds[self.i]
        value = self.seq(n, ind, depth) if m[2] is not None else self.map(n, m, ind, depth)
        return value, value.pos  # one tuple for both: fewer objects to build and cache

    def map(self, n: int, m: re.Match[str], col: int, depth: int) -> LMap:
        """A block mapping whose first key is on line n (matched as ``m``) at 0-based
        column ``col``."""
        mp = LMap(self.file, (n, col + 1))
        key_pos, val_pos = mp.key_pos, mp.val_pos
        rows, inds, memo = self.rows, self.inds, self.memo
        i = self.i
        kp = mp.pos  # the first key is where the mapping starts
        while True:
            kt = m[3]
            if kt is None:
                raise _Bail
            key = memo[kt] if kt in memo else self.plain(kt)
            if key in mp:
                raise _Bail
            rest = m[4]
            i += 1
            ind = inds[i]
            value: Any
            if not rest or rest[0] == "#":
                if ind > col or (ind == col and rows[i][1][2] is not None):
                    self.i = i
                    value, pos = self.node(depth + 1)
                    i = self.i
                    ind = inds[i]
                else:
                    value, pos = None, (n, col + len(kt) + 2)
            else:
                if ind > col:
                    raise _Bail
                value, pos = self.line_value(rest, n, m.start(4))
            key_pos[key] = kp
            val_pos[key] = pos
            mp[key] = value
            if ind < col:
                self.i = i
                return mp
            n, m = rows[i]
            if ind > col or m[2] is not None:
                raise _Bail
            kp = (n, col + 1)

    def seq(self, n: int, ind: int, depth: int) -> LSeq:
        """A block list whose first ``-`` is at 0-based column ``ind`` of line n."""
        q = LSeq(self.file, (n, ind + 1))
        rows, inds = self.rows, self.inds
        item_pos = q.item_pos
        while True:
            n, m = rows[self.i]
            rest = m[4]
            value: Any
            if m[3] is not None:
                value = self.map(n, m, m.start(3), depth + 1)
                pos = value.pos
            elif not rest or rest[0] == "#":
                self.i += 1
                if inds[self.i] > ind:
                    value, pos = self.node(depth + 1)
                else:
                    value, pos = None, (n, ind + 2)
            elif rest[0] == "-" and (len(rest) == 1 or rest[1] == " "):
                raise _Bail
            else:
                self.i += 1
                value, pos = self.line_value(rest, n, m.start(4))
                if inds[self.i] > ind:
                    raise _Bail
            item_pos.append(pos)
            q.append(value)
            ind2 = inds[self.i]
            if ind2 > ind:
                raise _Bail
            if ind2 < ind or rows[self.i][1][2] is None:
                return q

    def line_value(self, rest: str, n: int, col: int) -> tuple[Any, Pos]:
        """A value written on its key's or entry's line, from 0-based column ``col``: the
        usual shapes first (a plain scalar seen before, a list of words, a plain word)."""
        if rest in self.memo:  # only valid plain scalars are memorised
            return self.memo[rest], (n, col + 1)
        c = rest[0]
        if c == "[" or c == "{":
            value = self.words(rest, n, col)
            if value is not None:
                return value, value.pos
        elif _SIMPLE.match(rest):
            return self.plain(rest), (n, col + 1)
        return self.inline(rest, n, col)

    def inline(self, rest: str, n: int, col: int) -> tuple[Any, Pos]:
        """A value written on its key's or entry's line, from 0-based column ``col``."""
        c = rest[0]
        value: Any
        if c == "[" or c == "{":
            value, end = self.flow(rest, n, col)
        elif c == '"' or c == "'":
            m = (_BLOCK_DQ if c == '"' else _BLOCK_SQ).match(rest)
            if m is None:
                raise _Bail
            value, end = m[1] if c == '"' else m[1].replace("''", "'"), m.end()
        else:
            if not _PLAIN_START.match(rest):
                raise _Bail
            end = rest.find(" #")
            text = rest if end < 0 else rest[:end].rstrip(" ")
            if ": " in text or text[-1] == ":":
                raise _Bail
            return self.plain(text), (n, col + 1)
        if not _TAIL.match(rest, end):
            raise _Bail
        return value, (n, col + 1)

    def flow(self, s: str, n: int, col: int) -> tuple[LMap | LSeq, int]:
        """A one-line flow list or mapping of scalars; returns it and where it ends."""
        words = self.words(s, n, col)
        if words is not None:
            return words, len(s)
        empty = _EMPTY_FLOW.match(s)
        is_seq = s[0] == "["
        if empty is not None:
            if (empty[1] == "]") != is_seq:
                raise _Bail
            return (LSeq if is_seq else LMap)(self.file, (n, col + 1)), empty.end()
        return self.flow_items(s, n, col)

    def words(self, s: str, n: int, col: int) -> LMap | LSeq | None:
        """``[a, b]`` or ``{k: v, k2: v2}`` of words separated by exactly ``", "`` (the
        common case, fast: each distinct list is split once), else None."""
        if s[-1] == "}":
            return self.word_map(s, n, col) if _WORD_MAP.match(s) else None
        shape = self.shapes.get(s)
        if shape is None:
            if s[-1] != "]" or not _WORD_SEQ.match(s):
                return None
            shape = self.shapes[s] = self.seq_shape(s)
        values, offsets = shape
        q = LSeq(self.file, (n, col + 1))
        q.extend(values)
        if len(offsets) == 1:  # the usual [code]
            q.item_pos.append((n, col + 2))
        else:
            q.item_pos = [(n, col + o) for o in offsets]
        return q

    def word_map(self, s: str, n: int, col: int) -> LMap:
        """``{k: v, k2: v2}`` of words."""
        mp = LMap(self.file, (n, col + 1))
        memo = self.memo
        c = col + 2
        for item in s[1:-1].split(", "):
            kt, vt = item.split(": ")
            key = memo[kt] if kt in memo else self.plain(kt)
            if key in mp:
                raise _Bail
            mp.key_pos[key] = (n, c)
            mp.val_pos[key] = (n, c + len(kt) + 2)
            mp[key] = memo[vt] if vt in memo else self.plain(vt)
            c += len(item) + 2
        return mp

    def seq_shape(self, s: str) -> tuple[tuple[Any, ...], tuple[int, ...]]:
        """The values of ``[a, b]`` and their 1-based offsets from the ``[``."""
        words = s[1:-1].split(", ")
        offsets, c = [], 2
        for w in words:
            offsets.append(c)
            c += len(w) + 2
        return tuple(self.plain(w) for w in words), tuple(offsets)

    def flow_scalar(self, m: re.Match[str], g: int, n: int, col: int) -> tuple[Any, Pos]:
        """The scalar matched by groups ``g``..``g+2`` (double, single quoted, plain)."""
        if m[g] is not None:
            return m[g], (n, col + m.start(g))
        if m[g + 1] is not None:
            return m[g + 1].replace("''", "'"), (n, col + m.start(g + 1))
        return self.plain(m[g + 2]), (n, col + m.start(g + 2) + 1)

    def flow_items(self, s: str, n: int, col: int) -> tuple[LMap | LSeq, int]:
        """A one-line flow list or mapping of scalars, item by item; and where it ends."""
        pos0 = (n, col + 1)
        if s[0] == "[":
            q = LSeq(self.file, pos0)
            pattern, g = _SEQ_ITEM, 1
        else:
            mp = LMap(self.file, pos0)
            pattern, g = _MAP_ITEM, 2
        i = 1
        while True:
            m = pattern.match(s, i)
            if m is None:
                raise _Bail
            value, pos = self.flow_scalar(m, g, n, col)
            if g == 1:
                q.item_pos.append(pos)
                q.append(value)
            else:
                key = self.plain(m[1])
                if key in mp:
                    raise _Bail
                mp.key_pos[key] = (n, col + m.start(1) + 1)
                mp.val_pos[key] = pos
                mp[key] = value
            i = m.end()
            if m[g + 3] != ",":
                return (q if g == 1 else mp), i


def parse_subset(text: str, file: str) -> LMap | object | None:
    """One file's decoded text (LF line ends, no BOM) → its top-level :class:`LMap`, None
    for a file without content, or :data:`FALLBACK` when the text is outside the subset
    read here (then no diagnostic is lost: :func:`rmxl.read.files.parse_text` reports them)."""
    unsafe = _UNSAFE_ASCII if text.isascii() else re.compile(_UNSAFE_TEXT)
    if unsafe.search(text) or (len(text) > MAX_TEXT_CHARS and has_long_line(text)):
        return FALLBACK  # rmxl.read.files reports what (a too long text: bad-text)
    try:
        p = _Parser(text, file)
        if not p.rows:
            return None
        m = p.rows[0][1]
        if m[2] is not None or m[3] is None:
            return FALLBACK
        value, _ = p.node(0)
        if p.i != len(p.rows):
            return FALLBACK
    except _Bail:
        return FALLBACK
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the stack short
        return FALLBACK
    return value


def read_bytes(raw: bytes, file: str, diags: list[Diagnostic]) -> LMap | None:
    """One file's bytes → its top-level mapping, exactly as :func:`rmxl.read.files.read_file`
    parses them: decoded by :func:`rmxl.read.files.decode`, then read here, or by
    :func:`rmxl.read.files.parse_text` (with its diagnostics) when outside the subset."""
    text = decode(raw, file, diags)
    if text is None:
        return None
    data = parse_subset(text, file)
    if data is FALLBACK:
        return parse_text(text, file, diags)
    assert data is None or isinstance(data, LMap)
    return data
