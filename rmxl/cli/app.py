"""The ``rmxl`` command line: thin Click commands over the library.

Each command parses options, calls the library, turns a known library error into a
message on standard error with exit status 1, and prints. No figure is computed here.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from rmxl.diagnostics import LedgerError, QueryError

LEDGER_HELP = "Ledger folder [default: $RMXL_LEDGER, else ./ledger]."


def _not_blank(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    if value is None:
        env = os.environ.get("RMXL_LEDGER")
        problem = _unusable(Path(env)) if env else ""
        if problem:
            raise click.BadParameter(f"$RMXL_LEDGER {problem}", ctx, param)
        return None
    if not value.strip():
        raise click.BadParameter("is empty; give the ledger folder", ctx, param)
    problem = _unusable(Path(value))
    if problem:
        raise click.BadParameter(problem, ctx, param)
    return Path(value)


def _unusable(path: Path) -> str:
    """Why the system refuses to look at ``path`` at all (a name too long, a loop of
    links, no permission to search a folder on the way), or ``""``; a folder that does
    not exist is for the command to report (``ledger-not-found``)."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return ""
    except OSError as e:
        shown = str(path) if len(str(path)) <= 80 else str(path)[:80] + "…"
        return f"cannot look at {shown!r}: {e.strerror or e}"
    return ""


def ledger_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--ledger DIR`` option every command takes."""
    return click.option(
        "--ledger",
        "ledger",
        type=click.Path(file_okay=False),
        default=None,
        callback=_not_blank,
        help=LEDGER_HELP,
    )(f)


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


@contextmanager
def library_errors(out: Callable[[], Path | None] = lambda: None) -> Iterator[None]:
    """Turn the library's known errors into a message and exit status 1: an invalid
    ledger (its first errors, as ``rmxl validate`` prints them), a question the ledger
    cannot answer, a file that cannot be written (``out()`` names it)."""
    try:
        yield
    except LedgerError as e:
        _ledger_error(e)
    except QueryError as e:
        _fail(str(e))
    except OSError as e:  # rmxl.fileio: nothing was changed, no temporary file is left
        _fail(f"cannot write {e.filename or out()}: {e.strerror or e} (nothing was written)")


def _ledger_error(e: LedgerError) -> None:
    from rmxl.render.diagnostics import summary, text

    errors = [d for d in e.diagnostics if d.severity == "error"]
    click.echo(text(errors[:20]), err=True)
    more = " (first 20 shown; run rmxl validate)" if len(errors) > 20 else ""
    _fail(f"ledger is invalid: {summary(e.diagnostics)}{more}")


def _terminate(signum: int, frame: Any) -> None:
    """SIGTERM ends rmxl as Ctrl-C does, through ``finally`` blocks: a half-written
    workbook or report is removed and the previous file stays intact."""
    raise SystemExit(128 + signum)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rmxl")
def main() -> None:
    """rmxl: the partnerships and resource-mobilization ledger.

    Agreements live as YAML in a git repository; rmxl validates them, computes the
    figures (agreements, funds, shares by region, priority, partner type…) and writes the
    team's Excel workbook. See README.md.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
