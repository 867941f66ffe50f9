"""rmxl.fileio, the one home of reading inputs and writing outputs: through links, only
regular files, all or nothing, mode kept; sizes checked before reading, a refused file's
line shown without reading it whole (issue 10, "Security and data loss")."""

from __future__ import annotations

import errno
import os
import stat
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from click.testing import CliRunner

from rmxl import fileio
from rmxl.cli import main
from rmxl.pipeline import load as loader
from rmxl.render.diagnostics import text as render_text
from rmxl.tools.fmt import format_paths

from conftest import base_files, write_ledger

posix = pytest.mark.skipif(os.name != "posix", reason="links, FIFOs and modes")
MiB = 2**20


def listing(folder: Path) -> dict[str, bytes | str]:
    """Every entry below ``folder`` by relative path: a file's bytes, a link's target,
    ``"folder"``."""
    out: dict[str, bytes | str] = {}
    for p in sorted(folder.rglob("*")):
        name = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[name] = f"-> {os.readlink(p)}"
        else:
            out[name] = "folder" if p.is_dir() else p.read_bytes()
    return out


# -- writing ---------------------------------------------------------------------------


@posix
def test_a_link_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "out.txt"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(Path("real") / "out.txt")  # relative, as git stores links
    fileio.write_file(link, b"new")
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "out.txt")
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert listing(tmp_path / "real") == {"out.txt": b"new"}


@posix
def test_a_dangling_link_creates_the_file_it_names(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "made.txt")
    fileio.write_file(link, b"x")
    assert link.is_symlink() and (tmp_path / "made.txt").read_bytes() == b"x"


@posix
@pytest.mark.parametrize("kind", ["folder", "fifo", "link to fifo", "link to folder"])
def test_anything_but_a_regular_file_is_refused_untouched(tmp_path: Path, kind: str) -> None:
    thing = tmp_path / "thing"
    if "fifo" in kind:
        os.mkfifo(thing)
    else:
        thing.mkdir()
    out = tmp_path / "out" if "link" in kind else thing
    if "link" in kind:
        out.symlink_to(thing)
    with pytest.raises(fileio.NotAFileError) as e:
        fileio.write_file(out, b"data")
    assert e.value.filename == str(out) and "not a regular file" in str(e.value.strerror)
    assert ("FIFO" in e.value.strerror) == ("fifo" in kind)
    assert stat.S_ISFIFO(thing.lstat().st_mode) if "fifo" in kind else thing.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"thing", out.name})


@posix
def test_a_device_behind_a_link_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    link = tmp_path / "null.xlsx"
    link.symlink_to("/dev/null")
    with pytest.raises(fileio.NotAFileError, match="character device"):
        fileio.output_target(link)  # checked before a temporary file exists


@posix
def test_a_new_file_gets_the_umask_and_a_replaced_one_keeps_its_mode(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    try:
        fileio.write_file(tmp_path / "new.txt", b"x")
        assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
        os.chmod(tmp_path / "new.txt", 0o604)
        fileio.write_file(tmp_path / "new.txt", b"y")
        assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o604
    finally:
        os.umask(mask)


def failing(name: str, nth: int, code: int = errno.ENOSPC) -> Callable[..., Any]:
    """``os.<name>`` that raises OSError(code) on its ``nth`` call (1-based) from
    rmxl.fileio's writing; creating files only, for ``open``."""
    real = getattr(os, name)
    calls = [0]

    def fake(*args: Any, **kwargs: Any) -> Any:
        if name != "open" or args[1] & os.O_CREAT:
            calls[0] += 1
            if calls[0] == nth:
                raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    return fake


POINTS = [("open", n) for n in (1, 2, 3)] + [("fsync", n) for n in (1, 2, 3)]
POINTS += [("replace", n) for n in (1, 2, 3)]


@pytest.mark.parametrize(("name", "nth"), POINTS)
def test_a_batch_that_fails_anywhere_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, nth: int
) -> None:
    for n in (1, 2):
        (tmp_path / f"f{n}").write_bytes(b"old")
    before = listing(tmp_path)
    monkeypatch.setattr(os, name, failing(name, nth))
    with pytest.raises(OSError) as e:
        fileio.write_files({tmp_path / f"f{n}": b"new" for n in (1, 2, 3)})
    assert e.value.errno == errno.ENOSPC
    assert e.value.filename == str(tmp_path / f"f{nth}")  # the user's path, not a temporary
    assert listing(tmp_path) == before


def test_an_error_of_the_producing_code_leaves_no_trace(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"old")

    def half(f: BinaryIO) -> None:
        f.write(b"half a workbook")
        raise OSError(errno.EDQUOT, "Disk quota exceeded")

    with pytest.raises(OSError, match="quota"):
        fileio.write_files({tmp_path / "b": b"new", tmp_path / "a": half})
    assert listing(tmp_path) == {"a": b"old"}


# -- reading ---------------------------------------------------------------------------


def sparse(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of ``size`` bytes that takes no disk space (a hole after ``head``)."""
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(size)
    return path


def test_read_capped_checks_the_size_before_reading(tmp_path: Path) -> None:
    big = sparse(tmp_path / "big.yaml", 200 * MiB)
    tracemalloc.start()
    try:
        with pytest.raises(fileio.TooLargeError) as e:
            fileio.read_capped(big, 32 * MiB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert e.value.size == 200 * MiB and e.value.limit == 32 * MiB
    assert peak < MiB
    assert fileio.read_capped(sparse(tmp_path / "ok", 10, b"agreements"), 10) == b"agreements"


@posix
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    with pytest.raises(fileio.NotAFileError, match="FIFO"):
        fileio.read_capped(tmp_path / "pipe.yaml", 100)
    assert fileio.source_lines(tmp_path / "pipe.yaml", [1], 200) == {}


def test_source_lines_reads_only_what_it_shows(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbfone\r\n" + b"x" * 5000 + b"\ntab\there\n\xfflast")
    got = fileio.source_lines(path, [1, 2, 3, 4, 9], 10)
    assert got == {1: "one", 2: "x" * 44, 3: "tab\there", 4: "\ufffdlast"}


def test_a_refused_200_mb_ledger_file_costs_no_memory(tmp_path: Path) -> None:
    """validate (read, cache snapshot, rendering with the source line) and fmt refuse a
    200 MB file (spec limit 32 MiB) with a peak of Python memory under 8 MB."""
    root = write_ledger(tmp_path / "ledger", base_files())
    huge = sparse(root / "agreements" / "huge.yaml", 200 * MiB, b"agreements:\n  - id: X\n")
    tracemalloc.start()
    try:
        diags = loader.diagnostics(root)
        shown = render_text(diags)
        fmt = format_paths([huge], check=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(d.code, d.source and d.source.line) for d in diags if d.severity == "error"] == [
        ("yaml-too-large", 1)
    ]
    assert "the file is 200 MiB; files are read up to 32 MiB" in shown
    assert "\n    agreements:\n    ^" in shown  # its first line, read alone
    assert fmt[0][1] == "not formatted" and "yaml-too-large" in fmt[0][2]
    assert peak < 8 * MiB, f"peak {peak / MiB:.0f} MiB"


def test_a_huge_template_is_refused_unread(tmp_path: Path, small: Path) -> None:
    import rmxl.render.workbook.build  # noqa: F401  (imports are not what is measured)

    template = sparse(tmp_path / "template.yaml", 200 * MiB, b"analysis:\n")
    tracemalloc.start()
    try:
        r = CliRunner().invoke(
            main, ["build", "--ledger", str(small), "--out", str(tmp_path / "rm.xlsx")]
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)
    assert f"{template.as_posix()}:1:1: error[yaml-too-large]" in r.stderr
    assert not (tmp_path / "rm.xlsx").exists() and peak < 8 * MiB


@posix
@pytest.mark.parametrize("command", [["import", "--dry-run"], ["rates", "import", "--dry-run"]])
def test_a_spreadsheet_that_is_a_fifo_is_refused_not_waited_on(
    tmp_path: Path, small: Path, command: list[str]
) -> None:
    import signal

    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)

    def hung(signum: int, frame: Any) -> None:
        raise TimeoutError("rmxl waited on the FIFO")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    try:
        r = CliRunner().invoke(main, [*command, "--ledger", str(small), str(fifo)])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)
    assert (
        f"{fifo.as_posix()}:1:1: error[import-unreadable]: cannot read {fifo.as_posix()}: "
        "is a FIFO (named pipe), not a regular file"
    ) in r.output
