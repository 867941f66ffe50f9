"""Checking the agreements files apart, and in two processes (rmxl.pipeline.split and
rmxl.pipeline.load._planned, issue 14): the same answer as reading everything first.

The planned path reads the files that hold agreements alone after the others, and a
forked child checks some of them; it must give exactly the ledger and diagnostics (text,
order, position, knock-ons) of the plain path, on generated ledgers with every kind of
trouble, with and without the cache, and whatever goes wrong in the child.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import threading
from pathlib import Path
from typing import Any

import pytest

from rmxl.pipeline import cache, split
from rmxl.pipeline import load as loader
from rmxl.read import files as read

from conftest import AGREEMENTS, PARTNERS, base_files, run_cli, write_ledger

DAY = dt.date(2022, 9, 1)


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split any work, however small, as on a machine with two free CPUs."""
    monkeypatch.setattr(split, "MIN_WEIGHT", 0)
    monkeypatch.setattr(split, "cpus", lambda: 2)


def _pid_and(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def test_run_gives_the_values_in_order_from_two_processes(forked: None) -> None:
    got = split.run(_pid_and, list(range(7)), [10] * 7)
    assert [v for _, v in got] == [x * x for x in range(7)]
    pids = [p for p, _ in got]
    assert pids[0] == os.getpid() and pids[-1] != os.getpid()  # the later ones: the child
    assert pids == sorted(pids, key=lambda p: p != os.getpid())


def test_one_cpu_or_little_work_is_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "cpus", lambda: 1)
    monkeypatch.setattr(split, "MIN_WEIGHT", 0)
    assert {p for p, _ in split.run(_pid_and, list(range(5)), [1] * 5)} == {os.getpid()}
    monkeypatch.setattr(split, "cpus", lambda: 2)
    monkeypatch.setattr(split, "MIN_WEIGHT", 100)
    assert {p for p, _ in split.run(_pid_and, list(range(5)), [1] * 5)} == {os.getpid()}
    assert not split.can_split(99) and split.can_split(100) == (os.name == "posix")


def test_another_thread_keeps_it_one_process(forked: None) -> None:
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not split.can_split(10**9)
        assert {p for p, _ in split.run(_pid_and, [1, 2, 3], [1, 1, 1])} == {os.getpid()}
    finally:
        stop.set()
        t.join()


def test_cut_keeps_a_share_here() -> None:
    assert split._cut([10] * 10) == 6  # the sixth item's middle is at 55 %: kept here
    assert split._cut([100, 1, 1]) == 1  # at least one item here
    assert split._cut([1, 100]) == 2  # both here: nothing for the child
    assert split._cut([5]) == 1


def _failing_in_child(how: str) -> Any:
    parent = os.getpid()

    def fn(x: int) -> Any:
        if os.getpid() != parent:
            if how == "raise":
                raise RuntimeError("child")
            if how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            if how == "exit":
                raise SystemExit(0)
            if how == "uncacheable":
                return {x}  # a set: the cache's codec cannot carry it
        return x + 1

    return fn


@pytest.mark.parametrize("how", ["raise", "kill", "exit", "uncacheable"])
def test_a_failing_child_only_costs_time(forked: None, how: str) -> None:
    assert split.run(_failing_in_child(how), [1, 2, 3, 4], [1, 1, 1, 1]) == [2, 3, 4, 5]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the child was reaped


def test_an_error_here_ends_the_child_and_is_raised(forked: None) -> None:
    def fn(x: int) -> int:
        if x == 0:
            raise ValueError("here")
        return x

    with pytest.raises(ValueError, match="here"):
        split.run(fn, [0, 1, 2], [1, 1, 1])
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


# -- the planned path against the plain one ---------------------------------------------


def _renamed(text: str, prefix: str) -> str:
    return text.replace("id: A-", f"id: {prefix}-")


TROUBLES = [
    "none",
    "unknown-partner",
    "duplicate-id",
    "syntax",
    "duplicate-section",
    "mixed",
    "bom",
    "crlf",
    "empty",
    "flow-empty",
    "comment",
    "no-taxonomy",
    "broken-partners",
    "misspelt-section",
    "dash-key",
    "bad-amount",
]


def generated(root: Path, seed: int) -> Path:
    """A ledger of three agreements files with up to three troubles (seeded)."""
    rng = random.Random(seed)
    files = base_files(
        **{
            f"agreements/{year}.yaml": _renamed(AGREEMENTS, f"Y{year}")
            for year in (2021, 2022, 2023)
        }
    )
    for trouble in rng.sample(TROUBLES, rng.randint(1, 3)):
        year = rng.choice((2021, 2022, 2023))
        name = f"agreements/{year}.yaml"
        text = files[name]
        if trouble == "unknown-partner":
            text = text.replace("[uni-x]", "[uni-y]")
        elif trouble == "duplicate-id":
            text = text.replace(f"id: Y{year}-2", "id: Y2022-1")
        elif trouble == "syntax":
            text = text.replace("title: Cyber drills", "title: [Cyber drills")
        elif trouble == "duplicate-section":
            text += "agreements:\n  - id: Q-1\n"
        elif trouble == "mixed":
            files["partners.yaml"] = "partners: []\n"
            text += PARTNERS
        elif trouble == "bom":
            text = "\ufeff" + text
        elif trouble == "crlf":
            text = text.replace("\n", "\r\n")
        elif trouble == "empty":
            text = "agreements:\n"
        elif trouble == "flow-empty":
            text = "agreements: []\n"
        elif trouble == "comment":
            text = text.replace("  - id:", "# a note\n  - id:", 1)
        elif trouble == "no-taxonomy":
            files.pop("taxonomy.yaml", None)
        elif trouble == "broken-partners":
            files["partners.yaml"] = PARTNERS.replace("name: Swiss FDFA", "name: [Swiss")
        elif trouble == "misspelt-section":
            text = text.replace("agreements:", "agrements:", 1)
        elif trouble == "dash-key":
            text += "-x: 1\n"
        elif trouble == "bad-amount":
            text = text.replace("amount: 100000", "amount: -5")
        files[name] = text
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


def _entries(root: Path) -> list[cache.Entry]:
    listing = read.list_ledger(root)
    assert listing is not None
    paths = [(p, read.display_path(root, p)) for p, _ in listing.files]
    return cache.snapshot(paths, read.MAX_FILE_BYTES)


@pytest.mark.parametrize("seed", range(60))
def test_planned_is_plain_on_generated_ledgers(tmp_path: Path, forked: None, seed: int) -> None:
    root = generated(tmp_path / "l", seed)
    entries = _entries(root)
    plain = loader._plain(entries, root, DAY, None)
    planned = loader._planned(entries, root, DAY, None, parallel=True)
    if planned is not None:  # None: a file was not what it seemed (then _plain answers)
        assert planned == plain
    assert loader._validated(entries, root, DAY, None, parallel=True) == plain
    assert loader._validated(entries, root, DAY, None) == plain


@pytest.mark.parametrize("seed", range(0, 60, 3))
def test_with_the_cache_filled_warm_and_changed(
    tmp_path: Path, cache_dir: Path, forked: None, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generated(tmp_path / "l", seed)
    expected = loader._plain(_entries(root), root, DAY, None)
    assert loader.check(root, DAY, parallel=True) == expected  # filling the cache
    assert loader.check(root, DAY, parallel=True) == expected  # from it
    with monkeypatch.context() as m:
        m.setattr(split, "cpus", lambda: 1)
        assert loader.check(root, DAY + dt.timedelta(days=1), parallel=True) == loader._plain(
            _entries(root), root, DAY + dt.timedelta(days=1), None
        )
    changed = root / "agreements" / "2022.yaml"
    changed.write_bytes(changed.read_bytes().replace(b"title: Smart", b"title: Bright"))
    assert loader.check(root, DAY, parallel=True) == loader._plain(_entries(root), root, DAY, None)


def test_the_agreements_files_go_to_the_split(
    tmp_path: Path, forked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_ledger(
        tmp_path / "l",
        base_files(**{f"agreements/{y}.yaml": _renamed(AGREEMENTS, f"Y{y}") for y in (1, 2)}),
    )
    seen: list[Any] = []
    real = split.run

    def spy(fn: Any, items: Any, weights: Any, *here: Any) -> list[Any]:
        got = real(lambda i: (os.getpid(), fn(i)), items, weights, *here)
        seen.extend(pid for pid, _ in got)
        return [group for _, group in got]

    monkeypatch.setattr(split, "run", spy)
    ledger, diags = loader.check(root, DAY, parallel=True)
    assert len(seen) == 3  # the three agreements files, agreements/2022.yaml included
    assert seen[0] == os.getpid() and seen[-1] != os.getpid()
    assert ledger is not None and len(ledger.agreements) == 12
    monkeypatch.setattr(split, "run", real)
    assert (ledger, diags) == loader._plain(_entries(root), root, DAY, None)


@pytest.mark.parametrize("seed", [1, 4, 7])
def test_rmxl_validate_prints_the_same(
    tmp_path: Path, forked: None, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generated(tmp_path / "l", seed)
    monkeypatch.setenv("RMXL_CACHE", "0")
    for fmt in ("text", "json"):
        two = run_cli("validate", "--ledger", str(root), "--format", fmt)
        with monkeypatch.context() as m:
            m.setattr(split, "cpus", lambda: 1)
            assert run_cli("validate", "--ledger", str(root), "--format", fmt) == two
        assert "warning" in two[1]  # generated ledgers always have some (DAY)


def test_work_of_its_own_here_while_the_child_takes_every_item(forked: None) -> None:
    done: list[int] = []
    got = split.run(_pid_and, [1, 2], [10, 10], lambda: done.append(os.getpid()), 100)
    assert done == [os.getpid()]  # run here, once
    assert [v for _, v in got] == [1, 4] and all(p != os.getpid() for p, _ in got)
    assert split._cut([10, 10], 100) == 0 and split._cut([10, 10], 5) == 1
    done.clear()
    got = split.run(_pid_and, [1, 2], [10, 10], lambda: done.append(0), 0)  # nothing heavy
    assert done == [0] and got[0][0] == os.getpid() and got[1][0] != os.getpid()


def test_work_of_its_own_without_a_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "cpus", lambda: 1)
    done: list[int] = []
    got = split.run(_pid_and, [3], [10**7], lambda: done.append(1), 10**7)
    assert done == [1] and got == [(os.getpid(), 9)]


@pytest.mark.parametrize("seed", [2, 5, 11])
def test_one_file_changed_beside_stored_checks(
    tmp_path: Path, cache_dir: Path, forked: None, seed: int
) -> None:
    """The stored checks are decoded here while the child checks the changed file, and a
    stored check that cannot be read is made again."""
    root = generated(tmp_path / "l", seed)
    loader.check(root, DAY, parallel=True)
    changed = root / "agreements" / "2023.yaml"
    changed.write_bytes(changed.read_bytes().replace(b"title: Conn", b"title: Reconn"))
    expected = loader._plain(_entries(root), root, DAY, None)
    assert loader.check(root, DAY, parallel=True) == expected
    for entry in (cache_dir / "checked").iterdir():
        entry.write_text("garbage")
    changed.write_bytes(changed.read_bytes().replace(b"title: Reconn", b"title: Conn"))
    later = DAY + dt.timedelta(days=2)
    assert loader.check(root, later, parallel=True) == loader._plain(
        _entries(root), root, later, None
    )


def test_interrupted_while_waiting_leaves_no_child(
    forked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = open

    def interrupted(fd: Any, mode: str = "r", *rest: Any) -> Any:
        if mode == "rb":
            raise KeyboardInterrupt
        return real_open(fd, mode, *rest)

    monkeypatch.setattr(split, "open", interrupted, raising=False)
    with pytest.raises(KeyboardInterrupt):
        split.run(_pid_and, [1, 2, 3], [1, 1, 1])
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
