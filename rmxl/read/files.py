"""Read: ledger folder → located YAML trees, one per file.

Stage 1 of the pipeline. Every ``*.yaml``/``*.yml`` file below the ledger folder is read
in sorted path order (spec §1), decoded as UTF-8 (BOM tolerated, LF or CRLF), and parsed by
:func:`rmxl.read.compose.compose` (ruamel.yaml's C parser, YAML 1.2 core schema, our own
composer) into :class:`LMap` / :class:`LSeq` trees whose keys, values and items carry their
1-based ``(line, column)``. No tag is ever constructed, aliases are shared not expanded,
and every problem (syntax, tabs, duplicate keys, impossible dates kept as
:class:`BadDate`, bad bytes, an unreadable or oversized file) is a diagnostic, never an
exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rmxl.diagnostics import Diagnostic, Source, make
from rmxl.fileio import TooLargeError, read_capped
from rmxl.read.compose import MAX_FILE_BYTES, compose
from rmxl.read.located import BadDate, LMap, LSeq, Pos

__all__ = [
    "MAX_FILE_BYTES",
    "BadDate",
    "LMap",
    "LSeq",
    "LedgerFile",
    "Pos",
    "decode",
    "display_path",
    "ledger_paths",
    "parse_text",
    "read_file",
    "read_ledger",
    "read_raw",
]


@dataclass(slots=True)
class LedgerFile:
    """One parsed file: its display path and its top-level mapping (None if empty)."""

    path: str
    data: LMap | None


def decode(raw: bytes, file: str, diags: list[Diagnostic]) -> str | None:
    """UTF-8 (BOM tolerated) → text with LF line ends; bad bytes → an ``encoding`` diagnostic."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        head = raw[: e.start]
        line = head.count(b"\n") + 1
        col = e.start - (head.rfind(b"\n") + 1) + 1
        diags.append(
            make(
                "encoding",
                f"byte 0x{raw[e.start]:02x} is not valid UTF-8",
                Source(file, line, col),
                "save the file as UTF-8",
            )
        )
        return None
    return text.replace("\r\n", "\n")


def parse_text(text: str, file: str, diags: list[Diagnostic]) -> LMap | None:
    """Parse one file's text into its top-level mapping (None when empty or unusable).

    A syntax problem is a ``yaml-syntax`` diagnostic at its position (with a hint when a
    tab is to blame); a control character, too deep nesting or an alias bomb are
    diagnostics too (see :mod:`rmxl.read.compose`). Never raises for any text."""
    found = compose(text, file, diags)
    if found is None or found[0] is None:
        return None
    data, pos = found
    if not isinstance(data, LMap):
        diags.append(
            make(
                "file-not-mapping",
                "a ledger file must be a mapping of sections",
                Source(file, *pos),
                "start the file with e.g. 'agreements:'",
            )
        )
        return None
    return data


def read_raw(path: Path, display: str, diags: list[Diagnostic]) -> bytes | None:
    """The bytes of one input file (ledger file, template), or None with a diagnostic:
    ``yaml-too-large`` when it is over :data:`~rmxl.read.compose.MAX_FILE_BYTES` (its
    size is checked before a byte is read, so a refused file costs no memory),
    ``file-unreadable`` when it cannot be opened or is not a regular file (a folder, a
    FIFO or a device behind a link). See :func:`rmxl.fileio.read_capped`."""
    try:
        return read_capped(path, MAX_FILE_BYTES)
    except TooLargeError as e:
        size = f"{e.size / 2**20:,.0f} MiB" if e.size is not None else "growing"
        msg = f"the file is {size}; files are read up to {MAX_FILE_BYTES // 2**20} MiB"
        hint = "split it into several files"
        diags.append(make("yaml-too-large", msg, Source(display, 1, 1), hint))
    except OSError as e:
        msg = f"cannot read: {e.strerror or e}"
        diags.append(make("file-unreadable", msg, Source(display, 1, 1)))
    return None


def read_file(path: Path, display: str, diags: list[Diagnostic]) -> LedgerFile:
    """Read and parse one file; problems go to ``diags``."""
    raw = read_raw(path, display, diags)
    text = None if raw is None else decode(raw, display, diags)
    return LedgerFile(display, None if text is None else parse_text(text, display, diags))


def ledger_paths(root: Path) -> list[Path]:
    """Every ``*.yaml`` / ``*.yml`` file below ``root``, recursively, in sorted path order.

    A folder named ``x.yaml`` is a folder (its files are read); a broken or looping
    symbolic link is listed, so reading it reports ``file-unreadable``. Hidden files and
    folders (``.x.yaml``, macOS's ``._x.yaml``, ``.git/``) are not part of the ledger."""
    files = [
        p
        for p in root.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
        and (p.is_file() or (p.is_symlink() and not p.is_dir()))
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def display_path(root: Path, path: Path) -> str:
    """The path as shown in diagnostics: the ledger folder as given, joined with the file."""
    return (root / path.relative_to(root)).as_posix()


def read_ledger(root: Path) -> tuple[list[LedgerFile], list[Diagnostic]]:
    """Read every ledger file under ``root``.

    Returns ``(files, diagnostics)``; a missing folder or one without YAML files is a
    diagnostic (``ledger-not-found``, ``ledger-empty``), never an exception.
    """
    diags: list[Diagnostic] = []
    if not root.is_dir():
        diags.append(
            make(
                "ledger-not-found",
                f"ledger folder {root.as_posix()!r} not found",
                None,
                "pass --ledger DIR or set RMXL_LEDGER",
            )
        )
        return [], diags
    paths = ledger_paths(root)
    if not paths:
        diags.append(make("ledger-empty", f"no *.yaml files in {root.as_posix()!r}", None))
    return [read_file(p, display_path(root, p), diags) for p in paths], diags
