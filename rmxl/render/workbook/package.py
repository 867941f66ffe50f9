"""The workbook's zip, written part by part straight into the output file.

xlsxwriter's ``in_memory`` mode draws every XML part of the workbook (each sheet, the
shared strings, the charts …) into its own ``StringIO`` and only then zips them all into
a ``BytesIO``: at 100,000 agreements that is 280 MB of XML text, then its UTF-8 copy and
the zip, all in memory at once. :class:`StreamBook` keeps xlsxwriter's package exactly —
the same parts, in the same order, with the same names, date (1980-01-01) and
compression, so the same bytes — but each part is compressed into the output file while
xlsxwriter writes it, a megabyte of text at a time, so no part is ever held whole. The
compressing (3.5 s of CPU for the 280 MB) is done by a worker thread while the next
megabyte is drawn, on a second core when there is one.

The output is the open binary file :func:`rmxl.fileio.write_file` hands to its content
function (a temporary file beside the target, renamed over it only when the workbook is
complete): a failed build still leaves the previous workbook as it was.

This relies on two hooks of xlsxwriter's packaging: ``Workbook._get_packager`` (meant to
be overridden) and ``Packager._filename`` (the writer of each part; in in-memory mode a
``StringIO``); tests/test_workbook_stream.py checks the bytes against xlsxwriter's own
in-memory package.
"""

from __future__ import annotations

import contextlib
import io
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.packager import Packager
from xlsxwriter.workbook import Workbook

EXCEL_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""The date xlsxwriter stamps on every part in in-memory mode (Excel's own)."""

FLUSH_CHARS = 1 << 20
"""Characters of XML gathered before they are encoded and compressed."""

AHEAD = 4
"""Requests (a megabyte each, at most) that may wait for the zip's worker thread."""


class _Zip:
    """The zip, written by one worker thread in the order it is asked — open a member,
    write to it, close it — so that compressing a megabyte (zlib lets go of the
    interpreter meanwhile) overlaps with drawing the next one: the same calls in the
    same order, so the same bytes. At most :data:`AHEAD` requests wait; the first that
    fails is raised to the caller (by a later request or by :meth:`close`), and those
    after it are skipped."""

    def __init__(self, zf: ZipFile) -> None:
        self._zf = zf
        self._member: IO[bytes] | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rmxl-zip")
        self._waiting: deque[Future[None]] = deque()
        self._failed = False

    def open(self, info: ZipInfo) -> None:
        self._ask(self._open, info)

    def write(self, data: bytes) -> None:
        self._ask(self._write, data)

    def end_member(self) -> None:
        self._ask(self._end_member)

    def writestr(self, info: ZipInfo, data: bytes) -> None:
        self._ask(self._zf.writestr, info, data)

    def close(self) -> None:
        """Wait for every request (raising the first failure), then close the zip."""
        try:
            while self._waiting:
                self._waiting.popleft().result()
        finally:
            self._pool.shutdown()
        self._zf.close()

    def abandon(self) -> None:
        """After a failure: stop the worker, then close the member and the zip while the
        file (which is discarded) is still open — left to the garbage collector, they
        would write to it closed."""
        self._pool.shutdown(cancel_futures=True)
        with contextlib.suppress(Exception):
            if self._member is not None:
                self._member.close()
        with contextlib.suppress(Exception):
            self._zf.close()

    def _ask(self, fn: Callable[..., Any], *args: Any) -> None:
        self._waiting.append(self._pool.submit(self._run, fn, *args))
        while len(self._waiting) > AHEAD:
            self._waiting.popleft().result()

    def _run(self, fn: Callable[..., Any], *args: Any) -> None:
        if self._failed:
            return
        try:
            fn(*args)
        except BaseException:
            self._failed = True
            raise

    def _open(self, info: ZipInfo) -> None:
        self._member = self._zf.open(info, "w")

    def _write(self, data: bytes) -> None:
        assert self._member is not None
        self._member.write(data)

    def _end_member(self) -> None:
        member, self._member = self._member, None
        if member is not None:
            member.close()


class _Part(io.StringIO):
    """Where xlsxwriter writes one XML part: a ``StringIO`` to xlsxwriter (so it is not
    opened as a file name), whose text goes, UTF-8 encoded, into the zip member."""

    def __init__(self) -> None:
        super().__init__()
        self._zip: _Zip | None = None
        self._pending: list[str] = []
        self._size = 0

    def begin(self, zip_: _Zip) -> None:
        self._zip = zip_

    def write(self, text: str) -> int:
        self._pending.append(text)
        self._size += len(text)
        if self._size >= FLUSH_CHARS:
            self._flush()
        return len(text)

    def _flush(self) -> None:
        text = "".join(self._pending)
        self._pending.clear()
        self._size = 0
        if text and self._zip is not None:
            self._zip.write(text.encode("utf-8"))

    def finish(self) -> None:
        """Write what is pending and close the zip member."""
        self._flush()
        if self._zip is not None:
            self._zip.end_member()
            self._zip = None


class _Parts(list[Any]):
    """xlsxwriter's list of parts, ``(source, name, is_binary)``: each part is added to
    the zip as it is listed (the previous one is then complete), so the list itself
    stays empty."""

    def __init__(self, zip_: _Zip) -> None:
        super().__init__()
        self._zip = zip_
        self._open: _Part | None = None

    def append(self, entry: Any) -> None:
        source, name, binary = entry
        self.finish()
        info = ZipInfo(name, EXCEL_ZIP_DATE)
        info.compress_type = ZIP_DEFLATED
        if binary:  # an image or VBA project (rmxl adds none), as xlsxwriter writes it
            self._zip.writestr(info, source.getvalue())
        else:
            self._zip.open(info)
            source.begin(self._zip)
            self._open = source

    def finish(self) -> None:
        if self._open is not None:
            part, self._open = self._open, None
            part.finish()


class _StreamPackager(Packager):
    def __init__(self, parts: _Parts) -> None:
        super().__init__()
        self.filenames = parts

    def _filename(self, xml_filename: str) -> _Part:
        part = _Part()
        self.filenames.append((part, xml_filename, False))
        return part

    def _create_package(self) -> list[Any]:
        super()._create_package()
        self.filenames.finish()
        return []  # nothing left for xlsxwriter to zip


class _Sink(io.BytesIO):
    """Where xlsxwriter's own zip goes: an empty one (the parts go to the target). It
    is never closed, so that closing that zip always works, also when the garbage
    collector does it after a failed build (and finalizes the sink first)."""

    def close(self) -> None:
        pass


class StreamBook(Workbook):
    """An xlsxwriter workbook (in-memory mode, whose options it takes) that, on
    :meth:`close`, writes its zip into ``target``, a binary file open for writing and
    seekable, part by part (module doc). ``close`` raises the OSError of a failed write
    (disk full …) as it is, not wrapped in xlsxwriter's ``FileCreateError``."""

    def __init__(self, target: IO[bytes], options: dict[str, Any]) -> None:
        super().__init__(_Sink(), {**options, "in_memory": True})
        self._target = target
        self._parts: _Parts | None = None

    def _get_packager(self) -> Packager:
        assert self._parts is not None
        return _StreamPackager(self._parts)

    def _store_workbook(self) -> None:
        zf = ZipFile(self._target, "w", compression=ZIP_DEFLATED, allowZip64=self.allow_zip64)
        out = _Zip(zf)
        self._parts = _Parts(out)
        try:
            super()._store_workbook()  # zips nothing into its own (into the _Sink)
            out.close()
        except BaseException:
            out.abandon()
            raise

    def close(self) -> None:
        try:
            super().close()
        except FileCreateError as e:
            if isinstance(e.args[0], OSError):
                raise e.args[0] from None
            raise
