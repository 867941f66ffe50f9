"""``rmxl libreoffice``: the RM_ functions in LibreOffice Calc (the rmxl extension)."""

from __future__ import annotations

from pathlib import Path

import click

from rmxl.cli.app import _fail, main


@main.group()
def libreoffice() -> None:
    """The RM_ functions in LibreOffice Calc: install or package the rmxl extension.

    See docs/spreadsheets.md."""


@libreoffice.command()
@click.option(
    "--profile",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="LibreOffice user profile folder (the one holding user/) [default: LibreOffice's "
    "own profile of this user].",
)
@click.option("--soffice", default=None, metavar="PATH", help="LibreOffice's soffice program.")
def install(profile: Path | None, soffice: str | None) -> None:
    """Install the extension for this user (LibreOffice must be closed).

    Afterwards a workbook from rmxl build computes its RM_ cells in Calc; the ledger is
    found as in Excel (RMXL_LEDGER, else the workbook's repository)."""
    from rmxl.calc.package import InstallError, default_profile
    from rmxl.calc.package import install as install_extension

    try:
        install_extension(profile, soffice)
    except InstallError as e:
        _fail(str(e))
        return
    except OSError as e:  # the profile cannot be written: read-only, a name too long…
        _fail(f"cannot install into {profile or default_profile()}: {e.strerror or e}")
        return
    click.echo(f"installed the rmxl extension into {profile or default_profile()}")


@libreoffice.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("rmxl.oxt"),
    show_default=True,
    help="Extension file to write.",
)
def package(out: Path) -> None:
    """Write the extension (.oxt), e.g. to install it with LibreOffice's Extension Manager
    (the Basic functions are then added by rmxl libreoffice install)."""
    from rmxl.calc.package import write_oxt

    try:
        write_oxt(out)
    except OSError as e:
        _fail(f"cannot write {out}: {e.strerror or e}")
        return
    click.echo(f"wrote {out}")
