"""``rmxl eval``, ``rmxl report`` and ``rmxl build``: the commands that show figures."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from rmxl.cli.app import _fail, ledger_option, library_errors, main
from rmxl.diagnostics import QueryError
from rmxl.pipeline import load as loader


@main.command(name="eval")
@ledger_option
@click.argument("expressions", nargs=-1, required=True, metavar="EXPR...")
def eval_(ledger: Path | None, expressions: tuple[str, ...]) -> None:
    """Evaluate RM_ functions written as in an Excel cell, one result per line.

    Example: rmxl eval 'RM_SHARE("region","Africa",2022)'. A number prints in full
    precision, text as is, a table as tab-separated rows. An expression that fails prints
    #ERROR in its place (its message on standard error) and the exit status is 1."""
    from rmxl.query.expr import parse
    from rmxl.query.functions import call

    with library_errors():
        # the engine of a spreadsheet cell (pipeline.sessions): eval and the cell it
        # stands for answer by the same code, not merely the same numbers
        fig = loader.figures(loader.ledger_dir(ledger), parallel=True).use_points()
    failed = False
    for text in expressions:
        try:
            name, args = parse(text)
            click.echo(_show(call(fig, name, args)))
        except QueryError as e:
            click.echo(ERROR_MARK)
            click.echo(f"{text.strip()[:200]}: {e}", err=True)
            failed = True
    sys.exit(1 if failed else 0)


ERROR_MARK = "#ERROR"
"""What ``rmxl eval`` prints on standard output for an expression that fails, so each
expression keeps its line."""


def _show(value: Any) -> str:
    if value is None:
        return ""
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
    metavar="P",
    help="Period, e.g. 2022 or 2023-01..2023-04 (repeatable: one section each); "
    "required without --template.",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The whole document from a template (e.g. workbook/report-template.md): standing "
    "text, RM_ figures and blocks; its blocks name their periods.",
)
@click.option(
    "--reference-doc",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="A .docx whose Word styles, page setup, headers and footers the docx uses.",
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
    template: Path | None,
    reference_doc: Path | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Regenerate the report: headline, partners by type and membership, top three,
    regions, thematic priorities, co-financing and, with --compare, the comparison; with
    --template, the whole document the template describes.

    Every number and label comes from the ledger. docx and html embed the charts; with
    --out, each chart is also written beside the file as <stem>-<chart>.png. A template
    with a mistake is reported at file:line:col and nothing is written."""
    from rmxl.render.diagnostics import summary, text
    from rmxl.render.report.docx import BadReference
    from rmxl.render.report.markup import default_out, render, write_report
    from rmxl.render.report.template import ReportTemplateError

    if template is None and not periods:
        raise click.UsageError("give --period P (or --template FILE)")
    if template is not None and (periods or compare):
        raise click.UsageError("a template names its periods: drop --period and --compare")
    fmt = _report_format(fmt, out)
    try:
        with library_errors(lambda: out):
            fig = loader.figures(loader.ledger_dir(ledger), parallel=True)
            doc = _report_of(fig, template, list(periods), compare)
            if out is None and fmt == "docx":
                out = default_out(list(periods), fmt) if periods else Path("report.docx")
            if out is None:
                click.echo(render(doc, fmt, reference=reference_doc)[0].decode(), nl=False)
                return
            written = write_report(doc, fmt, out, reference=reference_doc)
    except ReportTemplateError as e:
        click.echo(text(e.diagnostics), err=True)
        _fail(f"template is invalid: {summary(e.diagnostics)}; nothing written")
        return
    except BadReference as e:  # a binary file: no source line to show
        click.echo(str(e.diagnostic), err=True)
        _fail("nothing written")
        return
    charts = f" and {len(written) - 1} chart(s) beside it" if len(written) > 1 else ""
    click.echo(f"wrote {written[0]}{charts}")


def _report_of(fig: Any, template: Path | None, periods: list[str], compare: str | None) -> Any:
    """The report: from the template if given (raises ReportTemplateError), else the
    periods' sections."""
    from rmxl.render.report.content import build_report

    if template is None:
        return build_report(fig, periods, compare)
    from rmxl.render.report.assemble import build_from_template
    from rmxl.render.report.template import load_template

    return build_from_template(fig, load_template(template))


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
    help="Workbook to write (a name ending in .xlsx).",
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

    if out.suffix.lower() != ".xlsx":  # Excel refuses a workbook whose name says otherwise
        raise click.BadParameter(
            f"{out.name!r} is not a workbook name: rmxl build writes an Excel workbook "
            "without macros, so give a name ending in .xlsx (for the RM_ functions, save a "
            "macro-enabled .xlsm copy in Excel: docs/spreadsheets.md)",
            param_hint="--out",
        )
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
            fig = loader.figures(loader.ledger_dir(ledger), parallel=True)
            written = build_workbook(
                fig, out, list(periods) or None, progress=progress, template=questions
            )
    finally:
        if bar is not None:
            bar.render_finish()
    used = f" (Analysis from {source.as_posix()})" if source else ""
    click.echo(f"wrote {written}{used}")
