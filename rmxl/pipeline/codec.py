"""Cache entries as plain data: rmxl's records ⇄ JSON text, column by column.

An entry read from the cache must never be able to run code (issue 10), so entries are
JSON — strings, numbers, lists and objects only — and the records are rebuilt explicitly:
only the classes of :data:`CLASSES` are ever constructed, each from exactly as many
values as it has fields, each value of a type its field's annotation allows. Anything
else (an unknown tag, a wrong count, a wrong type) raises :class:`Malformed`, which the
cache treats as a miss.

Layout, built for speed (issue 14: writes linear in the ledger's size, no memo): a
sequence is stored as one *column* (a tagged JSON list), and a column of records of one
class as one column per field, so 100,000 agreements are a few dozen flat lists that
:func:`json.dumps` and :func:`json.loads` handle in C; repeated strings (file names,
currencies, partner ids) are stored once with indices. Tags:

- ``["r", values]``: strings, integers, booleans and nulls as they are;
- ``["s", distinct, indices]``: strings (and nulls) with few distinct values;
- ``["D", texts]``: decimals; ``["a", ordinals]``: dates; ``["P", texts]``: paths;
- ``["C", class, columns]``: records of one class, one column per field;
- ``["T", kind, counts, column]``: tuples (``t``), lists (``l``) or frozensets (``f``)
  of ``counts[i]`` items each, all items in one column;
- ``["M", counts, keys, values]``: mappings;
- ``["N", length, present, column]``: nulls mixed with one other kind, ``present`` the
  indices of the values that are not null;
- ``["g", [value, ...]]``: anything else, each value as a one-item column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from itertools import accumulate
from operator import attrgetter
from pathlib import Path, PurePosixPath
from typing import Any, Final

from rmxl import model
from rmxl.diagnostics import Diagnostic, Source
from rmxl.validate.agreements import Checked, FileAgreements

CLASSES: Final[dict[str, type]] = {
    c.__name__: c
    for c in (
        Source,
        Diagnostic,
        model.Code,
        model.Group,
        model.Vocabulary,
        model.ActionPlan,
        model.Taxonomy,
        model.Partner,
        model.Contribution,
        model.Agreement,
        model.Rates,
        model.ReportingOrg,
        model.Ledger,
        Checked,
        FileAgreements,
    )
}
"""The only classes an entry may rebuild: rmxl's own frozen records (plain data)."""

_RAW: Final = frozenset({str, int, bool, type(None)})
_TEXT: Final = frozenset({str, type(None)})
_SEQ: Final = {tuple: "t", list: "l", frozenset: "f"}
_SEQ_OF: Final[dict[str, Callable[[Iterable[Any]], Any]]] = {
    "t": tuple,
    "l": list,
    "f": frozenset,
}


class Malformed(ValueError):
    """An entry that is not what :func:`encode` writes."""


def encode(value: Any) -> list[Any]:
    """``value`` (records, sequences, mappings, decimals, dates, paths, plain values) as a
    JSON-ready one-item column; raises TypeError for anything else (not cached)."""
    return column([value])


def decode(data: Any) -> Any:
    """The value of :func:`encode`'s output; raises :class:`Malformed` (or another
    ValueError/TypeError/LookupError) when ``data`` is not such output."""
    values = values_of(data)
    if len(values) != 1:
        raise Malformed("not one value")
    return values[0]


def column(values: list[Any]) -> list[Any]:
    """One column of values as a tagged JSON list (see the module doc)."""
    types = set(map(type, values))
    if types <= _RAW:
        if (
            str in types
            and types <= _TEXT
            and len(index := dict.fromkeys(values)) * 4 < len(values)
        ):
            for i, v in enumerate(index):
                index[v] = i
            return ["s", list(index), list(map(index.__getitem__, values))]
        return ["r", values]
    if len(types) == 2 and type(None) in types:
        present = [i for i, v in enumerate(values) if v is not None]
        return ["N", len(values), present, column([values[i] for i in present])]
    if len(types) != 1:
        return ["g", [column([v]) for v in values]]
    kind = types.pop()
    if kind is Decimal:
        return ["D", list(map(str, values))]
    if kind is dt.date:
        return ["a", [v.toordinal() for v in values]]
    if issubclass(kind, PurePosixPath):
        return ["P", list(map(str, values))]
    if kind in _SEQ:
        items = [x for v in values for x in v]
        return ["T", _SEQ[kind], list(map(len, values)), column(items)]
    if kind is dict:
        keys = [k for v in values for k in v]
        vals = [x for v in values for x in v.values()]
        return ["M", list(map(len, values)), column(keys), column(vals)]
    if CLASSES.get(kind.__name__) is kind:
        names = [f.name for f in dataclasses.fields(kind)]  # type: ignore[arg-type]
        return ["C", kind.__name__, [column(list(map(attrgetter(n), values))) for n in names]]
    raise TypeError(f"cannot cache a {kind.__name__}")


def values_of(data: Any) -> list[Any]:
    """The values of one column written by :func:`column`."""
    if not isinstance(data, list) or not data:
        raise Malformed("a column must be a tagged list")
    tag, *rest = data
    reader = _READERS.get(tag) if isinstance(tag, str) else None
    if reader is None:
        raise Malformed(f"unknown column tag {tag!r}")
    return reader(*rest)


def _raw(values: list[Any]) -> list[Any]:
    if not isinstance(values, list) or not set(map(type, values)) <= _RAW:
        raise Malformed("plain values expected")
    return values


def _strings(distinct: list[Any], indices: list[Any]) -> list[Any]:
    _raw(distinct)
    if not isinstance(indices, list) or not set(map(type, indices)) <= {int}:
        raise Malformed("indices expected")
    if indices and not 0 <= min(indices) <= max(indices) < len(distinct):
        raise Malformed("index out of range")
    return [distinct[i] for i in indices]


def _texts(texts: list[Any]) -> list[str]:
    if not isinstance(texts, list) or not set(map(type, texts)) <= {str}:
        raise Malformed("texts expected")
    return texts


def _decimals(texts: list[Any]) -> list[Decimal]:
    out = list(map(Decimal, _texts(texts)))
    if not all(d.is_finite() for d in out):
        raise Malformed("a decimal must be finite")
    return out


def _dates(ordinals: list[Any]) -> list[dt.date]:
    if not isinstance(ordinals, list) or not set(map(type, ordinals)) <= {int}:
        raise Malformed("ordinals expected")
    return list(map(dt.date.fromordinal, ordinals))


def _paths(texts: list[Any]) -> list[Path]:
    return list(map(Path, _texts(texts)))


def _counts(counts: Any, total: int) -> list[int]:
    if not isinstance(counts, list) or not set(map(type, counts)) <= {int}:
        raise Malformed("counts expected")
    if (counts and min(counts) < 0) or sum(counts) != total:
        raise Malformed("counts do not match the items")
    return counts


def _sequences(kind: Any, counts: Any, items: Any) -> list[Any]:
    make = _SEQ_OF.get(kind) if isinstance(kind, str) else None
    if make is None:
        raise Malformed(f"unknown sequence kind {kind!r}")
    flat = values_of(items)
    ends = list(accumulate(_counts(counts, len(flat))))
    return [make(flat[end - n : end]) for n, end in zip(counts, ends, strict=True)]


def _mappings(counts: Any, keys: Any, values: Any) -> list[dict[Any, Any]]:
    ks, vs = values_of(keys), values_of(values)
    if len(ks) != len(vs):
        raise Malformed("keys and values differ in number")
    ends = list(accumulate(_counts(counts, len(ks))))
    pairs = list(zip(ks, vs, strict=True))
    return [dict(pairs[end - n : end]) for n, end in zip(counts, ends, strict=True)]


def _nullable(length: Any, present: Any, values: Any) -> list[Any]:
    found = values_of(values)
    if type(length) is not int or not isinstance(present, list):
        raise Malformed("a length and indices expected")
    if not set(map(type, present)) <= {int} or len(present) != len(found):
        raise Malformed("indices do not match the values")
    if present and not 0 <= min(present) <= max(present) < length:
        raise Malformed("index out of range")
    out: list[Any] = [None] * length
    for i, v in zip(present, found, strict=True):
        out[i] = v
    return out


def _generic(columns: Any) -> list[Any]:
    if not isinstance(columns, list):
        raise Malformed("columns expected")
    return [decode(c) for c in columns]


def _records(name: Any, columns: Any) -> list[Any]:
    cls = CLASSES.get(name) if isinstance(name, str) else None
    if cls is None or not isinstance(columns, list) or len(columns) != len(_allowed(cls)):
        raise Malformed(f"not a record of a known shape: {name!r}")
    allowed = _allowed(cls)
    fields = [values_of(c) for c in columns]
    if len({len(f) for f in fields}) > 1:
        raise Malformed(f"{name}: fields of different lengths")
    for values, types in zip(fields, allowed, strict=True):
        if types is not None and not set(map(type, values)) <= types:
            raise Malformed(f"{name}: a value of the wrong type")
    return list(map(cls, *fields)) if fields else []


@cache
def _allowed(cls: type) -> tuple[frozenset[type] | None, ...]:
    """Per field of ``cls``, the types its values may have (from the annotation's outer
    names, e.g. ``str | None``; None: any)."""
    return tuple(_types(str(f.type)) for f in dataclasses.fields(cls))


def _types(annotation: str) -> frozenset[type] | None:
    known: dict[str, type] = {
        "str": str,
        "int": int,
        "bool": bool,
        "None": type(None),
        "Decimal": Decimal,
        "dt.date": dt.date,
        "tuple": tuple,
        "dict": dict,
        "frozenset": frozenset,
        "Severity": str,
        **CLASSES,
    }
    out: set[type] = set()
    for part in annotation.split("|"):
        name = part.strip().split("[", 1)[0]
        if name == "Path":
            out |= {Path, type(Path())}
        elif name in known:
            out.add(known[name])
        else:
            return None
    return frozenset(out)


_READERS: Final[dict[str, Callable[..., list[Any]]]] = {
    "r": _raw,
    "s": _strings,
    "D": _decimals,
    "a": _dates,
    "P": _paths,
    "C": _records,
    "T": _sequences,
    "M": _mappings,
    "N": _nullable,
    "g": _generic,
}
