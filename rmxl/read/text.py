"""Texts every output can hold: the rule behind the ``bad-text`` diagnostic.

Whatever text the ledger accepts (a name, title, label, code, key, note) is written by
every renderer: the workbook (xlsxwriter), the Word report (python-docx, i.e. XML), HTML,
Markdown, plain text and the Excel functions. XML 1.0 holds no control character other
than tab, line feed and carriage return, no lone surrogate and neither U+FFFE nor U+FFFF;
an Excel cell holds at most 32,767 characters. YAML refuses such characters written as
they are, but lets its escapes (``"\\v"``, ``"\\x01"``, ``"\\ud800"``) write them, and a
text of any length; read as they are, they would pass ``rmxl validate`` and then crash
``rmxl report --format docx`` or be cut short in the workbook. So the reading stage
refuses them where they are written (spec §6: what validate accepts never makes a later
command fail), and nothing is altered silently.
"""

from __future__ import annotations

import re

MAX_TEXT_CHARS = 32_767
"""Longest text read: the most characters an Excel cell holds."""

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (what lxml and so python-docx refuse)."""


def problem(text: str) -> str:
    """Why ``text`` cannot be written by every renderer, or ``""`` when it can.

    The reason names the first offending character by its position (1-based) and code
    point, e.g. ``"character 2 is U+000B, a control character"``."""
    if len(text) > MAX_TEXT_CHARS:
        return f"it has {len(text):,} characters, more than a spreadsheet cell's {MAX_TEXT_CHARS:,}"
    m = _FORBIDDEN.search(text)
    if m is None:
        return ""
    c = m.group()
    kind = (
        "a lone surrogate"
        if "\ud800" <= c <= "\udfff"
        else ("a noncharacter" if c in "\ufffe\uffff" else "a control character")
    )
    return f"character {m.start() + 1} is U+{ord(c):04X}, {kind}"


def has_long_line(text: str) -> bool:
    """Whether a line of ``text`` (a file) is longer than :data:`MAX_TEXT_CHARS`: only
    then can it hold a text too long (the fast reader leaves such files to the full one)."""
    return max(map(len, text.split("\n"))) > MAX_TEXT_CHARS
