"""Located YAML values: mappings and lists that remember the 1-based ``(line, column)``
of themselves, of each key, value and item, and dates that are not in the calendar.

Built by :mod:`rmxl.read.compose`; read by the validators (and re-exported by
:mod:`rmxl.read.files`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rmxl.diagnostics import Source

Pos = tuple[int, int]


class LMap(dict[Any, Any]):
    """A YAML mapping that remembers where it, each key and each value were written."""

    __slots__ = ("file", "key_pos", "pos", "val_pos")

    def __init__(self, file: str, pos: Pos) -> None:
        # empty as made (no super().__init__(): one call less per node, the fast reader's hot spot)
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
        # empty as made (no super().__init__(): one call less per node, the fast reader's hot spot)
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


class RefusedKey(str):
    """A mapping key whose scalar was refused where it was read (a YAML merge key ``<<``,
    a tag such as ``!!python/name:x``: ``yaml-tag``; ``!!int abc``: ``wrong-type``), as
    its text. Not a key of the format: the checks report no ``unknown-key`` for it (the
    refusal is the cause) and a required key missing beside it is a knock-on (the refused
    key may have held it)."""

    __slots__ = ()
