"""Run by ``rmxl libreoffice install`` inside a headless LibreOffice (as the Python macro
``rmxl_install.py$install`` of the profile being set up), then removed.

It adds the extension named by ``$RMXL_OXT`` for the user (the extension manager's API:
this works where ``unopkg`` refuses, e.g. as root), puts the Basic functions
``$RMXL_BASIC`` into the user's Standard library as the module ``RmxlFunctions`` (Calc
looks up a workbook's unknown function names there), writes ``ok`` or the error to
``$RMXL_REPORT`` and quits LibreOffice. Standard library and ``uno`` only.
"""

from __future__ import annotations

import os
import traceback
from typing import Any

import uno
import unohelper
from com.sun.star.task import XInteractionHandler
from com.sun.star.ucb import XCommandEnvironment, XProgressHandler

MODULE = "RmxlFunctions"
APPROVE = "com.sun.star.task.XInteractionApprove"


class Approve(unohelper.Base, XInteractionHandler):
    """Answers the extension manager's questions (replace the installed version?) yes."""

    def handle(self, request: Any) -> None:
        for choice in request.getContinuations():
            if choice.queryInterface(uno.getTypeByName(APPROVE)) is not None:
                choice.select()
                return


class Quiet(unohelper.Base, XProgressHandler):
    def push(self, status: Any) -> None:
        pass

    def update(self, status: Any) -> None:
        pass

    def pop(self) -> None:
        pass


class Environment(unohelper.Base, XCommandEnvironment):
    def getInteractionHandler(self) -> Any:
        return Approve()

    def getProgressHandler(self) -> Any:
        return Quiet()


def install(*_args: Any) -> None:
    ctx = XSCRIPTCONTEXT.getComponentContext()  # type: ignore[name-defined]  # noqa: F821
    report = "ok"
    try:
        manager = ctx.getValueByName("/singletons/com.sun.star.deployment.ExtensionManager")
        url = uno.systemPathToFileUrl(os.environ["RMXL_OXT"])
        manager.addExtension(url, (), "user", None, Environment())
        with open(os.environ["RMXL_BASIC"], encoding="utf-8") as f:
            source = f.read()
        libraries = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.script.ApplicationScriptLibraryContainer", ctx
        )
        libraries.loadLibrary("Standard")
        standard = libraries.getByName("Standard")
        if standard.hasByName(MODULE):
            standard.replaceByName(MODULE, source)
        else:
            standard.insertByName(MODULE, source)
        libraries.storeLibraries()
    except Exception:
        report = traceback.format_exc()
    finally:
        with open(os.environ["RMXL_REPORT"], "w", encoding="utf-8") as f:
            f.write(report)
        XSCRIPTCONTEXT.getDesktop().terminate()  # type: ignore[name-defined]  # noqa: F821


g_exportedScripts = (install,)
