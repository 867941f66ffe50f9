"""The ``rmxl`` command line: thin Click commands over the library.

Each command parses options, calls the library, turns a known library error into a
message on standard error with exit status 1, and prints. No figure is computed here.
:mod:`rmxl.cli.app` holds the group and the shared options; each module below adds
its commands to it.
"""

from rmxl.cli import checks, outputs, records  # noqa: F401  (registers the commands)
from rmxl.cli import libreoffice as _libreoffice  # noqa: F401  (rmxl libreoffice)
from rmxl.cli.app import _terminate, main

__all__ = ["_terminate", "main"]
