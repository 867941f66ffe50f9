"""rmxl's functions in LibreOffice Calc: the UNO component of the rmxl extension (.oxt).

This file runs inside LibreOffice's own Python (the system one on Linux, the bundled one
on Windows and macOS), so it needs nothing beyond the standard library and ``uno``: it
computes nothing. Each call goes, as one JSON line, to a long-lived rmxl helper process
(``python -m rmxl.calc.helper`` in rmxl's own environment, whose interpreter is named in
``config.json`` beside this file or by ``$RMXL_PYTHON``) over its standard input and
output; the helper answers from memory and stops by itself when idle or when LibreOffice
closes its pipe. The Basic functions RM_SHARE … RM_INFO (``functions.bas``, put into the
user's Standard library by ``rmxl libreoffice install``) call :meth:`Functions.call`.

Which workbook: the calling document is ``ThisComponent`` when Calc has one. While a
file loads, it has none: those calls are answered for ``$RMXL_LEDGER`` if set, and the
document is recalculated once it has loaded (event ``OnLoadFinished``), this time with
its path, so the ledger rule of docs/spreadsheets.md applies. A recalculation started by
a script (no ThisComponent) uses the last spreadsheet loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from typing import Any

import unohelper
from com.sun.star.document import XDocumentEventListener
from com.sun.star.lang import XServiceInfo
from org.rmxl.calc import XFunctions

IMPLEMENTATION = "org.rmxl.calc.Functions"
HERE = os.path.dirname(os.path.abspath(__file__))
LIMIT = 255
UNSET_ENV = ("PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONEXECUTABLE", "PYTHONUSERBASE")
"""LibreOffice's Python settings, which must not leak into rmxl's interpreter."""


def clip(text: str) -> str:
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def rmxl_python() -> str:
    """rmxl's interpreter: ``$RMXL_PYTHON``, else the one ``config.json`` names."""
    env = os.environ.get("RMXL_PYTHON")
    if env:
        return env
    with open(os.path.join(HERE, "config.json"), encoding="utf-8") as f:
        return str(json.load(f)["python"])


class Helper:
    """The rmxl helper process, started on first use and restarted if it has gone."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if k not in UNSET_ENV}
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
        return subprocess.Popen(
            [rmxl_python(), "-m", "rmxl.calc.helper"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=os.path.expanduser("~"),
            creationflags=flags,
        )

    def ask(self, request: dict[str, Any]) -> Any:
        line = (json.dumps(request, default=str) + "\n").encode("utf-8")
        with self.lock:
            for attempt in (1, 2):
                try:
                    if self.proc is None or self.proc.poll() is not None:
                        self.proc = self.start()
                    assert self.proc.stdin is not None and self.proc.stdout is not None
                    self.proc.stdin.write(line)
                    self.proc.stdin.flush()
                    reply = self.proc.stdout.readline()
                    if not reply:
                        raise OSError("the helper stopped")
                    return json.loads(reply.decode("utf-8"))["value"]
                except (OSError, ValueError, KeyError) as e:
                    self.proc = None
                    if attempt == 2:
                        return clip(f"rmxl helper failed: {e} (python: {_safe_python()})")
        return None


def _safe_python() -> str:
    try:
        return rmxl_python()
    except (OSError, ValueError, KeyError) as e:
        return f"not configured ({e})"


HELPER = Helper()
STATE: dict[str, Any] = {"book": None, "last": None, "pending": False, "listening": False}
"""``book``: the document being recalculated after its load; ``last``: the last
spreadsheet loaded (for a recalculation started by a script, with no ThisComponent)."""


def plain(value: Any) -> Any:
    """A Calc argument as JSON: numbers, text, None; a range (tuples) as lists."""
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def url_of(doc: Any) -> str | None:
    try:
        url = doc.getURL()
    except Exception:
        return None
    return url or None


def path_of(url: str | None) -> str | None:
    if not url or not url.startswith("file:"):
        return None
    import uno

    return str(uno.fileUrlToSystemPath(url))


class Loaded(unohelper.Base, XDocumentEventListener):
    """Recalculates a spreadsheet whose RM_ cells were computed before its path was
    known (while it loaded)."""

    def documentEventOccured(self, event: Any) -> None:
        if event.EventName != "OnLoadFinished":
            return
        doc = event.Source
        url = url_of(doc)
        if url is None or not hasattr(doc, "calculateAll"):
            return
        STATE["last"] = path_of(url)
        if not STATE["pending"]:
            return
        STATE["pending"], STATE["book"] = False, path_of(url)
        try:
            doc.calculateAll()
        finally:
            STATE["book"] = None

    def disposing(self, source: Any) -> None:
        pass


class Functions(unohelper.Base, XFunctions, XServiceInfo):
    """The service the Basic functions call: ``call(ThisComponent, "RM_TOTAL", args)``."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        if not STATE["listening"]:
            STATE["listening"] = True
            broadcaster = ctx.getValueByName(
                "/singletons/com.sun.star.frame.theGlobalEventBroadcaster"
            )
            broadcaster.addDocumentEventListener(Loaded())

    def call(self, doc: Any, name: str, args: Any) -> Any:
        book = path_of(url_of(doc)) if doc is not None else None
        book = book or STATE["book"]
        if book is None:
            STATE["pending"] = True  # while a file loads: recalculated when it has
            book = STATE["last"]
        request = {"fn": name, "args": plain(args), "book": book}
        value = HELPER.ask(request)
        if isinstance(value, list):
            return tuple(tuple(row) if isinstance(row, list) else (row,) for row in value)
        return value

    def getImplementationName(self) -> str:
        return IMPLEMENTATION

    def supportsService(self, name: str) -> bool:
        return name == IMPLEMENTATION

    def getSupportedServiceNames(self) -> tuple[str, ...]:
        return (IMPLEMENTATION,)


g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(Functions, IMPLEMENTATION, (IMPLEMENTATION,))
