"""Read: ledger folder → located YAML trees, one per file.

Stage 1 of the pipeline. Every ``*.yaml``/``*.yml`` file below the ledger folder is read
in sorted path order (spec §1), decoded as UTF-8 (BOM tolerated, LF or CRLF), parsed by
ruamel.yaml's C parser with the YAML 1.2 core schema (``NO`` stays a string), and turned
into plain Python values by *our* constructor, which:

- builds only str, int, float, bool, None, :class:`datetime.date`, :class:`LMap` and
  :class:`LSeq`; any other tag (``!!python/object/...``, ``!custom``) is a ``yaml-tag``
  diagnostic and is never constructed;
- stamps every mapping key and value and every sequence item with its 1-based
  ``(line, column)``, so later stages can say ``file:line:col``;
- shares aliased nodes instead of expanding them (an alias bomb stays small);
- reports duplicate keys, impossible dates (kept as :class:`BadDate`) and syntax errors
  as diagnostics, never as exceptions.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, Source, make

Pos = tuple[int, int]
_TAG = "tag:yaml.org,2002:"


class LMap(dict[Any, Any]):
    """A YAML mapping that remembers where it, each key and each value were written."""

    __slots__ = ("file", "key_pos", "pos", "val_pos")

    def __init__(self, file: str, pos: Pos) -> None:
        super().__init__()
        self.file = file
        self.pos = pos
        self.key_pos: dict[Any, Pos] = {}
        self.val_pos: dict[Any, Pos] = {}

    def src(self) -> Source:
        """Where the mapping starts."""
        return Source(self.file, *self.pos)

    def key_src(self, key: Any) -> Source:
        """Where ``key`` is written (the mapping's start if absent)."""
        return Source(self.file, *self.key_pos.get(key, self.pos))

    def val_src(self, key: Any) -> Source:
        """Where the value of ``key`` starts (the mapping's start if absent)."""
        return Source(self.file, *self.val_pos.get(key, self.pos))

    def __reduce__(self) -> Any:
        return (_rebuild_map, (self.file, self.pos, dict(self), self.key_pos, self.val_pos))


class LSeq(list[Any]):
    """A YAML sequence that remembers where it and each item were written."""

    __slots__ = ("file", "item_pos", "pos")

    def __init__(self, file: str, pos: Pos) -> None:
        super().__init__()
        self.file = file
        self.pos = pos
        self.item_pos: list[Pos] = []

    def src(self) -> Source:
        return Source(self.file, *self.pos)

    def item_src(self, i: int) -> Source:
        return Source(self.file, *(self.item_pos[i] if i < len(self.item_pos) else self.pos))

    def __reduce__(self) -> Any:
        return (_rebuild_seq, (self.file, self.pos, list(self), self.item_pos))


def _rebuild_map(
    file: str, pos: Pos, items: dict[Any, Any], kp: dict[Any, Pos], vp: dict[Any, Pos]
) -> LMap:
    m = LMap(file, pos)
    m.update(items)
    m.key_pos, m.val_pos = kp, vp
    return m


def _rebuild_seq(file: str, pos: Pos, items: list[Any], ip: list[Pos]) -> LSeq:
    s = LSeq(file, pos)
    s.extend(items)
    s.item_pos = ip
    return s


@dataclass(frozen=True, slots=True)
class BadDate:
    """A value that looks like a date but is not in the calendar (``2023-02-30``)."""

    text: str
    reason: str

    def __str__(self) -> str:
        return self.text


@dataclass(slots=True)
class LedgerFile:
    """One parsed file: its display path and its top-level mapping (None if empty)."""

    path: str
    data: LMap | None


_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FLOAT_SPECIAL = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}


def _scalar(node: ScalarNode, file: str, diags: list[Diagnostic]) -> Any:
    tag, text = str(node.tag), str(node.value)
    if not tag.startswith(_TAG):
        return _bad_tag(node, file, diags)
    kind = tag[len(_TAG) :]
    if kind == "str":
        return text
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() == "true"
    if kind == "int":
        t = text.replace("_", "")
        try:
            return int(t)
        except ValueError:
            return int(t, 0)
    if kind == "float":
        t = text.replace("_", "").lower()
        return _FLOAT_SPECIAL[t] if t in _FLOAT_SPECIAL else float(t)
    if kind == "timestamp":
        m = _DATE_RE.match(text.strip())
        if not m:
            return BadDate(text, "a date is written YYYY-MM-DD, without a time")
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as e:
            return BadDate(text, str(e))
    return _bad_tag(node, file, diags)


def _bad_tag(node: Node, file: str, diags: list[Diagnostic]) -> Any:
    tag = str(node.tag).replace(_TAG, "!!")
    diags.append(
        make(
            "yaml-tag",
            f"unsupported YAML tag {tag!r}; it was not constructed",
            _src(file, node),
            "write plain data: strings, numbers, dates, lists",
        )
    )
    return None


def _src(file: str, node: Node) -> Source:
    m = node.start_mark
    return Source(file, m.line + 1, m.column + 1)


def _pos(node: Node) -> Pos:
    m = node.start_mark
    return (m.line + 1, m.column + 1)


def construct(root: Node, file: str, diags: list[Diagnostic]) -> Any:
    """Turn a composed ruamel node tree into located plain values (see module doc)."""
    memo: dict[int, Any] = {}

    def build(node: Node) -> Any:
        key = id(node)
        if key in memo:
            return memo[key]
        if isinstance(node, ScalarNode):
            value = _scalar(node, file, diags)
        elif isinstance(node, SequenceNode):
            if node.tag != _TAG + "seq":
                value = _bad_tag(node, file, diags)
            else:
                seq = LSeq(file, _pos(node))
                memo[key] = seq
                for item in node.value:
                    seq.item_pos.append(_pos(item))
                    seq.append(build(item))
                value = seq
        elif isinstance(node, MappingNode):
            value = _bad_tag(node, file, diags) if node.tag != _TAG + "map" else build_map(node)
        else:  # pragma: no cover - ruamel has no other node kinds
            value = None
        memo[key] = value
        return value

    def build_map(node: MappingNode) -> LMap:
        mp = LMap(file, _pos(node))
        memo[id(node)] = mp
        for knode, vnode in node.value:
            k = build(knode)
            if isinstance(k, LMap | LSeq) or not _hashable(k):
                diags.append(
                    make("wrong-type", "a mapping key must be a plain value", _src(file, knode))
                )
                continue
            if k in mp:
                first = mp.key_pos[k]
                diags.append(
                    make(
                        "yaml-duplicate-key",
                        f"duplicate key {k!s:.60} (first at line {first[0]})",
                        _src(file, knode),
                        "remove or rename one of the two",
                    )
                )
                continue
            mp.key_pos[k] = _pos(knode)
            mp.val_pos[k] = _pos(vnode)
            mp[k] = build(vnode)
        return mp

    return build(root)


def _hashable(v: Any) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


def _yaml() -> YAML:
    y = YAML(typ="safe", pure=False)
    y.version = (1, 2)
    return y


def decode(raw: bytes, file: str, diags: list[Diagnostic]) -> str | None:
    """UTF-8 (BOM tolerated) → text with LF line ends; bad bytes → an ``encoding`` diagnostic."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        head = raw[: e.start]
        line = head.count(b"\n") + 1
        col = e.start - (head.rfind(b"\n") + 1) + 1
        diags.append(
            make(
                "encoding",
                f"byte 0x{raw[e.start]:02x} is not valid UTF-8",
                Source(file, line, col),
                "save the file as UTF-8",
            )
        )
        return None
    return text.replace("\r\n", "\n")


def parse_text(text: str, file: str, diags: list[Diagnostic]) -> LMap | None:
    """Parse one file's text; a syntax problem becomes a ``yaml-syntax`` diagnostic."""
    try:
        node = _yaml().compose(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        src = Source(file, mark.line + 1, mark.column + 1) if mark else Source(file, 1, 1)
        problem = (e.problem or e.context or "syntax error").strip()
        hint = (
            "YAML indents with spaces, never tabs"
            if "\t" in problem or "tab" in problem
            else "check the indentation and quoting near this position"
        )
        diags.append(make("yaml-syntax", problem, src, hint))
        return None
    except YAMLError as e:
        diags.append(make("yaml-syntax", str(e).strip()[:200], Source(file, 1, 1)))
        return None
    if node is None:
        return None
    data = construct(node, file, diags)
    if data is None:
        return None
    if not isinstance(data, LMap):
        diags.append(
            make(
                "file-not-mapping",
                "a ledger file must be a mapping of sections",
                _src(file, node),
                "start the file with e.g. 'agreements:'",
            )
        )
        return None
    return data


def read_file(path: Path, display: str, diags: list[Diagnostic]) -> LedgerFile:
    """Read and parse one file; problems go to ``diags``."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        diags.append(make("file-unreadable", f"cannot read: {e.strerror}", Source(display, 1, 1)))
        return LedgerFile(display, None)
    text = decode(raw, display, diags)
    return LedgerFile(display, None if text is None else parse_text(text, display, diags))


def ledger_paths(root: Path) -> list[Path]:
    """Every ``*.yaml`` / ``*.yml`` file below ``root``, recursively, in sorted path order."""
    files = [p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def display_path(root: Path, path: Path) -> str:
    """The path as shown in diagnostics: the ledger folder as given, joined with the file."""
    return (root / path.relative_to(root)).as_posix()


def read_ledger(root: Path) -> tuple[list[LedgerFile], list[Diagnostic]]:
    """Read every ledger file under ``root``.

    Returns ``(files, diagnostics)``; a missing folder or one without YAML files is a
    diagnostic (``ledger-not-found``, ``ledger-empty``), never an exception.
    """
    diags: list[Diagnostic] = []
    if not root.is_dir():
        diags.append(
            make(
                "ledger-not-found",
                f"ledger folder {root.as_posix()!r} not found",
                None,
                "pass --ledger DIR or set RMXL_LEDGER",
            )
        )
        return [], diags
    paths = ledger_paths(root)
    if not paths:
        diags.append(make("ledger-empty", f"no *.yaml files in {root.as_posix()!r}", None))
    return [read_file(p, display_path(root, p), diags) for p in paths], diags
