"""rmxl.pipeline.sessions: one compiled ledger per folder, recompiled only when a file changes."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest

from rmxl.diagnostics import LedgerError
from rmxl.pipeline import load as loader
from rmxl.pipeline.sessions import Sessions, signature

from conftest import base_files, write_ledger

EXTRA = """\
agreements:
  - id: Z-1
    title: Extra agreement
    signed: 2023-03-01
    partners: [uni-x]
    regions: [americas]
    priorities: [affordable-connectivity]
"""


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every folder the loader reads (read + validate), in order."""
    seen: list[Path] = []
    real = loader.check

    def counting(root: Path, today: object = None, parallel: bool = False) -> object:
        seen.append(root)
        return real(root, parallel=parallel)

    monkeypatch.setattr(loader, "check", counting)
    return seen


def bump(path: Path, old: str, new: str) -> None:
    """Edit a file in place, and move its mtime on (a coarse clock may not)."""
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


def test_first_call_compiles_and_answers(small: Path, reads: list[Path]) -> None:
    s = Sessions(clock=Clock())
    fig = s.figures(small)
    # CHF 2,400,000 at 0.96 = USD 2,500,000 + ITU 50,000; A-2: USD 100,000
    assert fig.total(2022, "funds") == 2_650_000.0
    assert reads == [small]


def test_no_change_reads_nothing(small: Path, reads: list[Path]) -> None:
    clock = Clock()
    s = Sessions(clock=clock)
    first = s.get(small)
    clock.now += 0.1  # within the interval: not even a stat
    assert s.get(small) is first
    clock.now += 5  # past it: stat the files, unchanged, so no read
    assert s.get(small) is first
    assert s.figures(small).total(2022, "agreements") == 3
    assert reads == [small]
    assert first.compiles == 1


def test_an_edit_changes_the_next_answer(small: Path, reads: list[Path]) -> None:
    clock = Clock()
    s = Sessions(clock=clock)
    assert s.figures(small).total(2022, "partner_funds") == 2_600_000.0
    bump(small / "agreements" / "2022.yaml", "amount: 100000,", "amount: 300000,")
    clock.now += 0.1
    assert s.figures(small).total(2022, "partner_funds") == 2_600_000.0  # not checked yet
    clock.now += 1
    assert s.figures(small).total(2022, "partner_funds") == 2_800_000.0
    assert len(reads) == 2
    assert s.get(small).compiles == 2


def test_a_new_file_is_seen(small: Path) -> None:
    clock = Clock()
    s = Sessions(clock=clock)
    assert s.figures(small).total(2023, "agreements") == 1
    write_ledger(small, {"agreements/extra.yaml": EXTRA})
    clock.now += 1
    assert s.figures(small).total(2023, "agreements") == 2


def test_a_removed_file_is_seen(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "ledger", base_files(**{"agreements/extra.yaml": EXTRA}))
    clock = Clock()
    s = Sessions(clock=clock)
    assert s.figures(root).total(2023, "agreements") == 2
    (root / "agreements" / "extra.yaml").unlink()
    clock.now += 1
    assert s.figures(root).total(2023, "agreements") == 1


def test_invalid_ledger_is_cached_with_its_error(small: Path, reads: list[Path]) -> None:
    clock = Clock()
    s = Sessions(clock=clock)
    bump(small / "agreements" / "2022.yaml", "regions: [africa]", "regions: [afrika]")
    with pytest.raises(LedgerError) as e:
        s.figures(small)
    assert "2022.yaml:6:" in str(e.value)
    clock.now += 1
    assert s.get(small).error is not None
    assert len(reads) == 1  # unchanged invalid ledger: not re-read either
    bump(small / "agreements" / "2022.yaml", "regions: [afrika]", "regions: [africa]")
    clock.now += 1
    assert s.figures(small).total(2022, "agreements") == 3


def test_each_compile_is_frozen_out_of_full_collections(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A compiled ledger is kept out of the collector's full passes (gc.freeze), and the
    objects of the one before are handed back to it first (gc.unfreeze)."""
    events: list[str] = []
    real = loader.check

    def reading(root: Path, today: object = None, parallel: bool = False) -> object:
        events.append("read")
        return real(root, parallel=parallel)

    monkeypatch.setattr(loader, "check", reading)
    monkeypatch.setattr(gc, "freeze", lambda: events.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: events.append("unfreeze"))
    clock = Clock()
    s = Sessions(clock=clock)
    s.get(small)
    clock.now += 1
    s.get(small)  # unchanged: nothing compiled, nothing frozen
    bump(small / "rates.yaml", "0.96", "0.95")
    clock.now += 1
    s.get(small)
    assert events == ["unfreeze", "read", "freeze"] * 2


def test_the_memo_is_emptied_by_a_recompile(small: Path) -> None:
    clock = Clock()
    s = Sessions(clock=clock)
    s.get(small).memo["q"] = 1
    bump(small / "rates.yaml", "0.96", "0.95")
    clock.now += 1
    assert s.get(small).memo == {}


def test_signature_lists_ledger_files_only(small: Path) -> None:
    (small / "notes.txt").write_text("not a ledger file", encoding="utf-8")
    names = [entry[0] for entry in signature(small)]
    assert names == [
        "agreements/2022.yaml",
        "partners.yaml",
        "rates.yaml",
        "taxonomy.yaml",
    ]
    assert signature(small / "missing") == ()


def test_the_synthetic_ledger_of_the_benchmarks_is_valid(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        from synth import generate
    finally:
        sys.path.pop(0)
    root = generate(60, tmp_path / "a", seed=3)
    again = generate(60, tmp_path / "b", seed=3)
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml"))
    assert len(files) == 14 and files[0] == "agreements/2013.yaml"
    assert all((root / f).read_bytes() == (again / f).read_bytes() for f in files)
    _, diags = loader.check(root)
    assert [d for d in diags if d.severity == "error"] == []
    fig = Sessions().figures(root)
    assert fig.total("2013..2023", "agreements") == 60
    assert fig.total(2013, "agreements") == 6  # 60 over 11 years: the first 5 get 6
