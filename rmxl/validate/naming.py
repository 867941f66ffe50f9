"""Names a spreadsheet and a bucket lookup read as one (spec §6, "Vocabularies and money").

The workbook selects a bucket with SUMIFS/COUNTIFS criteria, which ignore case and read
``*``, ``?`` and ``~`` as wildcards (and a leading ``<``, ``>`` or ``=`` as a comparison);
rmxl names a bucket by its code or label, case and surrounding spaces ignored. So within
one vocabulary no two codes or labels may be the same name that way, a code or label holds
none of those characters, and none is the name of a built-in bucket (``multi``, ``none``).
A partner id is never ``itu``, the contributor of ITU's own component, nor a built-in
bucket code (spec §6). A code or partner id is at most :data:`MAX_CODE_CHARS` long, so
the criterion that selects it stays within Excel's 255 characters.
"""

from __future__ import annotations

import re

from rmxl.diagnostics import Source
from rmxl.model import ITU, MULTI, NONE
from rmxl.validate.checks import Checker

RESERVED = frozenset({MULTI, NONE})
"""Codes of the built-in buckets: no taxonomy code or label is one of them (any case)."""
RESERVED_PARTNER_IDS = frozenset({ITU.lower(), MULTI, NONE})
"""No partner id is one of these (in any case): ``by: itu`` must never be partner money."""
MAX_CODE_CHARS = 254
"""Longest code or partner id: the workbook selects a bucket with the SUMIFS criterion
``"="&code``, and Excel matches criteria of at most 255 characters (#VALUE! beyond)."""
_UNSAFE = re.compile(r"[*?~]|^\s*[<>=]")


def key(text: str) -> str:
    """A name as a bucket lookup and SUMIFS compare it: case and spaces ignored."""
    return " ".join(text.split()).lower()


def unsafe(text: str) -> str:
    """The characters of ``text`` a spreadsheet criterion misreads, or ``""``."""
    return "".join(dict.fromkeys(m.group().strip() for m in _UNSAFE.finditer(text)))


class Names:
    """The codes and labels of one vocabulary, claimed one by one (:meth:`claim`)."""

    def __init__(self, ck: Checker, what: str) -> None:
        self.ck = ck
        self.what = what
        self.seen: dict[str, tuple[int, str, Source]] = {}

    def claim(self, entry: int, kind: str, text: str, src: Source) -> bool:
        """Check ``text``, the ``kind`` (code or label) of entry number ``entry``: no
        spreadsheet wildcard, not a built-in bucket, not the name of another entry.
        Reports ``bad-name`` or ``duplicate-id`` and returns False when it fails."""
        if kind == "code" and len(text) > MAX_CODE_CHARS:
            self.ck.err(
                "bad-name",
                f"{self.what}: code {text[:20]!r}… has {len(text)} characters, more than "
                f"the {MAX_CODE_CHARS} a spreadsheet formula can match",
                src,
                "shorten the code (the label can stay long)",
            )
            return False
        bad = unsafe(text)
        if bad:
            self.ck.err(
                "bad-name",
                f"{self.what}: {kind} {text!r} holds {', '.join(repr(c) for c in bad)}, "
                "which spreadsheet formulas read as a wildcard or comparison",
                src,
                "use letters, digits, spaces and - _ / & ( ) . , only",
            )
            return False
        k = key(text)
        if k in RESERVED:
            self.ck.err(
                "duplicate-id",
                f"{self.what}: {kind} {text!r} is reserved for a built-in bucket",
                src,
            )
            return False
        first = self.seen.get(k)
        if first is not None and first[0] != entry:
            message = (
                f"{kind} {text!r} defined twice (first at {first[2]})"
                if first[1] == text
                else f"{kind} {text!r} names the same bucket as {first[1]!r} (first at "
                f"{first[2]}): names are compared ignoring case and spaces"
            )
            self.ck.err(
                "duplicate-id",
                f"{self.what}: {message}",
                src,
                "give each entry a code and a label of its own",
            )
            return False
        self.seen.setdefault(k, (entry, text, src))
        return True


def partner_id_problem(pid: str) -> str:
    """Why ``pid`` cannot be a partner id (reserved), or ``""``."""
    if pid.lower() == ITU.lower():
        return "is ITU's: ITU's own component is written by: ITU in a contribution"
    if pid.lower() in RESERVED_PARTNER_IDS:
        return "is reserved for a built-in bucket"
    if len(pid) > MAX_CODE_CHARS:
        return (
            f"has {len(pid)} characters, more than the {MAX_CODE_CHARS} a spreadsheet "
            "formula can match: choose a shorter id"
        )
    return ""
