"""Nothing read from the cache can run code or change an answer (issue 10): a pickle that
would run a command, a crafted entry, an entry owned by another user or writable by
others, a link, a world-writable cache folder are all ignored; the folder is private."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import stat
from pathlib import Path
from typing import Any

import pytest

from rmxl.pipeline import cache, codec
from rmxl.pipeline import load as loader

from conftest import AGREEMENTS, base_files, write_ledger

DAY = dt.date(2022, 9, 1)


class Boom:
    """Unpickling this runs a shell command that creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (os.system, (f"touch {self.marker}",))


def faulty(root: Path) -> Path:
    """A ledger with one error (an unknown region): a forged entry would say "clean"."""
    bad = AGREEMENTS.replace("regions: [americas]", "regions: [amercas]")
    return write_ledger(root, base_files(**{"agreements/2022.yaml": bad}))


def forge_clean(cache_dir: Path) -> list[Path]:
    """Replace every diagnostics entry by a well-formed one that says "no diagnostics"."""
    found = sorted((cache_dir / "diags").glob("*.json"))
    for path in found:
        head, _ = json.loads(path.read_bytes())
        path.write_text(json.dumps([head, codec.encode([])]))
        path.chmod(0o600)
    return found


def test_the_forged_entry_would_be_believed_if_it_were_trusted(
    tmp_path: Path, cache_dir: Path
) -> None:
    # the control for the tests below: an entry of the user's own is read
    root = faulty(tmp_path / "l")
    assert "unknown-region" in [d.code for d in loader.diagnostics(root, DAY)]
    assert forge_clean(cache_dir)
    assert loader.diagnostics(root, DAY) == []


def test_a_pickle_that_runs_a_command_runs_nothing(tmp_path: Path, cache_dir: Path) -> None:
    root = faulty(tmp_path / "l")
    fresh = loader.check(root, DAY)
    marker = tmp_path / "marker"
    assert pickle.loads(pickle.dumps(Boom(marker))) == 0 and marker.exists()  # it would
    marker.unlink()
    entries = sorted(cache_dir.glob("*/*.json"))
    assert len(entries) == 7
    for path in entries:
        path.write_bytes(pickle.dumps(((b"rmxl-cache", path.parent.name, path.stem), Boom(marker))))
        path.with_suffix(".pickle").write_bytes(pickle.dumps(Boom(marker)))
    assert loader.check(root, DAY) == fresh
    assert loader.diagnostics(root, DAY) == fresh[1]
    assert not marker.exists()


CRAFTED = [
    ["C", "system", [["r", ["touch marker"]]]],  # a class that is not rmxl's
    ["C", "Source", [["r", ["a.yaml"]], ["r", [1]]]],  # a field missing
    ["C", "Source", [["r", ["a.yaml"]], ["r", ["1"]], ["r", [1]]]],  # a text for a line
    ["C", "Source", [["r", ["a.yaml"]], ["r", [1, 2]], ["r", [1]]]],  # columns differ
    ["s", ["x"], [3]],  # an index out of range
    ["T", "t", [2], ["r", [1]]],  # counts that do not add up
    ["T", "set", [1], ["r", [1]]],  # an unknown kind of sequence
    ["D", ["NaN"]],
    ["a", [10**9]],  # no such date
    ["N", 1, [5], ["r", [1]]],
    ["M", [1], ["r", [[]]], ["r", [1]]],  # an unhashable key
    ["x", []],
    "text",
    [],
]
CRAFTED_TEXT = [json.dumps(v) for v in CRAFTED] + [
    "[" * 5000 + "]" * 5000,  # deeper than the JSON reader recurses
    '["g",[' * 3000 + '["r",[1]]' + "]]" * 3000,  # deeper than the decoder recurses
    '{"__class__": "os.system"}',
]


@pytest.mark.parametrize("text", CRAFTED_TEXT, ids=range(len(CRAFTED_TEXT)))
def test_a_crafted_entry_is_a_miss_not_a_crash(cache_dir: Path, text: str) -> None:
    store = cache.Store(cache_dir)
    store.put("diags", "k", [])
    path = store.path("diags", "k")
    path.write_text(f'[["rmxl-cache",{cache.FORMAT},"diags","k"],{text}]')
    assert store.get("diags", "k") is cache.MISSING


@pytest.mark.skipif(os.getuid() != 0, reason="chown needs root")
def test_an_entry_owned_by_another_user_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    root = faulty(tmp_path / "l")
    fresh = loader.diagnostics(root, DAY)
    for path in forge_clean(cache_dir):
        os.chown(path, 12345, 12345)
    assert loader.diagnostics(root, DAY) == fresh


def test_entries_of_another_uid_are_ignored(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # without root: the process takes another uid, so every entry is someone else's
    store = cache.Store(cache_dir)
    store.put("diags", "k", ["mine"])
    assert store.get("diags", "k") == ["mine"]
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache_dir).st_uid + 1)
    assert store.get("diags", "k") is cache.MISSING
    assert cache.Store.open() is None  # and the folder too


def test_an_entry_writable_by_others_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    root = faulty(tmp_path / "l")
    fresh = loader.diagnostics(root, DAY)
    for mode in (0o666, 0o620):  # world-writable, group-writable
        for path in forge_clean(cache_dir):
            path.chmod(mode)
        assert loader.diagnostics(root, DAY) == fresh


def test_an_entry_that_is_a_link_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    store = cache.Store(cache_dir)
    store.put("diags", "real", ["x"])
    store.path("diags", "link").symlink_to(store.path("diags", "real"))
    assert store.get("diags", "real") == ["x"]
    assert store.get("diags", "link") is cache.MISSING


def test_the_folder_is_created_private(tmp_path: Path, cache_dir: Path) -> None:
    loader.check(faulty(tmp_path / "l"), DAY)
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    for sub in cache_dir.iterdir():
        if sub.is_dir():
            assert stat.S_IMODE(sub.stat().st_mode) == 0o700, sub
            for entry in sub.iterdir():
                assert stat.S_IMODE(entry.stat().st_mode) == 0o600, entry


def test_a_world_writable_folder_is_not_used(tmp_path: Path, cache_dir: Path) -> None:
    root = faulty(tmp_path / "l")
    fresh = loader.diagnostics(root, DAY)
    forge_clean(cache_dir)
    cache_dir.chmod(0o777)
    assert cache.Store.open() is None
    assert loader.diagnostics(root, DAY) == fresh
    cache_dir.chmod(0o700)
    assert loader.diagnostics(root, DAY) == []  # the forged entry: the folder was not used
