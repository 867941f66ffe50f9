"""`rmxl fmt` on real files (issue 10, "fmt"): line ends kept, a refusal names the
file:line:col and says what to do, and the comment check takes time in proportion to the
file's size."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_fmt import CANONICAL, MESSY

from rmxl.cli import main
from rmxl.tools.fmt import comments, format_paths, format_text, newline_of, write_texts

# -- line ends -------------------------------------------------------------------------


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


def test_a_crlf_file_stays_crlf(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(crlf(MESSY))
    assert format_paths([path], check=False)[0][1] == "formatted"
    assert path.read_bytes() == crlf(CANONICAL)  # every line, none LF


def test_a_formatted_crlf_file_is_unchanged_for_check(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(crlf(CANONICAL))
    assert format_paths([path], check=True) == [(path, "unchanged", "")]


@pytest.mark.parametrize(
    ("first", "others", "result"),
    [("\r\n", "\n", "\r\n"), ("\n", "\r\n", "\n")],
)
def test_mixed_line_ends_take_the_first_line_s(
    tmp_path: Path, first: str, others: str, result: str
) -> None:
    head, rest = CANONICAL.split("\n", 1)
    path = tmp_path / "a.yaml"
    path.write_bytes((head + first + rest.replace("\n", others)).encode())
    assert newline_of(path.read_bytes()) == result
    assert format_paths([path], check=False)[0][1] == "formatted"
    assert path.read_bytes() == CANONICAL.replace("\n", result).encode()


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ("agreements:\r  - id: A\r    title: T\r", "a.yaml:1:12:"),
        ("agreements:\n  - id: A\n    title: T\r    notes: N\n", "a.yaml:3:13:"),
    ],
)
def test_a_line_ending_in_cr_alone_is_refused_at_it(tmp_path: Path, raw: str, where: str) -> None:
    # before: an IndexError traceback (the YAML parser counts a lone CR as a line end,
    # the comment scan did not); the file's line ends are neither LF nor CRLF
    path = tmp_path / "a.yaml"
    path.write_bytes(raw.encode())
    [(_, outcome, why)] = format_paths([path], check=False)
    assert outcome == "not formatted" and path.read_bytes() == raw.encode()
    assert why.startswith(f"{path.parent.as_posix()}/{where} error[fmt-refused]: a line ends in")
    assert why.endswith("(save the file with LF or CRLF line ends, then run rmxl fmt again)")


# -- refusals --------------------------------------------------------------------------

MOVED = (
    "agreements:\n  - title: Smart villages\n    # id assigned on 2022-03-20\n"
    "    id: BDT-1\n    signed: 2022-03-14\n"
)
LOST = "agreements:\n  - id: A\n    partners: [acme, # the lead partner\n      uni-x]\n"


def test_a_moved_comment_refusal_points_at_the_key_and_says_what_to_do() -> None:
    _, why = format_text(MOVED, "a.yaml")
    assert why.startswith("a.yaml:4:5: error[fmt-refused]: a comment stands before 'id'")
    assert "the file is left untouched" in why
    assert "move that comment above the record, or put 'id' first" in why
    assert why.endswith("then run rmxl fmt again)")


def test_a_lost_comment_refusal_points_at_the_comment(tmp_path: Path) -> None:
    path = tmp_path / "ledger" / "agreements.yaml"
    path.parent.mkdir()
    path.write_text(LOST, encoding="utf-8")
    r = CliRunner().invoke(main, ["fmt", "--ledger", str(path.parent)])
    assert r.exit_code == 1 and path.read_text(encoding="utf-8") == LOST
    first = r.stderr.splitlines()[0]
    assert first.startswith(
        f"{path.as_posix()}:3:22: error[fmt-refused]: formatting would lose the comment "
        "'# the lead partner'; the file is left untouched ("
    )
    assert "move the comment" in first and "onto a line of its own" in first
    assert r.stderr.splitlines()[-1] == "0 file(s) reformatted, 0 unchanged, 1 not formatted"


# -- the comment check scales with the file's size -------------------------------------


def commented(n: int) -> str:
    """A formatted file of ``n`` agreements, each with a comment line and an
    end-of-line comment (the shape that took fmt --check 5.5 s at 1,200)."""
    out = ["agreements:\n"]
    for i in range(n):
        out.append(
            ("\n" if i else "")
            + f"  # agreement {i}\n  - id: A-{i}  # eol {i}\n    title: Smart villages {i}\n"
            f"    signed: 2022-03-14\n    partners: [acme, uni-x]\n    regions: [africa]\n"
            "    contributions:\n"
            "      - {by: acme, amount: 2_400_000, currency: CHF}\n"
            "      - {by: ITU, amount: 50000.50, currency: USD}\n"
        )
    return "".join(out)


def operations(fn: Any, *args: Any) -> int:
    """Python and C function calls (and generator steps) made by ``fn(*args)``."""
    count = [0]

    def profile(frame: Any, event: str, arg: Any) -> None:
        count[0] += 1

    sys.setprofile(profile)
    try:
        fn(*args)
    finally:
        sys.setprofile(None)
    return count[0]


def test_the_comment_check_is_linear_in_the_file_size() -> None:
    """8 times the agreements cost at most 10 times the operations, for the comment
    check (it was 54 times: every comment compared with every value) and for the whole
    of formatting a file (it was 12.1 times). Counted, not timed: the same on any
    machine; the times are in bench/bench_fmt.py."""
    small, large = commented(12), commented(96)
    assert len(comments(large)) == 192  # none of the values is taken for a comment
    assert operations(comments, large) <= 10 * operations(comments, small)
    assert format_text(large) == (large, "")  # already formatted
    assert operations(format_text, large) <= 10 * operations(format_text, small)


def test_import_and_rates_fill_keep_each_file_s_line_ends(tmp_path: Path) -> None:
    """They write with write_texts: an existing CRLF file stays CRLF, a new one is LF."""
    old = tmp_path / "rates.yaml"
    old.write_bytes(b"rates:\r\n  CHF:\r\n    2022-01-01: 0.96\r\n")
    new = tmp_path / "agreements" / "2024.yaml"
    write_texts({old: "rates:\n  CHF:\n    2022-01-01: 0.96\n    2022-02-01: 0.97\n", new: "a:\n"})
    assert (
        old.read_bytes() == b"rates:\r\n  CHF:\r\n    2022-01-01: 0.96\r\n    2022-02-01: 0.97\r\n"
    )
    assert new.read_bytes() == b"a:\n"


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_fmt_reports_ledger_entries_that_are_no_regular_file(tmp_path: Path) -> None:
    """A FIFO or a folder named like a ledger file is not read by validate (spec §6:
    file-unreadable); fmt says so too, and never opens the FIFO (it would wait forever)."""
    import os

    root = tmp_path / "ledger"
    root.mkdir()
    (root / "taxonomy.yaml").write_text(CANONICAL, encoding="utf-8")
    os.mkfifo(root / "pipe.yaml")
    (root / "dir.yaml").mkdir()
    r = CliRunner().invoke(main, ["fmt", "--check", "--ledger", str(root)])
    assert r.exit_code == 1
    pipe = f"{(root / 'pipe.yaml').as_posix()}:1:1: error[file-unreadable]: "
    assert pipe in r.output and "is a FIFO, not a regular file" in r.output
    assert "dir.yaml' is a folder, not a regular file" in r.output
    assert r.output.rstrip().endswith(
        "0 file(s) would be reformatted, 1 unchanged, 2 not formatted"
    )
