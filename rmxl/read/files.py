"""Read: ledger folder → located YAML trees, one per file.

Stage 1 of the pipeline. Every ``*.yaml``/``*.yml`` file below the ledger folder is read
in sorted path order (spec §1; §6: suffix in any case, links followed, hidden names
skipped, a link loop an error — :func:`list_ledger` is the one definition of the ledger's
files), decoded as UTF-8 (BOM tolerated, LF or CRLF), and parsed by
:func:`rmxl.read.compose.compose` (ruamel.yaml's C parser, YAML 1.2 core schema, our own
composer) into :class:`LMap` / :class:`LSeq` trees whose keys, values and items carry their
1-based ``(line, column)``. No tag is ever constructed, aliases are shared not expanded,
and every problem (syntax, tabs, duplicate keys, impossible dates kept as
:class:`BadDate`, bad bytes, an unreadable or oversized file) is a diagnostic, never an
exception.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from rmxl.diagnostics import Diagnostic, Source, make
from rmxl.fileio import TooLargeError, read_capped
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
    "is_ledger_name",
    "ledger_paths",
    "list_ledger",
    "parse_text",
    "read_file",
    "read_ledger",
    "read_raw",
    "root_problem",
    "shown",
]

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Largest file read (about 65,000 agreements): larger is yaml-too-large."""


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
    from rmxl.read.compose import compose  # ruamel.yaml: imported when the fast path steps aside

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
    ``yaml-too-large`` when it is over :data:`MAX_FILE_BYTES` (its
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


LEDGER_SUFFIXES = (".yaml", ".yml")
"""A ledger file's name ends with one of these, in any case (spec §6: ``x.YAML`` is read)."""


def is_ledger_name(relative: str) -> bool:
    """Whether a path relative to the ledger folder (``/``-separated) names a ledger file
    by its name: a ``.yaml``/``.yml`` suffix in any case and no part starting with ``.``
    (hidden files and folders, macOS's ``._x.yaml``, ``.git/``; spec §6)."""
    parts = relative.split("/")
    return parts[-1].lower().endswith(LEDGER_SUFFIXES) and not any(
        part.startswith(".") for part in parts
    )


@dataclass(frozen=True, slots=True)
class Listing:
    """The ledger's files (spec §1 and §6), as :func:`list_ledger` finds them.

    ``files``: ``(path, stat)`` in sorted relative-path order, each file once (a file
    reached through several links is listed under its first path); ``stat`` follows
    links and is None for a broken link (listed, so that reading it reports why).
    ``loops``: the links that lead back to a folder containing them, or to themselves.
    ``odd``: ``(path, what)`` of each entry named as a ledger file that is not a regular
    file (``what``: "a folder", "a FIFO", "a device", "a socket"), in sorted order."""

    files: tuple[tuple[Path, os.stat_result | None], ...]
    loops: tuple[Path, ...]
    odd: tuple[tuple[Path, str], ...] = ()

    def diagnostics(self, root: Path) -> list[Diagnostic]:
        """One ``link-loop`` error per looping link, at the link's path, then one
        ``file-unreadable`` error per entry named as a ledger file that is not a regular
        file (a team member thinks it is in the ledger; it is not read)."""
        return [
            make(
                "link-loop",
                f"the link {display_path(root, link)!r} leads back to a folder that holds it "
                f"(or to itself); it is not followed",
                Source(display_path(root, link), 1, 1),
                "remove the link, or point it at a folder outside the ledger",
            )
            for link in self.loops
        ] + [
            make(
                "file-unreadable",
                f"{display_path(root, path)!r} is {what}, not a regular file; "
                + ("the files in it are read" if what == "a folder" else "it is not read"),
                Source(display_path(root, path), 1, 1),
                "replace it with a regular YAML file, or rename it so its name does not "
                "end in .yaml or .yml",
            )
            for path, what in self.odd
        ]


def list_ledger(root: Path) -> Listing:
    """Every ledger file below ``root``, recursively: names as :func:`is_ledger_name`,
    links to files and to folders followed (spec §6). A folder named ``x.yaml`` is a
    folder (its files are read) but also in :attr:`Listing.odd`, as is any other entry so
    named that is not a regular file (a FIFO, a device behind a link: never opened).
    One ``scandir`` per folder and one ``stat`` per entry; reads no file."""
    found: dict[str, tuple[Path, os.stat_result | None]] = {}
    loops: list[Path] = []
    odd: list[tuple[Path, str]] = []
    seen: set[tuple[int, int]] = set()
    stack = [(root, "", os.path.realpath(root))]
    while stack:
        folder, rel, real = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.name.startswith("."):
                continue
            path, name = Path(e.path), f"{rel}{e.name}"
            try:
                st = os.stat(e.path)
            except OSError as err:
                if err.errno == errno.ELOOP:
                    loops.append(path)
                elif e.is_symlink() and is_ledger_name(name):
                    found[name] = (path, None)
                continue
            if not stat.S_ISREG(st.st_mode) and is_ledger_name(name):
                odd.append((path, _kind(st.st_mode)))
            if stat.S_ISDIR(st.st_mode):
                target = os.path.realpath(e.path)
                if e.is_symlink() and _inside(real, target):
                    loops.append(path)
                elif (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    stack.append((path, f"{name}/", target))
            elif stat.S_ISREG(st.st_mode) and is_ledger_name(name):
                found[name] = (path, st)
    return Listing(_once(found), tuple(sorted(loops)), tuple(sorted(odd)))


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file"


def _inside(folder: str, target: str) -> bool:
    """Whether ``folder`` is ``target`` or below it (real paths): a link from ``folder``
    to ``target`` loops."""
    return folder == target or folder.startswith(target.rstrip(os.sep) + os.sep)


def _once(
    found: dict[str, tuple[Path, os.stat_result | None]],
) -> tuple[tuple[Path, os.stat_result | None], ...]:
    files, inodes = [], set()
    for name in sorted(found):
        path, st = found[name]
        if st is not None:
            if (st.st_dev, st.st_ino) in inodes:
                continue
            inodes.add((st.st_dev, st.st_ino))
        files.append((path, st))
    return tuple(files)


def ledger_paths(root: Path) -> list[Path]:
    """The paths of :func:`list_ledger`'s files, in sorted relative-path order."""
    return [path for path, _ in list_ledger(root).files]


def display_path(root: Path, path: Path) -> str:
    """The path as shown in diagnostics: the ledger folder as given, joined with the file."""
    return (root / path.relative_to(root)).as_posix()


def shown(path: Path, width: int = 80) -> str:
    """``path`` as text, cut to ``width`` characters with ``…`` (a name of 5,000
    characters would bury the message)."""
    text = path.as_posix()
    return text if len(text) <= width else text[:width] + "…"


def root_problem(root: Path) -> Diagnostic | None:
    """Why ``root`` is not a ledger folder, as a ``ledger-not-found`` error, or None: it
    does not exist, it is not a folder (a file), or the system refuses to look at it (a
    name too long, a loop of links, no permission on the way). One ``stat``; never
    raises."""
    hint = "pass --ledger DIR or set RMXL_LEDGER"
    try:
        st = os.stat(root)
    except (FileNotFoundError, NotADirectoryError):
        return make("ledger-not-found", f"ledger folder {shown(root)!r} not found", None, hint)
    except (OSError, ValueError) as e:  # ValueError: a NUL in the name
        why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        msg = f"cannot look at ledger folder {shown(root)!r}: {why}"
        return make("ledger-not-found", msg, None, hint)
    if not stat.S_ISDIR(st.st_mode):
        msg = f"ledger folder {shown(root)!r} is not a folder (it is a file)"
        return make("ledger-not-found", msg, None, hint)
    return None


def read_ledger(root: Path) -> tuple[list[LedgerFile], list[Diagnostic]]:
    """Read every ledger file under ``root``.

    Returns ``(files, diagnostics)``; a missing folder (or a file, or a path the system
    refuses: :func:`root_problem`) or one without YAML files is a diagnostic
    (``ledger-not-found``, ``ledger-empty``), never an exception.
    """
    diags: list[Diagnostic] = []
    problem = root_problem(root)
    if problem is not None:
        diags.append(problem)
        return [], diags
    listing = list_ledger(root)
    diags.extend(listing.diagnostics(root))
    if not listing.files:
        diags.append(make("ledger-empty", f"no *.yaml files in {root.as_posix()!r}", None))
    return [read_file(p, display_path(root, p), diags) for p, _ in listing.files], diags
