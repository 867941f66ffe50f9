"""A content-addressed cache of check results, per agreements file and per whole ledger.

A ledger is validated on every commit, in CI and in a pre-commit hook, mostly unchanged.
Each entry is keyed by a BLAKE2b hash of what fully determines it, so a hit can never
change a result (every key also hashes :func:`fingerprint`: rmxl's own source, Python,
pycountry):

- ``shape/<key>``: the top-level sections of one file read without a problem; the key
  hashes the file's bytes and display path (:func:`file_key`);
- ``checked/<key>``: one agreements file's records checked on their own
  (:class:`~rmxl.validate.agreements.FileAgreements`); the key hashes the file and every
  file it is checked against (:func:`checked_key`);
- ``diags/<key>`` and ``ledger/<key>``: the sorted diagnostics and the
  :class:`~rmxl.model.Ledger` of a whole check; the key hashes every file key in order,
  the ledger folder as given, and the day (warnings depend on today).

Where: ``$RMXL_CACHE_DIR``, else ``$XDG_CACHE_HOME/rmxl``, else ``~/.cache/rmxl`` —
outside the ledger's git tree. ``RMXL_CACHE=0`` turns it off.

Nothing read from the cache can run code (issue 10): entries are JSON, rebuilt into
rmxl's own records by :mod:`rmxl.pipeline.codec`, which constructs nothing else. The
folder is created private (0700); a folder, or an entry, owned by another user or
writable by group or others is not used (as git refuses a repository owned by someone
else), nor is an entry that is a link.

Safety: an entry is written to a temporary file in the same folder and renamed over the
old one (``os.replace``), so concurrent runs never see half an entry; an entry that
cannot be read, is truncated, malformed, or carries another key or format is ignored and
rewritten. Failing to write (read-only home) only loses the speed-up. Entries unused for
:data:`MAX_AGE_DAYS` days are removed now and then.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.util
import json
import os
import stat
import sys
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from rmxl.fileio import read_capped
from rmxl.pipeline import codec

FORMAT: Final = 2
"""Bumped when the layout of entries changes."""
MAX_AGE_DAYS: Final = 30
MISSING: Final = object()
"""What :meth:`Store.get` returns for an absent, unreadable or foreign entry."""
_MAGIC: Final = "rmxl-cache"
SUFFIX: Final = ".json"
_OFF = ("0", "false", "no", "off")


def cache_dir() -> Path | None:
    """The cache folder, or None when ``RMXL_CACHE`` is ``0``/``false``/``no``/``off``."""
    if os.environ.get("RMXL_CACHE", "").strip().lower() in _OFF:
        return None
    if os.environ.get("RMXL_CACHE_DIR"):
        return Path(os.environ["RMXL_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rmxl"


@cache
def fingerprint() -> bytes:
    """What every key depends on besides the ledger: the cache format, the Python version,
    the text of every rmxl module (so any code change starts afresh) and the installed
    pycountry (the ISO lists the validator checks codes against)."""
    h = hashlib.blake2b(f"{FORMAT}|{sys.version_info[:2]}".encode(), digest_size=20)
    package = Path(__file__).parents[1]
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    spec = importlib.util.find_spec("pycountry")
    if spec is not None and spec.origin:
        st = os.stat(spec.origin)
        h.update(f"{spec.origin}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.digest()


def _key(*parts: bytes) -> str:
    h = hashlib.blake2b(fingerprint(), digest_size=20)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def file_key(display: str, raw: bytes) -> str:
    """The key of one file's parsed tree: its display path and bytes."""
    return _key(b"file", display.encode(), raw)


def check_key(root: Path, day: dt.date, file_keys: list[str]) -> str:
    """The key of a whole check: every file (in reading order), the folder, the day."""
    return _key(
        b"check", root.as_posix().encode(), day.isoformat().encode(), *map(str.encode, file_keys)
    )


def checked_key(file_key: str, context_keys: list[str]) -> str:
    """The key of one agreements file's check: the file and every file it is checked
    against (all files that are not agreements alone: taxonomy, partners, rates)."""
    return _key(b"checked", file_key.encode(), *map(str.encode, context_keys))


@dataclass(slots=True)
class Entry:
    """One ledger file as found: its bytes and key (None when it cannot be read, or is too
    large: then :mod:`rmxl.read.files` reads it and reports why)."""

    path: Path
    display: str
    raw: bytes | None
    key: str | None


def snapshot(paths: list[tuple[Path, str]], max_bytes: int) -> list[Entry]:
    """Read every ``(path, display)`` once and key it (a file over ``max_bytes`` is not
    read at all: its size is checked first)."""
    out: list[Entry] = []
    for path, display in paths:
        try:
            raw = read_capped(path, max_bytes)
        except OSError:  # unreadable, not a regular file or too large: read says why
            out.append(Entry(path, display, None, None))
            continue
        out.append(Entry(path, display, raw, file_key(display, raw)))
    return out


class Store:
    """The cache folder: ``get`` and ``put`` values by kind and key, as plain data
    (:mod:`rmxl.pipeline.codec`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def open(cls) -> Store | None:
        """The store at :func:`cache_dir`, created private (0700) if absent; None when the
        cache is off, or the folder cannot be created, or is not the user's own (owned by
        another user, or writable by group or others: its entries could be anyone's)."""
        folder = cache_dir()
        if folder is None:
            return None
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            st = folder.stat()
        except OSError:
            return None
        return cls(folder) if stat.S_ISDIR(st.st_mode) and _own(st) else None

    def path(self, kind: str, key: str) -> Path:
        return self.folder / kind / f"{key}{SUFFIX}"

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry seems stored under ``key`` (:meth:`get` may still miss it)."""
        return os.path.isfile(self.path(kind, key))

    def get(self, kind: str, key: str) -> Any:
        """The value stored under ``key``, or :data:`MISSING`: also for an entry that is
        not a regular file of the user's own (a link, another user's, writable by others),
        or not what :meth:`put` writes (truncated, corrupt, crafted, another key)."""
        path = self.path(kind, key)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return MISSING
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or not _own(st):
                return MISSING
            data = f.read()
        try:
            head, value = _parse(data)
            if head != [_MAGIC, FORMAT, kind, key]:
                return MISSING
            found = codec.decode(value)
        except Exception:  # whatever the bytes hold is a miss, never an error
            return MISSING
        self._touch(path)
        return found

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value`` atomically (temporary file + rename); errors are ignored."""
        import tempfile  # only writers need it: spares a warm run its import

        folder = self.folder / kind
        tmp = None
        try:
            data = json.dumps(
                [[_MAGIC, FORMAT, kind, key], codec.encode(value)],
                separators=(",", ":"),
                allow_nan=False,
            ).encode()
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            folder.mkdir(exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=SUFFIX)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.path(kind, key))
            tmp = None
        except (OSError, TypeError, ValueError, RecursionError):
            pass
        finally:
            if tmp is not None:
                _unlink(Path(tmp))

    def _touch(self, path: Path) -> None:
        """Keep a used entry young (at most once a day per entry) so pruning spares it."""
        try:
            if time.time() - path.stat().st_mtime > 86400:
                os.utime(path)
        except OSError:
            pass

    def prune(self, max_age_days: float = MAX_AGE_DAYS) -> int:
        """Remove entries (and stray temporary files, and the pickles of earlier rmxl
        versions) unused for ``max_age_days``; returns how many. Run at most once a day (a
        ``.pruned`` stamp file)."""
        stamp = self.folder / ".pruned"
        now = time.time()
        try:
            if now - stamp.stat().st_mtime < 86400:
                return 0
        except OSError:
            pass
        removed = 0
        for path in self.folder.glob("*/*"):
            try:
                if path.is_file() and now - path.stat().st_mtime > max_age_days * 86400:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        with contextlib.suppress(OSError):
            stamp.touch()
        return removed


def _own(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (as git trusts a repository)."""
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def _parse(data: bytes) -> tuple[Any, Any]:
    found = json.loads(data)
    if not isinstance(found, list) or len(found) != 2:
        raise codec.Malformed("not an entry")
    return found[0], found[1]


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
