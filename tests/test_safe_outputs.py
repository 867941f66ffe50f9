"""What rmxl's writing commands (fmt, build, report, export) do with links, with paths
that are not regular files and with a full disk: write through the link, refuse with one
line, and leave every previous output exactly as it was (issue 10, "Security and data
loss"). The writer itself is tested in test_fileio.py."""

from __future__ import annotations

import errno
import os
import resource
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_fileio import failing, listing

from rmxl.cli import main

from conftest import DEMO, base_files, write_ledger

posix = pytest.mark.skipif(os.name != "posix", reason="links, FIFOs and rlimits")
REPORT = ["report", "--ledger", str(DEMO), "--period", "2022"]
CHARTS = ["cofinancing", "funds-by-partner-type", "priorities", "regions"]  # report-<name>.png


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache writes files too (and ignores its failures): off, so that the n-th
    write counted is the command's own."""
    monkeypatch.setenv("RMXL_CACHE", "0")


def invoke(*args: str) -> tuple[int, str, str]:
    """Run rmxl in process; fails the test if it ended in an exception (a traceback)."""
    r = CliRunner().invoke(main, list(args))
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.stdout, r.stderr


def error_lines(err: str) -> list[str]:
    """stderr without build's progress label."""
    return [ln for ln in err.splitlines() if ln and not ln.startswith("building workbook")]


@pytest.fixture
def old_report(tmp_path: Path) -> Iterator[Path]:
    """A folder holding a previous report r.docx, its chart PNGs and a workbook."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ["r.docx", "rm.xlsx", *(f"r-{c}.png" for c in CHARTS)]:
        (out / name).write_bytes(b"previous " + name.encode())
    yield out


# -- links -----------------------------------------------------------------------------


@posix
def test_fmt_formats_a_linked_file_through_its_link(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "ledger", base_files())
    shared = tmp_path / "shared"
    shared.mkdir()
    (root / "partners.yaml").rename(shared / "partners.yaml")
    (root / "partners.yaml").symlink_to(Path("..") / "shared" / "partners.yaml")
    before = (shared / "partners.yaml").read_bytes()
    code, out, _ = invoke("fmt", "--ledger", str(root))
    assert code == 0 and f"formatted {root.as_posix()}/partners.yaml" in out
    assert (root / "partners.yaml").is_symlink()  # git sees no typechange
    assert (shared / "partners.yaml").read_bytes() != before  # the target was formatted
    assert invoke("fmt", "--check", "--ledger", str(root))[0] == 0


@posix
def test_build_out_a_link_writes_the_workbook_through_it(tmp_path: Path, small: Path) -> None:
    (tmp_path / "books").mkdir()
    link = tmp_path / "rm.xlsx"
    link.symlink_to(Path("books") / "rm.xlsx")
    code, _, _ = invoke("build", "--ledger", str(small), "--out", str(link))
    assert code == 0 and link.is_symlink()
    assert (tmp_path / "books" / "rm.xlsx").read_bytes()[:2] == b"PK"


@posix
@pytest.mark.parametrize("command", ["build", "report"])
def test_an_out_that_is_a_fifo_is_refused_and_kept(
    tmp_path: Path, small: Path, command: str
) -> None:
    """As root, `--out` naming a device node replaced it; a FIFO stands in for one."""
    fifo = tmp_path / ("x.xlsx" if command == "build" else "x.docx")
    os.mkfifo(fifo)
    args = ["build", "--ledger", str(small)] if command == "build" else REPORT
    code, _, err = invoke(*args, "--out", str(fifo))
    assert code == 1 and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert error_lines(err) == [
        f"cannot write {fifo}: is a FIFO (named pipe), not a regular file (nothing was written)"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["ledger", fifo.name])


# -- a full disk, at several points ----------------------------------------------------

# report --out r.docx writes five files (four charts, then the document): the first
# file's creation, the third's flush to disk, the document's flush, the first rename
POINTS = [("open", 1), ("fsync", 3), ("fsync", 5), ("replace", 1)]


@pytest.mark.parametrize(("name", "nth"), POINTS)
def test_report_on_a_full_disk_leaves_the_previous_report_and_charts(
    old_report: Path, monkeypatch: pytest.MonkeyPatch, name: str, nth: int
) -> None:
    before = listing(old_report)
    monkeypatch.setattr(os, name, failing(name, nth))
    code, out, err = invoke(*REPORT, "--out", str(old_report / "r.docx"))
    assert (code, out) == (1, "")
    [line] = error_lines(err)
    assert line.startswith(f"cannot write {old_report}/r")
    assert line.endswith(": No space left on device (nothing was written)")
    assert listing(old_report) == before  # no chart replaced, no temporary file left


@pytest.mark.parametrize(("name", "code"), [("fsync", errno.EDQUOT), ("replace", errno.EACCES)])
def test_build_that_cannot_write_keeps_the_previous_workbook(
    old_report: Path, small: Path, monkeypatch: pytest.MonkeyPatch, name: str, code: int
) -> None:
    before = listing(old_report)
    monkeypatch.setattr(os, name, failing(name, 1, code))
    status, _, err = invoke("build", "--ledger", str(small), "--out", str(old_report / "rm.xlsx"))
    assert status == 1
    assert error_lines(err) == [
        f"cannot write {old_report}/rm.xlsx: {os.strerror(code)} (nothing was written)"
    ]
    assert listing(old_report) == before


def test_fmt_that_cannot_write_names_the_file_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_ledger(tmp_path / "ledger", base_files())
    before = listing(root)
    monkeypatch.setattr(os, "fsync", failing("fsync", 1))
    code, _, err = invoke("fmt", "--ledger", str(root), str(root / "partners.yaml"))
    assert code == 1 and listing(root) == before
    assert err.splitlines()[0] == (
        f"{root.as_posix()}/partners.yaml: cannot write: No space left on device "
        "(the file is unchanged)"
    )


def test_export_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "export"
    assert invoke("export", "--ledger", str(DEMO), "--format", "csv", "--out", str(out))[0] == 0
    before = listing(out)
    monkeypatch.setattr(os, "replace", failing("replace", 3))  # after two renames: undone
    code, _, err = invoke("export", "--ledger", str(DEMO), "--format", "json", "--out", str(out))
    assert code == 1 and "No space left on device" in err
    assert listing(out) == before


# -- a real write failure of the kernel ------------------------------------------------


def _rmxl(args: list[str], max_file_bytes: int, cwd: Path) -> subprocess.CompletedProcess[str]:
    """rmxl in a child process that may write no file larger than ``max_file_bytes``:
    the kernel fails the write with EFBIG, as it fails one with ENOSPC on a full disk
    (Python ignores SIGXFSZ)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    env = {**os.environ, "RMXL_CACHE": "0", "PYTHONDONTWRITEBYTECODE": "1"}
    code = "import sys; from rmxl.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        preexec_fn=limit,
        check=False,
        timeout=300,
    )


@posix
@pytest.mark.parametrize("command", ["build", "report"])
def test_a_write_the_kernel_fails_is_one_line_and_changes_nothing(
    old_report: Path, small: Path, command: str
) -> None:
    before = listing(old_report)
    args: list[Any] = (
        ["build", "--ledger", str(small), "--out", "rm.xlsx"]
        if command == "build"
        else [*REPORT, "--out", "r.docx"]
    )
    done = _rmxl(args, 20_000, old_report)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    [line] = error_lines(done.stderr)
    assert line.startswith("cannot write r") and line.endswith(
        ": File too large (nothing was written)"
    )
    assert listing(old_report) == before


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MiB tmpfs (root with mount rights only; else the test is skipped),
    unmounted afterwards."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)]
    if subprocess.run(mount, capture_output=True, check=False).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, check=False)


@posix
def test_a_really_full_disk_leaves_the_previous_report_and_workbook(
    full_disk: Path, small: Path
) -> None:
    assert invoke(*REPORT, "--out", str(full_disk / "r.docx"))[0] == 0
    assert invoke("build", "--ledger", str(small), "--out", str(full_disk / "rm.xlsx"))[0] == 0
    free = os.statvfs(full_disk).f_bavail * os.statvfs(full_disk).f_frsize
    (full_disk / "filler").write_bytes(b"\0" * (free - 8192))  # 8 KiB left
    before = listing(full_disk)
    code, _, err = invoke(*REPORT, "--out", str(full_disk / "r.docx"))
    assert code == 1 and error_lines(err)[0].endswith(
        ": No space left on device (nothing was written)"
    )
    code, _, err = invoke("build", "--ledger", str(small), "--out", str(full_disk / "rm.xlsx"))
    assert code == 1 and error_lines(err) == [
        f"cannot write {full_disk}/rm.xlsx: No space left on device (nothing was written)"
    ]
    assert listing(full_disk) == before
