"""Field checks shared by the validators: types, required and unknown keys, hints.

Each check appends a :class:`~rmxl.diagnostics.Diagnostic` pointing at the value at fault
and returns the checked value, or None when it is unusable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from rmxl.diagnostics import Diagnostic, Source, closest_name, make
from rmxl.money import MAX_AMOUNT, MAX_RATE, amount_problem, rate_problem
from rmxl.read.files import BadDate, LMap, LSeq
from rmxl.read.located import RefusedKey


def key_problems(
    record: LMap, required: Sequence[str], optional: Sequence[str]
) -> tuple[list[Any], list[str]]:
    """A record's unknown keys (keys starting with ``x_`` are allowed and ignored, spec
    §2) and its missing required keys, both in order: the one rule for ledger records and
    for the workbook template's sections."""
    allowed = (*required, *optional)
    unknown = [
        k for k in record if not (isinstance(k, str) and (k in allowed or k.startswith("x_")))
    ]
    return unknown, [k for k in required if k not in record]


def suggest(
    value: str,
    choices: Iterable[str],
    aliases: Mapping[str, str] | None = None,
    prefer: Iterable[str] = (),
) -> str:
    """``"did you mean 'africa'?"`` for the closest choice (case-insensitive), or the list
    of choices. ``aliases`` (e.g. label → code) are matched too but the code is suggested
    (``Asia-Pacific`` → ``'asia-pacific'``); ``prefer`` (e.g. the ledger's own currencies)
    is tried first, so ``CHX`` suggests ``CHF`` rather than ``CHW``."""
    # a set has no order of its own: sort it, so the hint is the same on every run
    options = (
        sorted(choices) if isinstance(choices, set | frozenset) else list(dict.fromkeys(choices))
    )
    for pool in ([p for p in prefer], options):
        inside = {a: c for a, c in (aliases or {}).items() if c in pool}
        hit = closest_name(value, pool, inside)
        if hit is not None:
            return f"did you mean {hit!r}?"
    shown = ", ".join(options[:8]) + (", …" if len(options) > 8 else "")
    return f"expected one of: {shown}" if options else ""


def meant(key: Any, choices: Iterable[str]) -> str | None:
    """The choice a misspelt ``key`` stands for, as :func:`suggest` would name it, or
    None. A misspelt required key is one mistake: the ``unknown-key`` it makes is the
    cause, the ``missing-key`` (or ``taxonomy-missing``) a knock-on."""
    options = list(choices)
    hint = suggest(str(key), options) if options else ""
    return next((c for c in options if hint == f"did you mean {c!r}?"), None)


MULTILINE = frozenset({"title", "notes", "reference"})
"""Text fields that may span lines; every other (name, label, code, id) is one line."""
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]")
"""A tab or a line break (YAML's and Unicode's): not in a one-line text."""


def blank(text: str) -> bool:
    """Whether ``text`` holds nothing but spaces and invisible format characters (Unicode
    category Cf: zero-width space, joiners, direction marks): a name of nothing else is
    blank. Stops at the first visible character (the first, in a name)."""
    if text[:1].isalnum():  # a letter or digit is neither a space nor Cf: the usual name
        return False
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


@cache
def _key_sets(required: tuple[str, ...], optional: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """The required keys and every allowed key of a record, as sets."""
    return frozenset(required), frozenset((*required, *optional))


def type_name(v: Any) -> str:
    if isinstance(v, LMap):
        return "a mapping"
    if isinstance(v, LSeq):
        return "a list"
    if isinstance(v, bool):
        return "a boolean"
    if v is None:
        return "empty"
    if isinstance(v, int | float | Decimal):
        return "a number"
    if isinstance(v, dt.date | BadDate):
        return "a date"
    return "text"


MIN_DATE = dt.date(1900, 3, 1)
"""Earliest date of a ledger: Excel's 1900 date system counts days right from here on."""
MAX_DATE = dt.date(9998, 12, 31)
"""Latest date of a ledger: the day and the year after any date of it still exist, as the
periods rmxl and the workbook derive from a date need (Python and Excel end at 9999)."""


class Checker:
    """Collects diagnostics while records are checked."""

    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []
        self.lost: set[str] = set()
        """Sections of the ledger whose definitions are not all known (a record without a
        readable id, a section of the wrong type…): see :mod:`rmxl.validate.knockon`."""

    def err(
        self,
        code: str,
        message: str,
        source: Source | None,
        hint: str = "",
        knock_on: bool = False,
    ) -> None:
        d = make(code, message, source, hint)
        self.diags.append(dataclasses.replace(d, knock_on=True) if knock_on else d)

    def record(
        self, value: Any, src: Source, what: str, required: Sequence[str], optional: Sequence[str]
    ) -> LMap | None:
        """Check that ``value`` is a mapping with the ``required`` keys and no unknown key
        (keys starting with ``x_`` are kept and ignored, spec §2)."""
        if not isinstance(value, LMap):
            self.err("wrong-type", f"{what} must be a mapping, not {type_name(value)}", src)
            return None
        need, known = _key_sets(tuple(required), tuple(optional))
        if need <= value.keys() <= known:  # the usual record: no key missing or unknown
            return value
        allowed = (*required, *optional)
        unknown, missing = key_problems(value, required, optional)
        refused = any(isinstance(k, RefusedKey) for k in unknown)
        for key in unknown:
            if isinstance(key, RefusedKey):
                continue  # its yaml-tag (a merge key '<<') or wrong-type error is the cause
            hint = suggest(str(key), allowed) + " (keys starting with x_ are ignored)"
            if isinstance(key, int):  # {amount: 1,000} reads as amount: 1 and a key 000
                hint = (
                    "inside {…} a comma separates entries: write amounts without "
                    "thousands separators (1000000 or 1_000_000)"
                )
            self.err("unknown-key", f"unknown key {str(key)!r} in {what}", value.key_src(key), hint)
        misspelt = {meant(k, allowed) for k in unknown}
        for key in missing:
            msg, hint = f"{what} has no {key!r}", f"add '{key}:'"
            knock_on = key in misspelt or refused  # the refused key may have held it
            self.err("missing-key", msg, value.src(), hint, knock_on=knock_on)
        return value

    def text(self, m: LMap, key: str, what: str, required: bool = True) -> str | None:
        v = m.get(key)
        if v is None:
            if required and key in m:
                self.err("wrong-type", f"{what}: {key!r} is empty", m.val_src(key))
            return None
        if isinstance(v, str):
            if required and blank(v):
                self.err("wrong-type", f"{what}: {key!r} is blank", m.val_src(key))
                return None
            if key not in MULTILINE and _BREAKS.search(v):
                self.err(
                    "bad-text",
                    f"{what}: {key!r} holds a tab or line break",
                    m.val_src(key),
                    "write it on one line: a name is one line in every table",
                )
            return v
        if isinstance(v, int | float | Decimal) and not isinstance(v, bool) and not required:
            return str(v)
        self.err(
            "wrong-type",
            f"{what}: {key!r} must be text, not {type_name(v)}",
            m.val_src(key),
            "quote it",
        )
        return None

    def date(self, m: LMap, key: str, what: str) -> dt.date | None:
        v = m.get(key)
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            if MIN_DATE <= v <= MAX_DATE:  # the usual date: no source, no message made
                return v
            return self.in_range(v, m.val_src(key), f"{what}: {key}")
        if key not in m:
            return None
        if isinstance(v, BadDate):
            self.err(
                "bad-date",
                f"{what}: {key} {v.text!r} is not a date: {v.reason}",
                m.val_src(key),
                "write an existing date as YYYY-MM-DD",
            )
        elif isinstance(v, str):
            self.err(
                "bad-date",
                f"{what}: {key} {v!r} is not a date",
                m.val_src(key),
                "write the date as YYYY-MM-DD, unquoted (e.g. 2022-03-14)",
            )
        else:
            self.err(
                "wrong-type",
                f"{what}: {key} must be a date, not {type_name(v)}",
                m.val_src(key),
                "write the date as YYYY-MM-DD",
            )
        return None

    def in_range(self, day: dt.date, src: Source, what: str) -> dt.date | None:
        """``day`` if it lies from :data:`MIN_DATE` to :data:`MAX_DATE`, else a
        ``bad-date`` and None."""
        if MIN_DATE <= day <= MAX_DATE:
            return day
        self.err(
            "bad-date",
            f"{what} {day} is {'before' if day < MIN_DATE else 'after'} "
            f"{MIN_DATE if day < MIN_DATE else MAX_DATE}",
            src,
            "ledger dates run from 1900-03-01 (where spreadsheets start numbering days "
            "right) to 9998-12-31: check the year",
        )
        return None

    def text_list(
        self, m: LMap, key: str, what: str, nonempty: bool
    ) -> list[tuple[str, Source]] | None:
        """A list of strings (a lone string is accepted as a one-item list)."""
        items = self.text_items(m, key, what, nonempty)
        return None if items is None else [(s, where(m, key, i)) for s, i in items]

    def text_items(
        self, m: LMap, key: str, what: str, nonempty: bool
    ) -> list[tuple[str, int]] | None:
        """:meth:`text_list` with each string's index in the list instead of its source
        (-1 for a lone string): :func:`where` makes the source when a diagnostic needs it."""
        if key not in m:
            return None
        v = m[key]
        if isinstance(v, str):
            return [(v, -1)]
        if v is None and not nonempty:
            return []
        if not isinstance(v, LSeq):
            self.err(
                "wrong-type",
                f"{what}: {key!r} must be a list, not {type_name(v)}",
                m.val_src(key),
                f"write e.g. {key}: [a, b]",
            )
            return None
        if nonempty and not v:
            self.err("empty-list", f"{what}: {key!r} needs at least one entry", m.val_src(key))
            return None
        out: list[tuple[str, int]] = []
        seen: set[str] = set()
        for i, item in enumerate(v):
            if not isinstance(item, str):
                self.err(
                    "wrong-type",
                    f"{what}: {key!r} entries must be text, not {type_name(item)}",
                    v.item_src(i),
                    "quote it",
                )
                continue
            if item in seen:
                self.err(
                    "duplicate-reference",
                    f"{what}: {item!r} is listed twice in {key!r}",
                    v.item_src(i),
                )
                continue
            seen.add(item)
            out.append((item, i))
        return out

    def positive(self, m: LMap, key: Any, what: str, code: str) -> Decimal | None:
        """A positive, finite number within the limits of :mod:`rmxl.money` (an amount, or
        a rate when ``code`` is ``bad-rate``), as an exact Decimal of what was written."""
        v = m.get(key)
        if type(v) is int and 1 <= v <= (MAX_RATE if code == "bad-rate" else MAX_AMOUNT):
            return Decimal(v)  # whole and in range: none of the checks below can fail
        if key not in m:
            return None
        src = m.val_src(key)
        if isinstance(v, bool) or not isinstance(v, int | float | Decimal):
            hint = "write digits only, e.g. 1000000 or 1_000_000" if isinstance(v, str) else ""
            shown = "" if v is None else f" {str(v)!r:.40}"
            self.err(code, f"{what}: {key} must be a number, not {type_name(v)}{shown}", src, hint)
            return None
        if isinstance(v, float) and not math.isfinite(v):
            self.err(
                code,
                f"{what}: {key} is not a finite number (it reads as {v})",
                src,
                "write the amount in digits; .nan and .inf are refused",
            )
            return None
        d = Decimal(v)
        if d <= 0:
            self.err(code, f"{what}: {key} {_shown(d)} must be greater than 0", src)
            return None
        problem = rate_problem(d) if code == "bad-rate" else amount_problem(d)
        if problem:
            why, _, hint = problem.partition(": ")
            self.err(code, f"{what}: {key} {_shown(d)} {why}", src, hint)
            return None
        return d


def where(m: LMap, key: str, i: int) -> Source:
    """Where item ``i`` of the list at ``m[key]`` is written (``m[key]`` itself for -1: a
    lone string), as :meth:`Checker.text_items` numbers them."""
    return m.val_src(key) if i < 0 else m[key].item_src(i)


def _shown(d: Decimal) -> str:
    """A number as written, shortened past 40 characters."""
    text = str(d)
    return text if len(text) <= 40 else text[:37] + "…"
