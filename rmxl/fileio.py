"""Files in and out: the one place rmxl opens an input file or writes an output file.

Depends on nothing else in rmxl (the standard library only), so every layer may use it.

Writing (:func:`write_files`, :func:`write_file`; used by ``rmxl fmt``, ``build``,
``report``, ``export``):

- **Through links**, as black and gofmt do: an output path that is a symbolic link (or
  lies under one) has its final target replaced; the link itself stays a link.
- **Regular files only**: an existing path that is, or links to, a folder, a device, a
  FIFO or a socket is refused with :class:`NotAFileError` before anything is written.
- **All or nothing**: each file is written in full to a temporary file beside its target
  (``.<name>.<random>.tmp``) and flushed to disk (``fsync``); only when every file of
  the batch is written are they renamed over their targets (``os.replace``, atomic). A
  failure on the way (disk full ``ENOSPC``, quota ``EDQUOT``, permission, an error of
  the code producing the bytes) removes the temporary files and leaves every target as
  it was. The renames come last; should one still fail, those before it are undone
  (from hard links to the old files, kept meanwhile where the file system has them).
- **Mode kept**: a replaced file keeps its permission bits (``0o777`` part); a new file
  gets ``0o666`` less the umask, as ``open()`` would give it. The owner, ACLs and
  extended attributes are those of a new file, and a hard link to the old file keeps
  the old contents (the same as for any atomic save).

Reading (:func:`read_capped`, :func:`source_lines`, :func:`open_regular`): regular
files only (a FIFO or ``/dev/zero`` behind a link would block or never end), opened
without blocking; the size is checked with ``fstat`` *before* a byte is read, and
reading stops at the limit even when the file grows meanwhile, so a refused 200 MB file
costs no memory.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

Content = bytes | Callable[[BinaryIO], None]
"""What to write: the bytes, or a function that writes them to the open (binary) file."""

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


class NotAFileError(OSError):
    """The path exists and is (or links to) something other than a regular file.
    ``strerror`` says what it is ("is a folder, not a regular file")."""

    def __init__(self, path: str | os.PathLike[str], mode: int) -> None:
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        code = errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL
        super().__init__(code, f"is {kind}, not a regular file", os.fspath(path))


class TooLargeError(OSError):
    """The file is larger than the reader's limit. ``size`` is its size in bytes (as
    ``fstat`` gave it; ``None`` when it grew past the limit while being read) and
    ``limit`` the limit in bytes."""

    def __init__(self, path: str | os.PathLike[str], size: int | None, limit: int) -> None:
        self.size, self.limit = size, limit
        what = f"{size:,} bytes" if size is not None else "grew while being read"
        super().__init__(errno.EFBIG, f"too large ({what}; the limit is {limit:,})", path)


def output_target(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` replaces: ``path`` with every symbolic link resolved
    (a dangling link gives the file it names). Raises :class:`NotAFileError` when that
    exists and is not a regular file, OSError for a link loop or an unreadable folder."""
    target = Path(os.path.realpath(path))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as e:
        raise OSError(e.errno, e.strerror, os.fspath(path)) from None
    if not stat.S_ISREG(st.st_mode):
        raise NotAFileError(path, st.st_mode)
    return target


def write_file(path: str | os.PathLike[str], data: Content) -> Path:
    """Write one file (see the module's rules); returns ``path``. Raises OSError (its
    ``filename`` is ``path``), :class:`NotAFileError`, or whatever ``data`` raises; the
    old file is then untouched and no temporary file is left."""
    return write_files({Path(path): data})[0]


def write_files(files: Mapping[Path, Content]) -> list[Path]:
    """Write every ``path: content`` of ``files``, all or nothing (see the module's
    rules), creating missing parent folders; returns the paths, in order. Raises as
    :func:`write_file`."""
    staged: list[tuple[Path, Path, Path]] = []  # (path, temporary file, target)
    try:
        targets = [(Path(path), output_target(path)) for path in files]
        for (path, target), data in zip(targets, files.values(), strict=True):
            staged.append((path, _stage(path, target, data), target))
        _commit(staged)
    except BaseException:
        for _, tmp, _ in staged:
            _unlink(tmp)
        raise
    return [Path(p) for p in files]


def _commit(staged: list[tuple[Path, Path, Path]]) -> None:
    """Rename each temporary file over its target. For a batch of several files, a hard
    link to each old target is kept meanwhile (no data is copied), so that a rename
    failing half-way is undone: the files renamed before it get their old contents
    back (or are removed when they are new)."""
    olds = [_keep_old(target) for _, _, target in staged] if len(staged) > 1 else []
    done: list[int] = []
    try:
        for i, (path, tmp, target) in enumerate(staged):
            try:
                os.replace(tmp, target)
            except OSError as e:
                raise OSError(e.errno, e.strerror, os.fspath(path)) from e
            done.append(i)
    except BaseException:
        for i in reversed(done if olds else []):
            existed, old = olds[i]
            with contextlib.suppress(OSError):
                if old is not None:
                    os.replace(old, staged[i][2])
                elif not existed:
                    staged[i][2].unlink()
        raise
    finally:
        for _, old in olds:
            if old is not None:
                _unlink(old)


def _keep_old(target: Path) -> tuple[bool, Path | None]:
    """``(whether target exists, a new hard link to it)``; no link where the file system
    has none (the rename is then not undone)."""
    if not target.exists():
        return False, None
    old = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
    try:
        os.link(target, old)
    except OSError:
        return True, None
    return True, old


def _stage(path: Path, target: Path, data: Content) -> Path:
    """Write ``data`` to a new temporary file beside ``target``, with ``target``'s mode;
    the temporary file is removed again if anything fails."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode) & 0o777
    except FileNotFoundError:
        mode = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp, fd = _create(target, 0o600 if mode is not None else 0o666)
    except OSError as e:
        raise OSError(e.errno, e.strerror, os.fspath(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            if mode is not None:
                _chmod(f, tmp, mode)
            if callable(data):
                data(f)
            else:
                f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        _unlink(tmp)
        raise OSError(e.errno, e.strerror, os.fspath(path)) from e
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _create(target: Path, mode: int) -> tuple[Path, int]:
    """A new file ``.<name>.<random>.tmp`` beside ``target``, opened for writing."""
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return tmp, os.open(tmp, _WRITE_FLAGS, mode)
        except FileExistsError:
            continue


def _chmod(f: BinaryIO, path: Path, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(f.fileno(), mode)
    else:  # pragma: no cover - Windows
        os.chmod(path, mode)


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):  # the folder went away meanwhile
        path.unlink(missing_ok=True)


def open_regular(path: str | os.PathLike[str]) -> tuple[BinaryIO, int]:
    """``path`` opened for reading (binary; without blocking on a FIFO) and its size in
    bytes (``fstat``, taken before anything is read); raises :class:`NotAFileError`
    (closing it) when it is not a regular file, OSError."""
    fd = os.open(path, _READ_FLAGS)
    f = os.fdopen(fd, "rb")
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        f.close()
        raise NotAFileError(path, st.st_mode)
    return f, st.st_size


def read_capped(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them. Raises
    :class:`TooLargeError` (checked before reading, and again after reading ``limit``
    + 1 bytes), :class:`NotAFileError`, OSError."""
    f, size = open_regular(path)
    parts: list[bytes] = []
    total, want = 0, size + 1  # one more byte than fstat said: sees a file that grew
    with f:
        if size > limit:
            raise TooLargeError(path, size, limit)
        while total <= limit:  # read(n) allocates n bytes at once: never ask for limit
            part = f.read(min(want, limit + 1 - total))
            if not part:
                break
            parts.append(part)
            total, want = total + len(part), 1 << 20
    if total > limit:
        raise TooLargeError(path, None, limit)
    return b"".join(parts)


def source_lines(
    path: str | os.PathLike[str], numbers: Iterable[int], width: int
) -> dict[int, str]:
    """The lines ``numbers`` (1-based) of a text file, each decoded as UTF-8 (bad bytes
    replaced, a BOM dropped, the line end removed) and cut to at least ``width``
    characters: ``{number: text}``; a line past the end, or any line of a file that
    cannot be read or is not a regular file, is missing. Reads line by line and stops
    after the last one wanted, keeping at most ``4 * width`` bytes of a line, so a
    200 MB file of one line costs no memory."""
    wanted = {n for n in numbers if n >= 1}
    out: dict[int, str] = {}
    if not wanted:
        return out
    cap = 4 * width + 4  # a character is at most 4 bytes
    try:
        f, _ = open_regular(path)
    except OSError:
        return out
    last = max(wanted)
    with f:
        for n in range(1, last + 1):
            line = f.readline(cap)
            if not line:
                break
            if n in wanted:
                text = line.rstrip(b"\n").rstrip(b"\r").decode("utf-8", errors="replace")
                out[n] = text.removeprefix("\ufeff") if n == 1 else text
            rest = line
            while n < last and not rest.endswith(b"\n"):  # a long line: skip the rest
                rest = f.readline(1 << 16)
                if not rest:
                    break
    return out
