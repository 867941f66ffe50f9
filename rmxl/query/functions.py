"""The RM_ functions of spec §5, shared by the Excel cells (:mod:`rmxl.udfs`) and
``rmxl eval``. Each is a thin adapter over :class:`~rmxl.query.figures.Figures`: it accepts
arguments as Excel sends them (``2022.0``, ``None`` for an omitted argument, one-cell
ranges, padded text) and returns a number, text, or a 2-D list that spills.

Errors are :class:`~rmxl.diagnostics.QueryError`; the adapters turn them into a short message.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rmxl.diagnostics import QueryError
from rmxl.query.figures import Figures, Number
from rmxl.query.names import MONEY, measure
from rmxl.read.files import ledger_paths

Table = list[list[Any]]


def scalar(value: Any) -> Any:
    """A one-cell range (``[x]`` or ``[[x]]``) → ``x``; blank text → None."""
    while isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and not value.strip():
        return None
    return value


def rm_share(
    fig: Figures, dimension: Any, bucket: Any, period: Any, measure_name: Any = None
) -> float:
    """The bucket's share of the period's total, a fraction 0–1."""
    return fig.share(scalar(dimension), scalar(bucket), scalar(period), scalar(measure_name))


def rm_total(
    fig: Figures, period: Any, measure_name: Any = None, dimension: Any = None, bucket: Any = None
) -> Number:
    """The period's total (USD or a count); with a dimension and bucket, that bucket's."""
    dim, bkt = scalar(dimension), scalar(bucket)
    if (dim is None) != (bkt is None):
        raise QueryError("bad-argument", "give both a dimension and a bucket, or neither")
    return fig.total(scalar(period), scalar(measure_name), dim, bkt)


def rm_breakdown(fig: Figures, dimension: Any, period: Any, measure_name: Any = None) -> Table:
    """Header ``bucket, value, share`` then one row per bucket in row order."""
    bd = fig.breakdown(scalar(dimension), scalar(period), scalar(measure_name))
    return [
        ["bucket", "value", "share"],
        *([label, value, "" if share is None else share] for label, value, share in bd.rows()),
    ]


def rm_top(fig: Figures, n: Any, period: Any, measure_name: Any = None) -> Table:
    """Header ``partner, usd, signed`` (``usd`` is the measure's name for counts), then one
    row per partner by descending value."""
    m = measure(scalar(measure_name))
    rows = fig.top(scalar(n), scalar(period), m)
    head = "usd" if m in MONEY else m
    return [["partner", head, "signed"], *([r.partner, r.value, r.signed] for r in rows)]


INFO_FIELDS = ("ledger", "commit", "agreements", "modified")


def info(fig: Figures) -> dict[str, Any]:
    """Where the figures come from: the ledger folder (absolute), its git commit (or ""),
    the number of agreements, and the time of the last change to a ledger file (ISO,
    UTC)."""
    root = fig.compiled.ledger.root.resolve()
    files = ledger_paths(root)
    latest = max((p.stat().st_mtime for p in files), default=0.0)
    return {
        "ledger": str(root),
        "commit": git_commit(root),
        "agreements": len(fig.compiled.ledger.agreements),
        "modified": dt.datetime.fromtimestamp(latest, dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ"),
    }


def git_commit(root: Path) -> str:
    """The short commit of the git checkout holding ``root`` (``+`` if the ledger has
    uncommitted changes), or ``""`` outside git."""
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        if head.returncode != 0:
            return ""
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")


def rm_info(fig: Figures, field: Any = None) -> Any:
    """One field of :func:`info`, or the whole as a two-column table."""
    data = info(fig)
    name = scalar(field)
    if name is None:
        return [["field", "value"], *([k, v] for k, v in data.items())]
    key = str(name).strip().lower()
    if key not in data:
        raise QueryError("unknown-field", f"unknown field '{name}' ({', '.join(INFO_FIELDS)})")
    return data[key]


FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    "RM_SHARE": (rm_share, 3, 4),
    "RM_TOTAL": (rm_total, 1, 4),
    "RM_BREAKDOWN": (rm_breakdown, 2, 3),
    "RM_TOP": (rm_top, 2, 3),
    "RM_INFO": (rm_info, 0, 1),
}
"""Name → (function, least and most arguments)."""


def call(fig: Figures, name: str, args: list[Any]) -> Any:
    """Call an RM_ function by name with Excel-shaped arguments; QueryError if unknown or
    given the wrong number of arguments."""
    key = name.strip().upper()
    if key not in FUNCTIONS:
        from rmxl.query.names import closest

        raise QueryError(
            "unknown-function",
            f"unknown function {name}{closest(key, list(FUNCTIONS))} ({', '.join(FUNCTIONS)})",
        )
    fn, least, most = FUNCTIONS[key]
    while len(args) > least and args[-1] is None:
        args = args[:-1]
    if not least <= len(args) <= most:
        raise QueryError(
            "bad-argument", f"{key} takes {least} to {most} arguments, not {len(args)}"
        )
    return fn(fig, *args)
