"""The canonical layout of a ledger file, applied to a ruamel.yaml round-trip tree.

:func:`canonicalise` changes layout only, never data: keys in the spec's order (spec §2:
records' required keys, then optional ones, then ``x_`` keys, then anything else as
written), records (agreements, partners, action plans) as block mappings, short lists of
scalars and small records (contributions, taxonomy codes) in flow style, one blank line
between agreements. Comments stay with the key or record they were written next to:
when keys move, the comment lines that stood before a key move with it.

ruamel.yaml keeps a comment in the token slot *after* a value (``ca.items[key][2]`` of a
mapping, ``ca.items[index][0]`` of a sequence), so the lines after the end-of-line part
of that token belong to whatever follows; this module moves them accordingly.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from rmxl.validate.agreements import AGREEMENT_KEYS, AGREEMENT_OPTIONAL, CONTRIBUTION_KEYS
from rmxl.validate.ledger import PARTNER_KEYS, PARTNER_OPTIONAL, SECTIONS

WIDTH = 120
"""A flow list or mapping is used when its line fits in this many characters."""

ORDER = {
    "file": SECTIONS,
    "taxonomy": ("regions", "partner_types", "membership", "action_plans"),
    "vocabulary": ("multi_label", "footnote", "groups", "values"),
    "code": ("code", "label", "iati"),
    "plan": ("code", "label", "from", "to", "multi_label", "priorities_term", "priorities"),
    "partner": (*PARTNER_KEYS, *PARTNER_OPTIONAL),
    "agreement": (*AGREEMENT_KEYS, *AGREEMENT_OPTIONAL),
    "contribution": CONTRIBUTION_KEYS,
}
LIST_KEYS = ("partners", "regions", "priorities", "countries")

Slot = tuple[Any, Any, int]  # a collection, a key or index in it, a position in its slot
Line = tuple[int, str]  # a comment line's column and text ("" for a blank line)


class LayoutRefused(ValueError):
    """The canonical layout cannot keep a comment where it belongs: the file is left
    untouched and the reason shown. ``pos`` is the 1-based ``(line, column)`` concerned
    and ``hint`` says what to do."""

    def __init__(self, message: str, pos: tuple[int, int], hint: str) -> None:
        super().__init__(message)
        self.pos, self.hint = pos, hint


def canonicalise(doc: Any) -> None:
    """Put a file's round-trip tree (a ``CommentedMap``) in the canonical layout, in
    place. Values that do not have the shape the format expects are left as written."""
    if not isinstance(doc, CommentedMap):
        return
    tax = doc.get("taxonomy")
    if isinstance(tax, CommentedMap):
        _taxonomy(tax)
    for i, p in _maps(doc.get("partners")):
        _record(doc["partners"], i, p, "partner")
    agreements = doc.get("agreements")
    for i, a in _maps(agreements):
        for key in LIST_KEYS:
            _short_list(a, key)
        _smalls(a.get("contributions"), "contribution", 8)
        _record(agreements, i, a, "agreement")
    if isinstance(agreements, CommentedSeq):
        _separate(agreements)
    _order(doc, ORDER["file"])


def _maps(seq: Any) -> list[tuple[int, CommentedMap]]:
    if not isinstance(seq, CommentedSeq):
        return []
    if seq.fa.flow_style() and not _has_comments(seq):
        seq.fa.set_block_style()
    return [(i, v) for i, v in enumerate(seq) if isinstance(v, CommentedMap)]


def _taxonomy(tax: CommentedMap) -> None:
    for name in ("regions", "partner_types", "membership"):
        vocab = tax.get(name)
        if isinstance(vocab, CommentedMap):
            _smalls(vocab.get("values"), "code", 6)
            _order(vocab, ORDER["vocabulary"])
    plans = tax.get("action_plans")
    for i, plan in _maps(plans):
        _smalls(plan.get("priorities"), "code", 8)
        _record(plans, i, plan, "plan")
    _order(tax, ORDER["taxonomy"])


def _has_comments(node: Any) -> bool:
    """Whether a collection or anything inside it carries a comment or blank line."""
    if not isinstance(node, CommentedMap | CommentedSeq):
        return False
    if node.ca.comment or any(any(t for t in slot if t) for slot in node.ca.items.values()):
        return True
    values = node.values() if isinstance(node, CommentedMap) else node
    return any(_has_comments(v) for v in values)


def _flat(value: Any) -> bool:
    return not isinstance(value, CommentedMap | CommentedSeq)


def _record(seq: CommentedSeq, i: int, m: CommentedMap, kind: str) -> None:
    """A record: block style (an end-of-line comment after a flow record moves to its
    first key), keys in order."""
    if not (m.fa.flow_style() and m):
        _order(m, ORDER[kind])
        return
    lines = _take_rest(seq, i)
    slot = seq.ca.items.get(i)
    eol = slot[0] if slot else None
    if slot:
        slot[0] = None
    m.fa.set_block_style()
    _order(m, ORDER[kind])
    if eol is not None:
        first = m.ca.items.setdefault(next(iter(m)), [None, None, None, None])
        first[2] = CommentToken(eol.value, CommentMark(0))
    _add_rest(m, next(reversed(m)), lines)


def _smalls(seq: Any, kind: str, indent: int) -> None:
    """Small records (contributions, taxonomy codes): each in flow style when it fits on
    a line and holds no comment, else block. A flow record with an end-of-line comment
    followed by a block one becomes block too: ruamel.yaml 0.19 would otherwise join two
    lines of the block one when the list itself has an end-of-line comment."""
    items = _maps(seq)
    for i, m in items:
        _small(seq, i, m, kind, indent)
    for i, m in items:
        slot = seq.ca.items.get(i)
        later_block = any(not x.fa.flow_style() for j, x in items if j > i)
        if m.fa.flow_style() and later_block and slot and slot[0] is not None:
            _record(seq, i, m, kind)


def _small(seq: CommentedSeq, i: int, m: CommentedMap, kind: str, indent: int) -> None:
    _order(m, ORDER[kind])
    lines = _take_rest(seq, i)  # the lines after the record belong to what follows
    if all(_flat(v) for v in m.values()) and not _has_comments(m):
        text = ", ".join(f"{k}: {_shown(v)}" for k, v in m.items())
        if indent + 4 + len(text) <= WIDTH:
            m.fa.set_flow_style()
        else:
            m.fa.set_block_style()
    _add_rest(seq, i, lines)


def _short_list(m: CommentedMap, key: str) -> None:
    """A list of scalars: flow when ``key: [a, b]`` fits on a line, else block."""
    v = m.get(key)
    if not isinstance(v, CommentedSeq) or not all(_flat(x) for x in v):
        return
    lines = _take_rest(m, key)
    slot = m.ca.items.get(key)
    eol = bool(v.fa.flow_style() and slot and slot[2] is not None and "#" in slot[2].value)
    if not eol and not _has_comments(v):
        text = ", ".join(_shown(x) for x in v)
        if 4 + len(key) + 4 + len(text) <= WIDTH:
            v.fa.set_flow_style()
        else:
            v.fa.set_block_style()
    _add_rest(m, key, lines)


def _shown(v: Any) -> str:
    return str(v) if v is not None else "null"


def _order(m: CommentedMap, order: tuple[str, ...]) -> None:
    """Reorder ``m``'s keys: ``order`` first, then ``x_`` keys, then the rest as written.
    The comment lines before a key move with it; those after the last key stay last."""
    keys = list(m)
    rank = {k: n for n, k in enumerate(order)}

    def where(k: Any) -> tuple[int, int]:
        if k in rank:
            return (0, rank[k])
        return (1 if str(k).startswith("x_") else 2, keys.index(k))

    new = sorted(keys, key=where)
    if new == keys:
        return
    rests = [_take_rest(m, k) for k in keys]
    before = {keys[n + 1]: rests[n] for n in range(len(keys) - 1)}
    for k in new:
        m.move_to_end(k)
    leftover = before.get(new[0], [])
    first = m.ca.items.get(new[0])
    if first and first[1]:  # comment lines ruamel keeps before the key now first
        leftover = leftover + _lines(first[1])
        first[1] = None
    if any(text for _, text in leftover):
        # its place would be above the record's "- ", which belongs to the list: moving
        # it anywhere else would attach it to the wrong record
        line, col = m.lc.key(new[0])
        raise LayoutRefused(
            f"a comment stands before {new[0]!r}, which moves to the top of its record",
            (line + 1, col + 1),
            f"move that comment above the record, or put {new[0]!r} first in the record, "
            "by hand; then run rmxl fmt again",
        )
    for n in range(1, len(new)):
        _add_rest(m, new[n - 1], before.get(new[n], []))
    _add_rest(m, new[-1], rests[-1] + leftover)


def _tail(container: Any, key: Any) -> Slot:
    """The token slot that follows the value of ``container[key]`` (descending into
    block collections, whose last value holds it)."""
    value = container[key]
    if isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
        last = next(reversed(value)) if isinstance(value, CommentedMap) else len(value) - 1
        return _tail(value, last)
    return (container, key, 2 if isinstance(container, CommentedMap) else 0)


def _block_scalar(value: Any) -> bool:
    return isinstance(value, LiteralScalarString | FoldedScalarString)


def _chain(value: Any) -> list[Any]:
    """The block collections from ``value`` down its last values (outermost first)."""
    out = []
    while isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
        out.append(value)
        value = value[next(reversed(value))] if isinstance(value, CommentedMap) else value[-1]
    return out


def _take_rest(container: Any, key: Any) -> list[Line]:
    """Remove and return the comment and blank lines that follow the value of
    ``container[key]``: those after the end-of-line part of its slot, then those ruamel
    keeps at the end of the block collections it ends with."""
    owner, k, pos = _tail(container, key)
    entry = owner.ca.items.get(k)
    token = entry[pos] if entry else None
    lines: list[Line] = []
    if token is not None and entry is not None:
        value = token.value
        cut = value.find("\n") + 1 if "\n" in value else len(value)
        if _block_scalar(owner[k]):
            cut = 0  # a block scalar ends its own line: every line of the token follows it
        eol = value[:cut]
        lines = [(len(ln) - len(ln.lstrip()), ln.strip()) for ln in value[cut:].splitlines()]
        token.value = eol
        entry[pos] = token if eol.strip() else None
    for coll in reversed(_chain(container[key])):
        end = getattr(coll.ca, "end", None)
        if end:
            lines += _lines(end)
            coll.ca.end = []
    return lines


def _add_rest(container: Any, key: Any, lines: list[Line]) -> None:
    if not lines:
        return
    text = "".join(" " * col + t + "\n" if t else "\n" for col, t in lines)
    owner, k, pos = _tail(container, key)
    entry = owner.ca.items.setdefault(k, [None, None, None, None])
    token = entry[pos]
    if token is None:
        lead = "" if _block_scalar(owner[k]) else "\n"
        entry[pos] = CommentToken(lead + text, CommentMark(0))
    else:
        token.value = token.value + text


def _lines(tokens: list[Any]) -> list[Line]:
    """Pre-comment tokens → ``[(column, text)]`` lines ("" for a blank line)."""
    out: list[Line] = []
    for t in tokens or []:
        col = t.start_mark.column if t.start_mark else 0
        for n, line in enumerate(t.value.splitlines()):
            text = line.strip()
            out.append((col if n == 0 else len(line) - len(line.lstrip()), text))
    return out


def _separate(seq: CommentedSeq) -> None:
    """Exactly one blank line between records; the comment lines between two records
    stay above the second one (runs of blank lines become one)."""
    for i in range(1, len(seq)):
        prev = seq[i - 1]
        lines: list[Line] = []
        if isinstance(prev, CommentedMap) and prev and not prev.fa.flow_style():
            lines = _take_rest(prev, next(reversed(prev)))
        entry = seq.ca.items.setdefault(i, [None, None, None, None])
        lines += _lines(entry[1])
        tokens = [CommentToken("\n", CommentMark(0))]
        for col, text in lines:
            if text:
                tokens.append(CommentToken(text + "\n", CommentMark(col)))
            elif tokens[-1].value != "\n":
                tokens.append(CommentToken("\n", CommentMark(0)))
        while len(tokens) > 1 and tokens[-1].value == "\n":
            tokens.pop()
        entry[1] = tokens
