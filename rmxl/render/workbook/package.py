"""The workbook's zip, written part by part straight into the output file.

xlsxwriter's ``in_memory`` mode draws every XML part of the workbook (each sheet, the
shared strings, the charts …) into its own ``StringIO`` and only then zips them all into
a ``BytesIO``: at 100,000 agreements that is 280 MB of XML text, then its UTF-8 copy and
the zip, all in memory at once. :class:`StreamBook` keeps xlsxwriter's package exactly —
the same parts, in the same order, with the same names, date (1980-01-01) and
compression, so the same bytes — but each part is compressed into the output file while
xlsxwriter writes it, a megabyte of text at a time, so no part is ever held whole.

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
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.packager import Packager
from xlsxwriter.workbook import Workbook

EXCEL_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""The date xlsxwriter stamps on every part in in-memory mode (Excel's own)."""

FLUSH_CHARS = 1 << 20
"""Characters of XML gathered before they are encoded and compressed."""


class _Part(io.StringIO):
    """Where xlsxwriter writes one XML part: a ``StringIO`` to xlsxwriter (so it is not
    opened as a file name), whose text goes, UTF-8 encoded, into the zip member."""

    def __init__(self) -> None:
        super().__init__()
        self._member: IO[bytes] | None = None
        self._pending: list[str] = []
        self._size = 0

    def begin(self, member: IO[bytes]) -> None:
        self._member = member

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
        if text and self._member is not None:
            self._member.write(text.encode("utf-8"))

    def finish(self) -> None:
        """Write what is pending and close the zip member (closed even when the write
        fails)."""
        try:
            self._flush()
        finally:
            member, self._member = self._member, None
            if member is not None:
                member.close()


class _Parts(list[Any]):
    """xlsxwriter's list of parts, ``(source, name, is_binary)``: each part is added to
    the zip as it is listed (the previous one is then complete), so the list itself
    stays empty."""

    def __init__(self, zf: ZipFile) -> None:
        super().__init__()
        self._zip = zf
        self._open: _Part | None = None

    def append(self, entry: Any) -> None:
        source, name, binary = entry
        self.finish()
        info = ZipInfo(name, EXCEL_ZIP_DATE)
        info.compress_type = self._zip.compression
        if binary:  # an image or VBA project (rmxl adds none), as xlsxwriter writes it
            self._zip.writestr(info, source.getvalue())
        else:
            source.begin(self._zip.open(info, "w"))
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
        self._parts = _Parts(zf)
        try:
            super()._store_workbook()  # zips nothing into its own (into the _Sink)
        except BaseException:
            # Close the member being written and the zip while the file is still open (it
            # is discarded): left to the garbage collector, they would write to it closed.
            with contextlib.suppress(Exception):
                self._parts.finish()
            with contextlib.suppress(Exception):
                zf.close()
            raise
        zf.close()

    def close(self) -> None:
        try:
            super().close()
        except FileCreateError as e:
            if isinstance(e.args[0], OSError):
                raise e.args[0] from None
            raise
