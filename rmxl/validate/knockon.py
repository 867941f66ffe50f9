"""One mistake, one error: knock-on diagnostics are suppressed, and counted.

A file that does not parse, a section of the wrong type or misspelt, a record whose id
cannot be read, a rate refused: each leaves a part of the ledger *lost* — its definitions
are unknown. Every diagnostic that only says "not defined" or judges that part as a whole
would then be a consequence, not a second mistake: an ``unknown-partner`` for each
agreement naming a partner of the broken ``partners.yaml``, an ``unused-partner`` for each
partner of a misspelt ``agrements:``. Those are dropped; one ``knock-on`` note says how
many, and the causes (read errors, misspelt sections) come first.

The parts are the sections of spec §1 (``taxonomy``, ``partners``, ``rates``,
``agreements``); :data:`DEPENDS` says which diagnostic depends on which part. A diagnostic
can also be a knock-on of another in the same record (``Diagnostic.knock_on``, set where it
is made: a contributor that is not a partner of an agreement whose partner id is unknown).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from rmxl.diagnostics import Diagnostic, closest_name, make

SECTIONS = ("taxonomy", "partners", "rates", "agreements", "reporting_org")
"""The top-level sections of a ledger file (spec §1, and ``reporting_org``: docs/records.md)."""

DEPENDS: dict[str, str] = {
    "unknown-partner": "partners",
    "unknown-region": "taxonomy",
    "unknown-priority": "taxonomy",
    "priority-wrong-plan": "taxonomy",
    "no-action-plan": "taxonomy",
    "unknown-partner-type": "taxonomy",
    "unknown-membership": "taxonomy",
    "rate-missing": "rates",
    "rate-stale": "rates",
    "unused-partner": "agreements",
    "amount-outlier": "agreements",
}
"""Diagnostic code → the part of the ledger it judges: lost, the diagnostic is a knock-on."""

CAUSES = frozenset(
    {
        "file-unreadable",
        "encoding",
        "yaml-syntax",
        "yaml-tag",
        "yaml-too-large",
        "yaml-duplicate-key",
        "file-not-mapping",
        "unknown-section",
    }
)
"""Codes listed first: a file or section that could not be read is the root cause."""

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:", re.MULTILINE)


def declared(raw: bytes | None) -> frozenset[str]:
    """The sections a file that could not be read seems to hold: its top-level keys,
    each taken as the closest section name; every section when none can be seen."""
    if raw is not None:
        text = raw.decode("utf-8", errors="replace")
        found = {m for k in _TOP_KEY.findall(text) if (m := closest_section(k))}
        if found:
            return frozenset(found)
    return frozenset(SECTIONS)


def closest_section(key: str) -> str | None:
    """The section ``key`` names or misspells (``agrements`` → ``agreements``), or None."""
    return closest_name(key, SECTIONS)


def triage(diags: Iterable[Diagnostic], lost: Collection[str]) -> list[Diagnostic]:
    """``diags`` without knock-ons (of the ``lost`` parts, or marked ``knock_on``), plus
    one ``knock-on`` note counting them; causes first, then by file, line and column."""
    kept: list[Diagnostic] = []
    dropped = 0
    for d in diags:
        if d.knock_on or DEPENDS.get(d.code) in lost:
            dropped += 1
        else:
            kept.append(d)
    if dropped:
        kept.append(note(dropped))
    return sorted(kept, key=order)


def note(count: int) -> Diagnostic:
    """The ``knock-on`` note: how many diagnostics were suppressed (its message starts
    with the count, which :func:`suppressed` reads)."""
    what = "diagnostic follows" if count == 1 else "diagnostics follow"
    return make(
        "knock-on",
        f"{count} more {what} from the errors above and {'is' if count == 1 else 'are'} not shown",
        None,
        "fix those errors and run rmxl validate again",
    )


def suppressed(diags: Iterable[Diagnostic]) -> int:
    """How many knock-ons the ``knock-on`` notes of ``diags`` count (:func:`note`)."""
    return sum(int(d.message.split()[0]) for d in diags if d.code == "knock-on")


def order(d: Diagnostic) -> tuple[int, tuple[str, int, int, str]]:
    """Sort key: causes (a file or section that could not be read) first, the
    ``knock-on`` note last, the rest by file, line and column."""
    rank = 0 if d.code in CAUSES else 2 if d.code == "knock-on" else 1
    return rank, d.sort_key()
