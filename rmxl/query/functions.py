"""The RM_ functions of spec §5, shared by the spreadsheet cells (:mod:`rmxl.udfs` for
Excel, :mod:`rmxl.calc` for LibreOffice) and ``rmxl eval``. Each is a thin adapter over
:class:`~rmxl.query.figures.Figures`: it accepts arguments as a spreadsheet sends them
(``2022.0``, ``None`` for an omitted argument, one-cell ranges, padded text) and returns a
number, text, or a 2-D list that spills.

Errors are :class:`~rmxl.diagnostics.QueryError`. :func:`cell_answer` is what a cell
shows: the answer, or the error's one-line message, every text at most
:data:`TEXT_LIMIT` characters (spec §6, Functions).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rmxl.diagnostics import QueryError
from rmxl.query.figures import Figures, Number
from rmxl.query.names import MONEY, closest, measure, preview
from rmxl.query.periods import parse_period
from rmxl.read.identity import commit_label, last_change

Table = list[list[Any]]

TEXT_LIMIT = 255
"""Most characters of a text a spreadsheet function may return: Excel turns a longer one
into ``#VALUE!`` for the whole spilled table (xlwings issue #456)."""

ERROR_VALUES = frozenset(
    [
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#PYTHON!",
    ]
)
"""Excel's error values, as xlwings' ``err_to_str`` passes a cell holding one."""


def scalar(value: Any, what: str = "argument") -> Any:
    """One value from a cell: a one-cell range (``[x]`` or ``[[x]]``) → ``x``; blank text
    → None. Raises QueryError ``range-argument`` for a range of several cells and
    ``error-argument`` for a cell holding an Excel error (spec §6: never read as empty)."""
    kind = type(value)
    if (kind is float and value == value) or kind is int or value is None:
        return value  # the common cases, first
    while isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    if isinstance(value, list | tuple):
        cells = sum(len(v) if isinstance(v, list | tuple) else 1 for v in value)
        raise QueryError(
            "range-argument", f"{what} is a range of {cells} cells; give one value (one cell)"
        )
    if isinstance(value, str):
        text = value.strip()
        if text[:1] == "#" and text.upper() in ERROR_VALUES:
            raise QueryError("error-argument", f"{what} is the error {text} (from its cell)")
        if not text:
            return None
    if isinstance(value, float) and value != value:
        raise QueryError("error-argument", f"{what} is not a number (NaN)")
    return value


def clip(text: str) -> str:
    """``text`` shortened to :data:`TEXT_LIMIT` characters, ending in ``…`` if cut."""
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def cell_safe(value: Any) -> Any:
    """``value`` with every text (a table's cells too) clipped (:func:`clip`)."""
    if isinstance(value, str):
        return clip(value)
    if isinstance(value, list | tuple):
        return [cell_safe(v) for v in value]
    return value


def message(e: QueryError) -> str:
    """A QueryError as a cell shows it: one line, at most :data:`TEXT_LIMIT` characters."""
    return clip(" ".join(str(e).split()))


def cell_answer(fig: Figures, name: str, args: list[Any]) -> Any:
    """What a spreadsheet cell shows for ``name(*args)``: :func:`call`'s answer, or the
    QueryError's :func:`message`; every text clipped. Raises nothing but bugs."""
    try:
        return cell_safe(call(fig, name, list(args)))
    except QueryError as e:
        return message(e)


def rm_share(
    fig: Figures, dimension: Any, bucket: Any, period: Any, measure_name: Any = None
) -> float:
    """The bucket's share of the period's total, a fraction 0–1."""
    return fig.share(
        scalar(dimension, "dimension"),
        scalar(bucket, "bucket"),
        scalar(period, "period"),
        scalar(measure_name, "measure"),
    )


def rm_total(
    fig: Figures, period: Any, measure_name: Any = None, dimension: Any = None, bucket: Any = None
) -> Number:
    """The period's total (USD or a count); with a dimension and bucket, that bucket's."""
    when = parse_period(scalar(period, "period"))  # the arguments are checked in order
    dim, bkt = scalar(dimension, "dimension"), scalar(bucket, "bucket")
    if (dim is None) != (bkt is None):
        raise QueryError("bad-argument", "give both a dimension and a bucket, or neither")
    return fig.total(when, scalar(measure_name, "measure"), dim, bkt)


def rm_breakdown(fig: Figures, dimension: Any, period: Any, measure_name: Any = None) -> Table:
    """Header ``bucket, value, share`` then one row per bucket in row order. A share is
    None (an empty cell, which arithmetic skips) when the total is 0 (spec §6)."""
    bd = fig.breakdown(
        scalar(dimension, "dimension"), scalar(period, "period"), scalar(measure_name, "measure")
    )
    return [
        ["bucket", "value", "share"],
        *([label, value, share] for label, value, share in bd.rows()),
    ]


def rm_top(fig: Figures, n: Any, period: Any, measure_name: Any = None) -> Table:
    """Header ``partner, usd, signed`` (``usd`` is the measure's name for counts), then one
    row per partner by descending value."""
    rows = fig.top(scalar(n, "n"), scalar(period, "period"), scalar(measure_name, "measure"))
    m = measure(scalar(measure_name, "measure"))  # checked in order by fig.top
    head = "usd" if m in MONEY else m
    return [["partner", head, "signed"], *([r.partner, r.value, r.signed] for r in rows)]


INFO_FIELDS = ("ledger", "commit", "agreements", "modified")


def info(fig: Figures) -> dict[str, Any]:
    """Where the figures come from (:mod:`rmxl.read.identity`): the ledger folder
    (absolute), the last commit that changed it (``"… with uncommitted changes"`` when
    the folder differs from it; ``""`` outside git), the number of agreements, and the
    time of the last change to a ledger file (ISO, UTC)."""
    root = fig.compiled.ledger.root.resolve()
    return {
        "ledger": str(root),
        "commit": commit_label(root),
        "agreements": len(fig.compiled.ledger.agreements),
        "modified": last_change(root).strftime("%Y-%m-%d %H:%M:%SZ"),
    }


def rm_info(fig: Figures, field: Any = None) -> Any:
    """One field of :func:`info`, or the whole as a two-column table."""
    data = info(fig)
    name = scalar(field, "field")
    if name is None:
        return [["field", "value"], *([k, v] for k, v in data.items())]
    key = str(name).strip().lower() if isinstance(name, str) else ""
    if key not in data:
        raise QueryError(
            "unknown-field",
            f"unknown field {preview(name)} ({', '.join(INFO_FIELDS)})",
        )
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
    given the wrong number of arguments (``bad-argument``: fewer than it needs, counting
    trailing empty ones as omitted, or more than it takes, empty or not:
    ``RM_TOTAL(2022,,,,)``)."""
    key = name.strip().upper()
    if key not in FUNCTIONS:
        raise QueryError(
            "unknown-function",
            f"unknown function {preview(name)}{closest(key, list(FUNCTIONS))} "
            f"({', '.join(FUNCTIONS)})",
        )
    fn, least, most = FUNCTIONS[key]
    given = len(args)  # more than the function takes is refused, even if left empty
    while least < given <= most and args[given - 1] is None:  # trailing omitted arguments
        given -= 1
    if not least <= given <= most:
        raise QueryError("bad-argument", f"{key} takes {least} to {most} arguments, not {given}")
    return fn(fig, *args[:most])
