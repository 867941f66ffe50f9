"""The rmxl helper process of the LibreOffice extension: ``python -m rmxl.calc.helper``.

The extension (``rmxl/calc/oxt/rmxl_calc.py``, running in LibreOffice's own Python)
starts it on first use and writes one JSON request per line to its standard input::

    {"fn": "RM_TOTAL", "args": [2022.0, null], "book": "/home/me/rmxl/workbook/rm.xlsx"}

and reads one JSON line back: ``{"value": <number, text, null or a list of rows>}`` —
what the cell shows (:func:`rmxl.pipeline.sessions.ask`: every text at most 255
characters, a question the ledger cannot answer as its one-line message). The ledger is
found from ``book`` by the rule of the Excel functions
(:func:`rmxl.pipeline.sessions.ledger_for`), compiled once and kept in memory with its
answers, and recompiled when a ledger file changes (docs/spreadsheets.md).

The helper stops when its standard input closes (LibreOffice quit) or after
:data:`IDLE_SECONDS` without a request (``$RMXL_HELPER_IDLE`` seconds if set), so it is
never left running.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
from typing import IO, Any

from rmxl.pipeline.sessions import ask, ledger_for

IDLE_SECONDS = 600.0
"""A helper that has had no request for this long stops (the next call starts another)."""


def idle_seconds() -> float:
    """:data:`IDLE_SECONDS`, or ``$RMXL_HELPER_IDLE`` when it is a positive number."""
    try:
        value = float(os.environ.get("RMXL_HELPER_IDLE", ""))
    except ValueError:
        return IDLE_SECONDS
    return value if value > 0 else IDLE_SECONDS


def respond(line: str) -> dict[str, Any]:
    """The reply to one request line; never raises (a bad request or a bug is a message)."""
    try:
        request = json.loads(line)
        name, args, book = str(request["fn"]), request.get("args") or [], request.get("book")
        book = book if isinstance(book, str) and os.path.isabs(book) else None
        value = ask(ledger_for(book), name, tuple(_frozen(a) for a in args))
    except Exception as e:
        value = f"rmxl helper failed: {type(e).__name__}: {e}"[:255]
    return {"value": value}


def _frozen(value: Any) -> Any:
    """A JSON array (a range) as nested tuples, so the answer can be memoised."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def serve(stdin: IO[str], stdout: IO[str], idle: float) -> None:
    """Answer request lines from ``stdin`` until it closes or ``idle`` seconds pass
    without one."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in stdin:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=idle)
        except queue.Empty:
            return
        if line is None:
            return
        if line.strip():
            stdout.write(json.dumps(respond(line), allow_nan=False, default=str) + "\n")
            stdout.flush()


def main() -> None:
    serve(sys.stdin, sys.stdout, idle_seconds())


if __name__ == "__main__":
    main()
