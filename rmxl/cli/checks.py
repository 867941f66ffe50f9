"""``rmxl validate``, ``rmxl errors``, ``rmxl fmt`` and ``rmxl diff``: the commands that check
and tidy the ledger."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from rmxl.cli.app import _fail, ledger_option, main
from rmxl.diagnostics import CATALOGUE, QUERY_CATALOGUE, describe
from rmxl.pipeline import load as loader


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
    "--skip",
    "skip",
    multiple=True,
    metavar="CODE",
    help="Silence a warning code (repeatable); an error code is refused.",
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
        if CATALOGUE[code].severity == "error":
            raise click.BadParameter(
                f"{code!r} is an error, and errors cannot be skipped: rmxl build, eval and "
                "report refuse a ledger that has one, so the check must fail too (--skip "
                "silences warnings only)",
                param_hint="--skip",
            )
    root = loader.ledger_dir(ledger)
    diags = select(loader.diagnostics(root, parallel=True), strict, skip)
    out = FORMATS[fmt](diags)
    if out:
        click.echo(out)
    click.echo(f"{root.as_posix()}: {summary(diags)}", err=fmt != "text")
    sys.exit(1 if loader.has_errors(diags) else 0)


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
    from rmxl.read.files import list_ledger
    from rmxl.render.diagnostics import text
    from rmxl.tools.fmt import format_paths

    root = loader.ledger_dir(ledger)
    if not files and not root.is_dir():
        _fail(f"error[ledger-not-found]: ledger folder {root.as_posix()!r} not found")
    listing = None if files else list_ledger(root)
    if listing is not None and not listing.files:
        _fail(f"error[ledger-empty]: no *.yaml files in {root.as_posix()!r}")
    paths = list(files) if listing is None else [p for p, _ in listing.files]
    results = format_paths(paths, check)
    for d in listing.diagnostics(root) if listing is not None else []:  # loops, FIFOs …
        shown = text([d], context=False).rstrip("\n")  # never opens the entry
        results.append((Path(d.source.file if d.source else root), "not formatted", shown))
    for path, outcome, why in results:
        if outcome == "not formatted":
            click.echo(why, err=True)  # path:line:col: error[code]: … (what to do)
        elif outcome != "unchanged":
            click.echo(f"{outcome} {path.as_posix()}")
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
        _fail(e.line())
        return
    click.echo((markdown if fmt == "markdown" else text)(result), nl=False)


@main.command()
@click.argument("code", required=False)
@click.option("--markdown", is_flag=True, help="Print the docs/errors.md page.")
def errors(code: str | None, markdown: bool) -> None:
    """List every diagnostic and query-error code with its severity and title, or explain
    one CODE."""
    from rmxl.render.diagnostics import errors_markdown

    if code is not None:
        kind = describe(code)
        if kind is None:
            raise click.BadParameter(f"unknown code {code!r} (see rmxl errors)")
        click.echo(f"{kind.code} ({kind.severity}): {kind.title}\n{kind.explanation}")
    elif markdown:
        click.echo(errors_markdown(), nl=False)
    else:
        for kind in CATALOGUE.values():
            click.echo(f"{kind.code:26} {kind.severity:8} {kind.title}")
        click.echo("\nquery errors (rmxl eval, RM_ functions, --period):")
        for kind in QUERY_CATALOGUE.values():
            click.echo(f"{kind.code:26} {kind.severity:8} {kind.title}")
