"""Expressions written as in an Excel cell, for ``rmxl eval`` (spec §5).

Grammar: ``[=] NAME ( [arg {, arg}] )`` where an argument is a string in double quotes
(``""`` inside for a quote), a number, TRUE/FALSE, or nothing (an omitted argument).
Nothing is evaluated as Python.
"""

from __future__ import annotations

import re
from typing import Any

from rmxl.diagnostics import QueryError
from rmxl.query.names import preview

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"]|"")*")|(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)'
    r"(?:[eE][-+]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)|(?P<punct>[(),]))"
)


def parse(text: str) -> tuple[str, list[Any]]:
    """``'=RM_SHARE("region","Africa",2022)'`` → ``("RM_SHARE", ["region", "Africa",
    2022])``. Raises QueryError ``bad-expression`` pointing at the column."""
    src = text.strip()
    if src.startswith("="):
        src = src[1:]
    tokens: list[tuple[str, Any, int]] = []
    pos = 0
    while pos < len(src):
        if src[pos:].strip() == "":
            break
        m = _TOKEN.match(src, pos)
        if not m:
            raise _bad(text, src, pos, _unexpected(src[pos:].lstrip()[:1]))
        kind = m.lastgroup or ""
        value: Any = m[kind]
        if kind == "str":
            value = value[1:-1].replace('""', '"')
        elif kind == "num":
            value = _number(text, src, m.start(kind), value)
        tokens.append((kind, value, m.start(kind)))
        pos = m.end()
    if len(tokens) < 3 or tokens[0][0] != "name" or tokens[1][1] != "(" or tokens[-1][1] != ")":
        raise QueryError(
            "bad-expression",
            f'cannot read {preview(text.strip())}: write e.g. RM_SHARE("region","Africa",2022)',
        )
    args: list[Any] = []
    current: Any = None
    for kind, value, at in tokens[2:-1]:
        if kind == "punct" and value == ",":
            args.append(current)
            current = None
        elif kind == "punct":
            raise _bad(text, src, at, f"unexpected {value!r}")
        elif current is not None:
            raise _bad(text, src, at, "missing comma")
        elif kind == "name":
            up = value.upper()
            if up not in ("TRUE", "FALSE"):
                raise _bad(text, src, at, f"{value} is not a value; quote text")
            current = up == "TRUE"
        else:
            current = value
    if len(tokens) > 3 or current is not None:
        args.append(current)
    return tokens[0][1], args


MAX_DIGITS = 30
"""A number written with more characters than this is refused (no figure needs them)."""


def _number(text: str, src: str, at: int, token: str) -> int | float:
    """A number token as Python reads it; a huge one (``1e400``, 5,000 digits) is a
    ``bad-expression`` error, never an overflow."""
    if len(token) > MAX_DIGITS:
        raise _bad(text, src, at, f"the number {token[:12]}… is too long")
    value = float(token) if any(c in token for c in ".eE") else int(token)
    if value in (float("inf"), float("-inf")):
        raise _bad(text, src, at, f"the number {token} is too large")
    return value


def _unexpected(char: str) -> str:
    """Why a character cannot start a token, with the fix for the usual slips."""
    if char == ";":
        return "unexpected ';' — separate arguments with commas, as in English Excel"
    if char in "'‘’“”":
        return f'unexpected {char!r} — write text in straight double quotes: "Africa"'
    if char == '"':
        return "a text is not closed — add the closing double quote"
    return f"unexpected character {char!r}"


def _bad(text: str, src: str, at: int, why: str) -> QueryError:
    shown = preview(text.strip())
    return QueryError("bad-expression", f"cannot read {shown} at column {at + 1}: {why}")
