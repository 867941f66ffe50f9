"""The content-hash cache: a hit gives the very answer of a fresh run, a change is seen,
a corrupt or foreign entry is ignored and rewritten, concurrent writers never corrupt it,
and ``rmxl validate`` stays free of pandas (its safety: tests/test_cache_security.py)."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rmxl.diagnostics import Diagnostic
from rmxl.pipeline import cache
from rmxl.pipeline import load as loader
from rmxl.read import files as read

from conftest import AGREEMENTS, DEMO, ROOT, base_files, write_ledger

DAY = dt.date(2022, 9, 1)  # A-3 (signed 2022-09-30) is then in the future: a warning


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The display paths of the files actually parsed (not taken from the cache)."""
    seen: list[str] = []
    real = loader.read_bytes

    def spy(raw: bytes, file: str, diags: list[Diagnostic]) -> Any:
        seen.append(file)
        return real(raw, file, diags)

    monkeypatch.setattr(loader, "read_bytes", spy)
    return seen


def faulty(root: Path) -> Path:
    """The inline ledger with an error (unknown region) and a warning (future date)."""
    bad = AGREEMENTS.replace("regions: [americas]", "regions: [amercas]")
    return write_ledger(root, base_files(**{"agreements/2022.yaml": bad}))


def uncached(root: Path, monkeypatch: pytest.MonkeyPatch, day: dt.date = DAY) -> Any:
    with monkeypatch.context() as m:
        m.setenv("RMXL_CACHE", "0")
        return loader.check(root, day)


def test_cached_answers_equal_fresh_ones(
    tmp_path: Path, cache_dir: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = faulty(tmp_path / "ledger")
    fresh = uncached(root, monkeypatch)
    assert [d.code for d in fresh[1]] == ["rate-stale", "future-date", "unknown-region"]
    parses.clear()
    first = loader.check(root, DAY)  # fills the cache
    assert len(parses) == 4
    parses.clear()
    second = loader.check(root, DAY)  # every answer from the cache
    assert parses == []
    assert first == fresh and second == fresh
    assert loader.diagnostics(root, DAY) == fresh[1]
    assert len(list((cache_dir / "shape").glob("*.json"))) == 4
    assert len(list((cache_dir / "checked").glob("*.json"))) == 1
    assert len(list((cache_dir / "ledger").glob("*.json"))) == 1


def test_read_diagnostics_come_back_from_the_cache(
    tmp_path: Path, cache_dir: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = AGREEMENTS.replace("  - id: A-2\n", "  - id: A-2\n    id: A-2b\n")
    root = write_ledger(tmp_path / "ledger", base_files(**{"agreements/2022.yaml": broken}))
    (root / "notes.yaml").write_text("x: [unclosed\n", encoding="utf-8")
    fresh = uncached(root, monkeypatch)
    codes = [d.code for d in fresh[1] if d.severity == "error"]
    assert "yaml-duplicate-key" in codes and "yaml-syntax" in codes
    loader.check(root, DAY)
    parses.clear()
    assert loader.check(root, DAY) == fresh and parses == []
    assert loader.diagnostics(root, DAY) == fresh[1]


def test_diagnostics_first_then_the_ledger(
    tmp_path: Path, cache_dir: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_ledger(tmp_path / "ledger", base_files())
    diags = loader.diagnostics(root, DAY)  # what rmxl validate stores: no ledger
    assert not (cache_dir / "ledger").exists()
    parses.clear()
    ledger, again = loader.check(root, DAY)  # rebuilt: the agreements' check is cached
    assert sorted(Path(p).name for p in parses) == ["partners.yaml", "rates.yaml", "taxonomy.yaml"]
    assert again == diags
    assert (ledger, again) == uncached(root, monkeypatch)
    assert len(list((cache_dir / "ledger").glob("*.json"))) == 1


def test_clean_ledger_figures_from_cache(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_ledger(tmp_path / "ledger", base_files())
    loader.load(root)
    warm = loader.load(root)
    with monkeypatch.context() as m:
        m.setenv("RMXL_CACHE", "0")
        cold = loader.load(root)
    assert warm == cold
    assert [a.id for a in warm.agreements] == ["A-1", "A-2", "A-3", "A-4"]


def test_a_changed_file_is_read_again_with_its_context_only(
    tmp_path: Path, cache_dir: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_ledger(tmp_path / "ledger", base_files())
    loader.check(root, DAY)
    parses.clear()
    path = root / "agreements" / "2022.yaml"
    path.write_text(path.read_text().replace("title: Cyber drills", "title: Cyber"))
    ledger, diags = loader.check(root, DAY)
    assert sorted(Path(p).name for p in parses) == [
        "2022.yaml",
        "partners.yaml",
        "rates.yaml",
        "taxonomy.yaml",
    ]
    assert ledger is not None and ledger.agreements[1].title == "Cyber"
    assert (ledger, diags) == uncached(root, monkeypatch)


def test_another_day_or_folder_name_is_another_answer(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = faulty(tmp_path / "ledger")
    assert "future-date" in [d.code for d in loader.check(root, DAY)[1]]
    later = loader.check(root, dt.date(2024, 1, 1))[1]
    assert "unknown-region" in [d.code for d in later]
    assert "future-date" not in [d.code for d in later]
    assert later == uncached(root, monkeypatch, dt.date(2024, 1, 1))[1]
    other = tmp_path / "other"
    root.rename(other)
    diags = loader.check(other, DAY)[1]
    assert {d.source.file.split("/")[-3] for d in diags if d.source} == {"other"}


def test_corrupt_or_foreign_entries_are_ignored_and_rewritten(
    tmp_path: Path, cache_dir: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = faulty(tmp_path / "ledger")
    fresh = loader.check(root, DAY)
    entries = sorted(cache_dir.glob("*/*.json"))
    assert len(entries) == 7  # 4 shapes, 1 checked agreements file, diagnostics, ledger
    wrong = b'[["rmxl-cache",2,"x","y"],["r",[1]]]'
    for i, path in enumerate(entries):
        data = path.read_bytes()
        path.write_bytes([b"", data[: len(data) // 2], b"garbage", wrong][i % 4])
    parses.clear()
    assert loader.check(root, DAY) == fresh
    assert len(parses) == 4  # nothing usable was found: all parsed again
    for path in entries:  # and rewritten whole
        head, _ = json.loads(path.read_bytes())
        assert head[0] == "rmxl-cache"
    parses.clear()
    assert loader.check(root, DAY) == fresh and parses == []


def test_an_entry_under_the_wrong_name_is_a_miss(cache_dir: Path) -> None:
    store = cache.Store(cache_dir)
    store.put("file", "a" * 40, "value of a")
    (cache_dir / "file" / f"{'b' * 40}.json").write_bytes(
        (cache_dir / "file" / f"{'a' * 40}.json").read_bytes()
    )
    assert store.get("file", "a" * 40) == "value of a"
    assert store.get("file", "b" * 40) is cache.MISSING
    assert store.get("diags", "a" * 40) is cache.MISSING


def test_another_rmxl_version_does_not_hit(
    tmp_path: Path, cache_dir: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_ledger(tmp_path / "ledger", base_files())
    loader.check(root, DAY)
    monkeypatch.setattr(cache, "fingerprint", lambda: b"another rmxl")
    parses.clear()
    loader.check(root, DAY)
    assert len(parses) == 4


def test_switched_off_or_unwritable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    root = faulty(tmp_path / "ledger")
    monkeypatch.setenv("RMXL_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("RMXL_CACHE", "0")
    expected = loader.check(root, DAY)
    assert cache.cache_dir() is None and not (tmp_path / "c").exists()
    monkeypatch.setenv("RMXL_CACHE", "1")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RMXL_CACHE_DIR", str(blocker / "sub"))
    parses.clear()
    assert loader.check(root, DAY) == expected  # cannot write: just slower
    assert loader.check(root, DAY) == expected
    assert len(parses) == 8


def test_cache_dir_outside_the_ledger(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("RMXL_CACHE", raising=False)
    monkeypatch.delenv("RMXL_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "rmxl"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "rmxl"
    monkeypatch.setenv("RMXL_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"


def test_unreadable_file_is_reported_not_cached(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_ledger(tmp_path / "ledger", base_files())
    (root / "broken.yaml").symlink_to(root / "missing-target.yaml")
    first = loader.check(root, DAY)
    assert [d.code for d in first[1] if d.severity == "error"] == ["file-unreadable"]
    assert loader.check(root, DAY) == first == uncached(root, monkeypatch)
    assert not (cache_dir / "ledger").exists()


def test_missing_and_empty_folders_as_before(tmp_path: Path, cache_dir: Path) -> None:
    assert [d.code for d in loader.check(tmp_path / "nope")[1]] == ["ledger-not-found"]
    (tmp_path / "empty").mkdir()
    assert [d.code for d in loader.check(tmp_path / "empty")[1]] == ["ledger-empty"]


def test_prune_removes_old_entries_once_a_day(cache_dir: Path) -> None:
    store = cache.Store(cache_dir)
    store.put("file", "old", 1)
    store.put("file", "new", 2)
    old = cache_dir / "file" / "old.json"
    os.utime(old, (0, 0))
    assert store.prune() == 1
    assert not old.exists() and store.get("file", "new") == 2
    os.utime(cache_dir / "file" / "new.json", (0, 0))
    assert store.prune() == 0  # already pruned today


def _hammer(folder: str, worker: int) -> None:
    store = cache.Store(Path(folder))
    big = list(range(50_000))
    for i in range(40):
        store.put("file", "shared", (worker, i, big))
        got = store.get("file", "shared")
        assert got is cache.MISSING or got[2] == big


def test_concurrent_writers_never_corrupt(cache_dir: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_hammer, args=(str(cache_dir), w)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    _, i, big = cache.Store(cache_dir).get("file", "shared")
    assert i == 39 and big == list(range(50_000))
    assert [p.name for p in (cache_dir / "file").iterdir()] == ["shared.json"]


def test_demo_ledger_same_with_and_without_cache(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = uncached(DEMO, monkeypatch)
    loader.check(DEMO, DAY)
    assert loader.check(DEMO, DAY) == fresh
    assert fresh[0] is not None and len(fresh[0].agreements) > 50


def test_validate_imports_no_pandas_matplotlib_or_xlsxwriter(tmp_path: Path) -> None:
    root = faulty(tmp_path / "ledger")
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "import rmxl.cli\n"
        f"r = CliRunner().invoke(rmxl.cli.main, ['validate', '--ledger', {str(root)!r}])\n"
        "assert r.exit_code == 1, r.output\n"
        "assert 'unknown-region' in r.output, r.output\n"
        "heavy = [m for m in ('pandas', 'matplotlib', 'xlsxwriter') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "RMXL_CACHE_DIR": str(tmp_path / "c")}
    for _ in range(2):  # cold, then warm
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
        )
        assert done.returncode == 0, done.stderr
    # rmxl validate asks for diagnostics only: no ledger is written for it
    assert list((tmp_path / "c" / "diags").glob("*.json"))
    assert not (tmp_path / "c" / "ledger").exists()


def test_file_keys_depend_on_bytes_and_display_path() -> None:
    k = cache.file_key("ledger/a.yaml", b"x: 1\n")
    assert k == cache.file_key("ledger/a.yaml", b"x: 1\n")
    assert k != cache.file_key("ledger/a.yaml", b"x: 2\n")
    assert k != cache.file_key("other/a.yaml", b"x: 1\n")
    assert read.display_path(Path("ledger"), Path("ledger/a.yaml")) == "ledger/a.yaml"


SECOND_FILE = """\
agreements:
  - id: B-1
    title: Second file
    signed: 2022-05-02
    partners: [acme]
    regions: [cis]
    priorities: [cybersecurity]
    contributions:
      - {by: acme, amount: 5000, currency: USD}
"""


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The display paths of the files whose tree was loaded (parsed)."""
    seen: list[str] = []
    real = loader._tree

    def spy(e: cache.Entry) -> Any:
        seen.append(e.display)
        return real(e)

    monkeypatch.setattr(loader, "_tree", spy)
    return seen


def test_an_unchanged_agreements_file_is_not_even_loaded(
    tmp_path: Path, cache_dir: Path, loaded: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/b.yaml": SECOND_FILE}))
    loader.check(root, DAY)
    loaded.clear()
    (root / "agreements" / "b.yaml").write_text(SECOND_FILE.replace("Second", "2nd"))
    got = loader.check(root, DAY)
    assert "agreements/2022.yaml" not in " ".join(loaded)  # its check came from the cache
    # the taxonomy, partners and rates are parsed to check b.yaml against
    assert sorted(Path(p).name for p in loaded) == [
        "b.yaml",
        "partners.yaml",
        "rates.yaml",
        "taxonomy.yaml",
    ]
    assert got == uncached(root, monkeypatch)
    assert got[0] is not None and [a.id for a in got[0].agreements] == [
        "A-1",
        "A-2",
        "A-3",
        "A-4",
        "B-1",
    ]


def test_a_changed_partner_list_checks_every_agreements_file_again(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/b.yaml": SECOND_FILE}))
    loader.check(root, DAY)
    partners = (root / "partners.yaml").read_text().replace("  - {id: acme,", "  - {id: acme2,")
    (root / "partners.yaml").write_text(partners)
    got = loader.check(root, DAY)
    assert got == uncached(root, monkeypatch)
    unknown = [(d.code, Path(d.source.file).name) for d in got[1] if d.code == "unknown-partner"]
    assert ("unknown-partner", "2022.yaml") in unknown and ("unknown-partner", "b.yaml") in unknown


def test_an_id_repeated_in_a_changed_file_is_still_found(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_ledger(tmp_path / "l", base_files(**{"agreements/b.yaml": SECOND_FILE}))
    loader.check(root, DAY)
    (root / "agreements" / "b.yaml").write_text(SECOND_FILE.replace("B-1", "A-2"))
    got = loader.check(root, DAY)
    assert got == uncached(root, monkeypatch)
    assert [(d.code, d.source.line) for d in got[1] if d.severity == "error"] == [
        ("duplicate-id", 2)
    ]


def test_a_ledger_without_taxonomy_says_so_from_the_cache_too(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Agreements files alone, every check stored: the next day (a new whole-ledger key)
    still reports the missing taxonomy (it did not, as no file was read then)."""
    root = write_ledger(tmp_path / "l", {"agreements/2022.yaml": AGREEMENTS})
    for day in (DAY, DAY + dt.timedelta(days=1)):
        fresh = uncached(root, monkeypatch, day)
        assert "taxonomy-missing" in [d.code for d in fresh[1]]
        assert loader.check(root, day) == fresh
