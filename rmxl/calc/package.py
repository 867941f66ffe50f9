"""Write rmxl's LibreOffice extension (.oxt) and install it (``rmxl libreoffice``).

The .oxt holds the files of ``rmxl/calc/oxt/`` — ``rmxl_calc.py`` (the UNO component, in
LibreOffice's own Python), ``rmxl.idl`` (its interface; LibreOffice reads an .idl as a
type library), ``functions.bas`` (the Basic functions RM_SHARE … RM_INFO) — and
``config.json``, which names the Python of the environment rmxl runs in (the helper's
interpreter, :mod:`rmxl.calc.helper`).

Installing runs a headless LibreOffice once on the user profile (``--profile DIR``, else
the default profile): it adds the extension for the user through the extension
manager's API and puts the Basic functions into the profile's Standard library, where
Calc looks up a workbook's function names (``=RM_TOTAL(2022)`` in an .xlsx). The
LibreOffice using that profile must be closed.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

OXT_FILES = Path(__file__).with_name("oxt")
IDENTIFIER = "org.rmxl.calc"
SOFFICE_PLACES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def version() -> str:
    """rmxl's version, as installed (the extension carries it)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("rmxl")
    except PackageNotFoundError:
        return "0.0.0"


class InstallError(Exception):
    """The extension could not be installed; ``str(e)`` says why and what to do."""


def oxt_bytes(python: str | None = None) -> bytes:
    """The extension as a zip archive; ``python`` is the helper's interpreter (default:
    this one, ``sys.executable``)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/manifest.xml", (OXT_FILES / "manifest.xml").read_bytes())
        description = (OXT_FILES / "description.xml").read_text(encoding="utf-8")
        z.writestr("description.xml", description.replace("@VERSION@", version()))
        for name in ("rmxl_calc.py", "rmxl.idl", "functions.bas"):
            z.write(OXT_FILES / name, name)
        config = {"python": python or sys.executable, "rmxl": version()}
        z.writestr("config.json", json.dumps(config, indent=1))
    return buf.getvalue()


def write_oxt(out: Path, python: str | None = None) -> Path:
    """Write the extension to ``out`` (all or nothing, through a link:
    :func:`rmxl.fileio.write_file`). Raises OSError."""
    from rmxl.fileio import write_file

    out.parent.mkdir(parents=True, exist_ok=True)
    return write_file(out, oxt_bytes(python))


def find_soffice(given: str | None = None) -> str:
    """LibreOffice's ``soffice``: ``given``, ``$RMXL_SOFFICE``, on PATH, or in the usual
    place on macOS and Windows. Raises InstallError."""
    for candidate in (given, os.environ.get("RMXL_SOFFICE"), shutil.which("soffice")):
        if candidate:
            return candidate
    for place in SOFFICE_PLACES:
        if Path(place).is_file():
            return place
    raise InstallError(
        "LibreOffice (soffice) not found: install LibreOffice, or give --soffice PATH"
    )


def install(profile: Path | None = None, soffice: str | None = None, timeout: float = 180) -> None:
    """Install the extension and the Basic functions into the LibreOffice user profile
    ``profile`` (the folder holding ``user/``; None: LibreOffice's default profile).
    Raises InstallError with the reason."""
    exe = find_soffice(soffice)
    if profile is not None and (profile / "user" / ".lock").exists():
        raise InstallError(
            f"LibreOffice is running with the profile {profile} (user/.lock): close it first"
        )
    with tempfile.TemporaryDirectory(prefix="rmxl-lo-") as tmp:
        work = Path(tmp)
        (work / "rmxl.oxt").write_bytes(oxt_bytes())
        shutil.copy(OXT_FILES / "functions.bas", work / "functions.bas")
        scripts = (profile or default_profile()) / "user" / "Scripts" / "python"
        scripts.mkdir(parents=True, exist_ok=True)
        macro = scripts / "rmxl_install.py"
        shutil.copy(OXT_FILES / "install_macro.py", macro)
        env = dict(os.environ, RMXL_OXT=str(work / "rmxl.oxt"))
        env.update(RMXL_BASIC=str(work / "functions.bas"), RMXL_REPORT=str(work / "report"))
        args = [exe, "--headless", "--norestore"]
        if profile is not None:
            args.append(f"-env:UserInstallation={profile.resolve().as_uri()}")
        args.append("vnd.sun.star.script:rmxl_install.py$install?language=Python&location=user")
        try:
            subprocess.run(args, env=env, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise InstallError(f"could not run {exe}: {e}") from None
        finally:
            macro.unlink(missing_ok=True)
        report = work / "report"
        if not report.exists():
            raise InstallError(
                "LibreOffice did not run the installer: is its Python script provider "
                "installed (Debian: libreoffice-script-provider-python)? Is LibreOffice "
                "already running (close it)?"
            )
        text = report.read_text(encoding="utf-8")
        if text != "ok":
            raise InstallError(f"LibreOffice refused the extension: {text.strip()[-400:]}")


def default_profile() -> Path:
    """LibreOffice's default user profile folder on this system (the one holding
    ``user/``)."""
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", home / "AppData" / "Roaming")) / "LibreOffice" / "4"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "LibreOffice" / "4"
    config = os.environ.get("XDG_CONFIG_HOME") or str(home / ".config")
    return Path(config) / "libreoffice" / "4"
