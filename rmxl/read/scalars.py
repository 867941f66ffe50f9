"""The YAML 1.2 scalar table rmxl reads by: which resolved tag gives which Python value,
and the limits both parsers share (:mod:`rmxl.read.compose`, the full one, and
:mod:`rmxl.read.fastread`, the fast one for the common subset, which must build exactly
the same values).

A plain or quoted scalar, once ruamel.yaml's YAML 1.2 resolver has given it a tag, becomes
``str``, ``int``, ``Decimal`` (a finite YAML float, exactly as written: spec §6),
``float`` (``.inf``, ``.nan``), ``bool``, ``None``, or a date (``datetime.date``, or
:class:`~rmxl.read.located.BadDate` for a date that does not exist or has a time).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

from rmxl.read.located import BadDate

TAG_PREFIX = "tag:yaml.org,2002:"
NULLS = ("", "~", "null", "Null", "NULL")
FLOAT_SPECIAL = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
MAX_NUMBER_CHARS = 100
"""Longest number read (a 5,000-digit int would cost seconds to convert): longer is
``wrong-type``."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings read (a ledger needs 7): deeper is
``yaml-too-large``."""

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class UnknownTag(LookupError):
    """A tag rmxl does not construct (``!!python/object``, ``!!binary``…)."""


def kind_of(tag: str) -> str:
    """``tag:yaml.org,2002:int`` → ``int``; any other tag → ``""``."""
    return tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else ""


def scalar_value(kind: str, text: str) -> Any:
    """The value of a scalar whose resolved tag is ``kind`` (:func:`kind_of`).

    Raises ``ValueError`` or ``ArithmeticError`` when ``text`` cannot be a value of that
    kind (``!!int abc``, a number longer than :data:`MAX_NUMBER_CHARS`; the message says
    why, or is empty for ``null`` and ``bool``), and :class:`UnknownTag` for a kind rmxl
    does not construct."""
    if kind == "str":
        return text
    if kind in ("int", "float") and len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(text)} characters is too long")
    if kind == "int":
        t = text.replace("_", "")
        return int(t) if t.lstrip("+-").isdigit() else int(t, 0)
    if kind == "float":
        t = text.replace("_", "").lower()
        return FLOAT_SPECIAL[t] if t in FLOAT_SPECIAL else Decimal(t)
    if kind == "timestamp":
        return date_value(text)
    if kind == "null":
        if text in NULLS:
            return None
        raise ValueError("")
    if kind == "bool":
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise ValueError("")
    raise UnknownTag(kind)


def date_value(text: str) -> dt.date | BadDate:
    """``2023-03-01`` → that date; a date that does not exist or carries a time →
    :class:`BadDate` with the reason (validate reports it where the date is used)."""
    m = _DATE.match(text.strip())
    if not m:
        return BadDate(text, "a date is written YYYY-MM-DD, without a time")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as e:
        return BadDate(text, str(e))
