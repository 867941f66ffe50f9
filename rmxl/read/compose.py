"""Compose: one file's text → located plain values (stage 1 of the pipeline, with
:mod:`rmxl.read.files`).

ruamel.yaml's C parser turns the text into events (YAML 1.2 core schema: ``NO`` stays a
string); :class:`_Composer` builds :class:`LMap`, :class:`LSeq` and plain scalars from
them without recursion, so nesting of any depth is a diagnostic, never a crash. Only
str, int, float, bool, None and dates are built: any other tag (``!!python/object/...``)
is a ``yaml-tag`` diagnostic and is never constructed. Aliases share their anchor's value
(never expanded); an alias bomb, deep nesting, duplicate keys and control characters are
diagnostics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import ScalarNode

from rmxl.diagnostics import Diagnostic, Source, make
from rmxl.read.located import LMap, LSeq, Pos, RefusedKey
from rmxl.read.scalars import MAX_DEPTH, TAG_PREFIX, UnknownTag, kind_of, scalar_value
from rmxl.read.text import problem as text_problem

MAX_ALIAS_VALUES = 100_000
"""Most values aliases may repeat in one file: more (an alias bomb) is yaml-too-large."""
_TEXT_HINT = "remove the character (write a line break as \\n) or shorten the text"


def _scalar(tag: str, text: str, file: str, pos: Pos, diags: list[Diagnostic]) -> Any:
    """A resolved scalar → its value by the one scalar table (:mod:`rmxl.read.scalars`);
    a value its tag cannot hold (``!!int abc``, 5,000 digits) is ``wrong-type`` and
    None, a tag rmxl does not construct ``yaml-tag`` and None."""
    kind = kind_of(tag)
    if kind == "str" and (why := text_problem(text)):
        msg = f"this text cannot be written: {why}"
        diags.append(make("bad-text", msg, Source(file, *pos), _TEXT_HINT))
    try:
        return scalar_value(kind, text)
    except UnknownTag:
        _bad_tag(tag, Source(file, *pos), diags)
    except (ValueError, ArithmeticError) as e:
        why = f": {e}" if str(e) else ""
        diags.append(
            make("wrong-type", f"{text[:40]!r} is not a YAML {kind}{why}", Source(file, *pos))
        )
    return None


def _bad_tag(tag: str, src: Source, diags: list[Diagnostic]) -> None:
    if tag == TAG_PREFIX + "merge":
        msg, hint = "a YAML merge key '<<' is not read", "write the merged keys out in full"
    else:
        msg = f"unsupported YAML tag {tag.replace(TAG_PREFIX, '!!')!r}; it was not constructed"
        hint = "write plain data: strings, numbers, dates, lists"
    diags.append(make("yaml-tag", msg, src, hint))


class _Abort(Exception):
    """Stops composing a file after a diagnostic that leaves nothing usable."""


@dataclass(slots=True)
class _Frame:
    """A list or mapping still open while events are composed."""

    value: LMap | LSeq
    anchor: str | None
    attached: Any  # what the parent holds: ``value``, or None for a refused tag
    size: int = 1  # values inside, aliases expanded
    key: Any = None
    key_pos: Pos = (0, 0)
    state: int = 0  # mapping: 0 expects a key, 1 a value to keep, 2 a value to drop


class _Composer:
    """Parser events → located plain values, iteratively: deep nesting is a diagnostic,
    never a stack overflow; an alias shares its anchor's value and is never expanded."""

    def __init__(self, file: str, diags: list[Diagnostic]) -> None:
        self.file, self.diags = file, diags
        self.resolver = _yaml().resolver
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.repeated = 0
        self.docs = 0
        self.root: Any = None
        self.root_pos: Pos = (1, 1)

    def fail(self, code: str, message: str, src: Source, hint: str = "") -> None:
        self.diags.append(make(code, message, src, hint))
        raise _Abort

    def event(self, ev: Any) -> None:
        cls = type(ev)
        if cls is SequenceEndEvent or cls is MappingEndEvent:
            self.close()
            return
        if cls not in (ScalarEvent, SequenceStartEvent, MappingStartEvent, AliasEvent):
            if cls is DocumentStartEvent:
                self.docs += 1
                if self.docs > 1:
                    self.fail(
                        "yaml-syntax",
                        "a second YAML document ('---')",
                        self.src(ev),
                        "a ledger file holds one document: split it into two files",
                    )
            return
        pos = (ev.start_mark.line + 1, ev.start_mark.column + 1)
        if cls is AliasEvent:
            value, size = self.alias(ev.anchor, pos)
            self.add(value, pos, size)
        elif cls is ScalarEvent:
            tag = ev.tag
            if tag is None or tag == "!":
                tag = self.resolver.resolve(ScalarNode, ev.value, ev.implicit)
            before = len(self.diags)
            value = _scalar(str(tag), ev.value, self.file, pos, self.diags)
            if ev.anchor is not None:
                self.anchors[ev.anchor] = (value, 1)
            if value is None and len(self.diags) > before and self.expects_key():
                value = RefusedKey(ev.value)  # not None: its own refusal is the one error
            self.add(value, pos, 1)
        else:
            self.open(ev, cls is MappingStartEvent, pos)

    def expects_key(self) -> bool:
        """Whether the next value is a key of the open mapping."""
        return (
            bool(self.stack) and isinstance(self.stack[-1].value, LMap) and not self.stack[-1].state
        )

    def src(self, ev: Any) -> Source:
        return Source(self.file, ev.start_mark.line + 1, ev.start_mark.column + 1)

    def open(self, ev: Any, mapping: bool, pos: Pos) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self.fail(
                "yaml-too-large",
                f"lists and mappings nest deeper than {MAX_DEPTH} levels",
                Source(self.file, *pos),
                "a ledger nests 7 levels at most",
            )
        value: LMap | LSeq = LMap(self.file, pos) if mapping else LSeq(self.file, pos)
        attached: Any = value
        if ev.tag not in (None, "!", TAG_PREFIX + ("map" if mapping else "seq")):
            _bad_tag(str(ev.tag), Source(self.file, *pos), self.diags)
            attached = None
        self.add(attached, pos, 0)
        self.stack.append(_Frame(value, ev.anchor, attached))

    def close(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.attached, frame.size)
        if self.stack:
            self.stack[-1].size += frame.size

    def alias(self, anchor: str, pos: Pos) -> tuple[Any, int]:
        src = Source(self.file, *pos)
        if anchor not in self.anchors:
            inside = any(f.anchor == anchor for f in self.stack)
            what = "an alias inside its own anchor" if inside else "an undefined alias"
            self.fail("yaml-syntax", f"*{anchor} is {what}", src, "define &name before *name")
        value, size = self.anchors[anchor]
        self.repeated += size
        if self.repeated > MAX_ALIAS_VALUES:
            self.fail(
                "yaml-too-large",
                f"aliases repeat more than {MAX_ALIAS_VALUES:,} values",
                src,
                "an alias bomb? write the data out, without anchors",
            )
        return value, size

    def add(self, value: Any, pos: Pos, size: int) -> None:
        """Put a value in the open collection (or make it the document)."""
        if not self.stack:
            self.root, self.root_pos = value, pos
            return
        top = self.stack[-1]
        top.size += size
        c = top.value
        if isinstance(c, LSeq):
            c.item_pos.append(pos)
            c.append(value)
        elif top.state == 0:
            top.key, top.key_pos = value, pos
            top.state = 1 if self.key_ok(c, value, pos) else 2
        else:
            if top.state == 1:
                c.key_pos[top.key] = top.key_pos
                c.val_pos[top.key] = pos
                c[top.key] = value
            top.state = 0

    def key_ok(self, mp: LMap, key: Any, pos: Pos) -> bool:
        if not isinstance(key, LMap | LSeq) and key not in mp:
            return True
        src = Source(self.file, *pos)
        if isinstance(key, LMap | LSeq):
            self.diags.append(make("wrong-type", "a mapping key must be a plain value", src))
            return False
        if key in mp:
            self.diags.append(
                make(
                    "yaml-duplicate-key",
                    f"duplicate key {key!s:.60} (first at line {mp.key_pos[key][0]})",
                    src,
                    "remove or rename one of the two",
                )
            )
        return False


def _yaml() -> YAML:
    y = YAML(typ="safe", pure=False)
    y.version = (1, 2)
    return y


_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _line_col(text: str, index: int) -> Pos:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _syntax_hint(text: str, line: int, col: int, problem: str) -> str:
    """Say "tabs" when a tab sits in the indentation or at the problem position."""
    lines = text.split("\n", line)[max(line - 2, 0) : line]
    near = lines[-1][max(col - 2, 0) : col] if lines else ""
    indents = [ln[: len(ln) - len(ln.lstrip(" \t"))] for ln in lines]
    if "tab" in problem or "\t" in near or any("\t" in i for i in indents):
        return "YAML indents with spaces, never tabs: replace the tab with spaces"
    return "check the indentation and quoting near this position"


def compose(text: str, file: str, diags: list[Diagnostic]) -> tuple[Any, Pos] | None:
    """The document's value and where it starts; None (with diagnostics) when the text
    cannot be read: a syntax error, a control character, nesting deeper than
    :data:`MAX_DEPTH`, aliases repeating more than :data:`MAX_ALIAS_VALUES` values, a
    second document. Never raises for any text."""
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        where = Source(file, *_line_col(text, bad.start()))
        diags.append(
            make(
                "yaml-syntax",
                f"control character {bad.group()!r} is not allowed",
                where,
                "remove it (YAML allows tab, LF and CR only)",
            )
        )
        return None
    composer = _Composer(file, diags)
    try:
        for ev in _yaml().parse(text):
            composer.event(ev)
    except _Abort:
        return None
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (e.problem or e.context or "syntax error").strip()
        hint = _syntax_hint(text, line, col, problem)
        diags.append(make("yaml-syntax", problem, Source(file, line, col), hint))
        return None
    except YAMLError as e:
        diags.append(make("yaml-syntax", str(e).strip().splitlines()[0][:200], Source(file, 1, 1)))
        return None
    return composer.root, composer.root_pos
