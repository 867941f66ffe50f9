"""The ``rmxl`` command line: thin Click commands over the library.

Each command parses options, calls the library, turns a known library error into a
message on standard error with exit status 1, and prints. No figure is computed here.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from rmxl.diagnostics import CATALOGUE, LedgerError, QueryError
from rmxl.pipeline import load as loader

LEDGER_HELP = "Ledger folder [default: $RMXL_LEDGER, else ./ledger]."


def _not_blank(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter("is empty; give the ledger folder", ctx, param)
    return Path(value)


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
    except OSError as e:
        _fail(f"cannot write {out()}: {e.strerror or e}")


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


@main.command()
@ledger_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--skip", "skip", multiple=True, metavar="CODE", help="Silence a diagnostic code (repeatable)."
)
def validate(ledger: Path | None, fmt: str, strict: bool, skip: tuple[str, ...]) -> None:
    """Check the ledger; print every problem as path:line:col: error[code]: message.

    Exit status: 0 clean (warnings allowed), 1 errors, 2 usage error."""
    from rmxl.render.diagnostics import FORMATS, select, summary

    for code in skip:
        if code not in CATALOGUE:
            raise click.BadParameter(
                f"unknown code {code!r} (see rmxl errors)", param_hint="--skip"
            )
    root = loader.ledger_dir(ledger)
    diags = select(loader.diagnostics(root), strict, skip)
    out = FORMATS[fmt](diags)
    if out:
        click.echo(out)
    click.echo(f"{root.as_posix()}: {summary(diags)}", err=fmt != "text")
    sys.exit(1 if loader.has_errors(diags) else 0)


@main.command(name="eval")
@ledger_option
@click.argument("expressions", nargs=-1, required=True, metavar="EXPR...")
def eval_(ledger: Path | None, expressions: tuple[str, ...]) -> None:
    """Evaluate RM_ functions written as in an Excel cell, one result per line.

    Example: rmxl eval 'RM_SHARE("region","Africa",2022)'. A number prints in full
    precision, text as is, a table as tab-separated rows."""
    from rmxl.query.expr import parse
    from rmxl.query.functions import call

    with library_errors():
        fig = loader.figures(loader.ledger_dir(ledger))
    failed = False
    for text in expressions:
        try:
            name, args = parse(text)
            click.echo(_show(call(fig, name, args)))
        except QueryError as e:
            click.echo(f"{text.strip()}: {e}", err=True)
            failed = True
    sys.exit(1 if failed else 0)


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join("\t".join(_show(c) for c in row) for row in value)
    if isinstance(value, float | int) and not isinstance(value, bool):
        return repr(value)
    return str(value)


@main.command()
@ledger_option
@click.option(
    "--period",
    "periods",
    multiple=True,
    required=True,
    metavar="P",
    help="Period, e.g. 2022 or 2023-01..2023-04 (repeatable: one section each).",
)
@click.option(
    "--compare",
    metavar="P2",
    default=None,
    help="Compare the last period with P2, e.g. the same months a year before.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html", "docx"]),
    default=None,
    help="Output format [default: from --out's extension (.docx, .html, .md, .txt), else text].",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write, charts beside it as PNG [default: print; docx: report-<period>.docx].",
)
def report(
    ledger: Path | None,
    periods: tuple[str, ...],
    compare: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Regenerate the report: headline, partners by type and membership, top three,
    regions, thematic priorities, co-financing and, with --compare, the comparison.

    Every number and label comes from the ledger. docx and html embed the charts; with
    --out, each chart is also written beside the file as <stem>-<chart>.png."""
    from rmxl.render.report.content import build_report
    from rmxl.render.report.markup import default_out, render, write_report

    fmt = _report_format(fmt, out)
    with library_errors(lambda: out):
        fig = loader.figures(loader.ledger_dir(ledger))
        doc = build_report(fig, list(periods), compare)
        if out is None and fmt == "docx":
            out = default_out(list(periods), fmt)
        if out is None:
            click.echo(render(doc, fmt)[0].decode(), nl=False)
            return
        written = write_report(doc, fmt, out)
    charts = f" and {len(written) - 1} chart(s) beside it" if len(written) > 1 else ""
    click.echo(f"wrote {written[0]}{charts}")


REPORT_SUFFIXES = {
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
}


def _report_format(fmt: str | None, out: Path | None) -> str:
    """The report format: --format, else --out's extension; a mismatch is a usage error
    (a Word document named .txt, or text named .docx, would not open)."""
    by_suffix = REPORT_SUFFIXES.get(out.suffix.lower()) if out is not None else None
    if fmt is None:
        if out is not None and by_suffix is None:
            raise click.BadParameter(
                f"cannot tell the format of {out.name!r}: give --format "
                "or use .docx, .html, .md or .txt",
                param_hint="--out",
            )
        return by_suffix or "text"
    if by_suffix is not None and by_suffix != fmt:
        raise click.BadParameter(
            f"{out.name!r} is not a {fmt} file name"  # type: ignore[union-attr]
            f" (its extension means {by_suffix})",
            param_hint="--out",
        )
    return fmt


@main.command()
@ledger_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("workbook/rm.xlsx"),
    show_default=True,
    help="Workbook to write.",
)
@click.option(
    "--period",
    "periods",
    multiple=True,
    metavar="P",
    help="Period to build (repeatable) [default: each calendar year, and the latest "
    "year's months so far against the same months of the year before].",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The Analysis sheet's questions (YAML) [default: template.yaml beside the "
    "workbook if there is one, else rmxl's built-in questions].",
)
def build(ledger: Path | None, out: Path, periods: tuple[str, ...], template: Path | None) -> None:
    """Validate the ledger and write the Excel workbook (tables, breakdowns, charts).

    An invalid ledger or template writes nothing; the workbook is written to a temporary
    file and renamed, so a failed build leaves the previous one intact."""
    from rmxl.render.diagnostics import summary, text
    from rmxl.render.workbook.build import build_workbook
    from rmxl.render.workbook.template import TemplateError, load_template, template_path

    source = template_path(out, template)
    try:
        questions = load_template(source)
    except TemplateError as e:
        click.echo(text(e.diagnostics), err=True)
        _fail(f"template is invalid: {summary(e.diagnostics)}")
        return

    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="building workbook", file=sys.stderr)
        bar.update(1)

    try:
        with library_errors(lambda: out):
            fig = loader.figures(loader.ledger_dir(ledger))
            written = build_workbook(
                fig, out, list(periods) or None, progress=progress, template=questions
            )
    finally:
        if bar is not None:
            bar.render_finish()
    used = f" (Analysis from {source.as_posix()})" if source else ""
    click.echo(f"wrote {written}{used}")


@main.command(name="fmt")
@ledger_option
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would change.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def fmt_(ledger: Path | None, check: bool, files: tuple[Path, ...]) -> None:
    """Rewrite ledger files (FILES, default: every file of the ledger) in the canonical
    layout: keys in the spec's order, one blank line between agreements, short lists in
    flow style. Data and comments are kept exactly; a file that does not parse is
    reported and left untouched. Exit status: 0 done, 1 a file could not be formatted
    (or, with --check, would change)."""
    from rmxl.read.files import ledger_paths
    from rmxl.tools.fmt import format_paths

    root = loader.ledger_dir(ledger)
    if not files and not root.is_dir():
        _fail(f"error[ledger-not-found]: ledger folder {root.as_posix()!r} not found")
    if not files and not ledger_paths(root):
        _fail(f"error[ledger-empty]: no *.yaml files in {root.as_posix()!r}")
    results = format_paths(list(files) or ledger_paths(root), check)
    for path, outcome, why in results:
        if outcome != "unchanged":
            click.echo(f"{outcome} {path.as_posix()}" + (f": {why}" if why else ""), err=bool(why))
    count = Counter(outcome for _, outcome, _ in results)
    changed = count["formatted"] + count["would reformat"]
    verb = "would be reformatted" if check else "reformatted"
    bad = f", {count['not formatted']} not formatted" if count["not formatted"] else ""
    click.echo(f"{changed} file(s) {verb}, {count['unchanged']} unchanged{bad}", err=True)
    sys.exit(1 if count["not formatted"] or (check and changed) else 0)


@main.command()
@ledger_option
@click.argument("rev_a", required=False, default="HEAD", metavar="[REV_A")
@click.argument("rev_b", required=False, default=None, metavar="[REV_B]]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="Output format (markdown: for a pull request comment or job summary).",
)
def diff(ledger: Path | None, rev_a: str, rev_b: str | None, fmt: str) -> None:
    """Compare the ledger at git revision REV_A (default HEAD) with REV_B (default the
    working tree): agreements, partners and rates added, removed and changed, and the
    effect on each affected year's figures (totals, shares that moved > 0.1 point)."""
    from rmxl.tools.diff import DiffError, diff_revisions
    from rmxl.tools.diff_render import markdown, text

    try:
        result = diff_revisions(loader.ledger_dir(ledger), rev_a, rev_b)
    except DiffError as e:
        _fail(f"error: {e}")
        return
    click.echo((markdown if fmt == "markdown" else text)(result), nl=False)


@main.command()
@click.argument("code", required=False)
@click.option("--markdown", is_flag=True, help="Print the docs/errors.md page.")
def errors(code: str | None, markdown: bool) -> None:
    """List every diagnostic code with its severity and title, or explain one CODE."""
    from rmxl.render.diagnostics import errors_markdown

    if code is not None:
        kind = CATALOGUE.get(code)
        if kind is None:
            raise click.BadParameter(f"unknown code {code!r} (see rmxl errors)")
        click.echo(f"{kind.code} ({kind.severity}): {kind.title}\n{kind.explanation}")
    elif markdown:
        click.echo(errors_markdown(), nl=False)
    else:
        for kind in CATALOGUE.values():
            click.echo(f"{kind.code:26} {kind.severity:8} {kind.title}")
