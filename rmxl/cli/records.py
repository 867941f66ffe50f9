"""``rmxl import``, ``rmxl rates import|fill`` and ``rmxl export``: records in and out."""

from __future__ import annotations

from pathlib import Path

import click

from rmxl.cli.app import _fail, ledger_option, library_errors, main
from rmxl.pipeline import load as loader

EXPORT_FORMATS = ("csv", "parquet", "json", "xlsx", "iati")


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
    from rmxl.render.export.iati import IatiError, iati_xml
    from rmxl.render.export.tables import tables
    from rmxl.render.export.write import write, write_bytes

    target = out or (Path("export/iati-activities.xml") if fmt == "iati" else Path("export"))
    with library_errors(lambda: target):
        ledger_ = loader.load(loader.ledger_dir(ledger))
        if fmt == "iati":
            try:
                data = iati_xml(ledger_)
            except IatiError as e:
                _fail(str(e))
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(target, data)
            click.echo(f"wrote {target.as_posix()} ({len(ledger_.agreements)} activities)")
            return
        written = write(tables(compile_ledger(ledger_)), fmt, target)
    click.echo(f"wrote {len(written)} files to {target.as_posix()}/")
