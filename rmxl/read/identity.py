"""The ledger's identity: which folder, which files, which commit, whether the working
tree differs from it, when it last changed — and the one way rmxl runs git.

One definition for every place that names the ledger: ``RM_INFO`` (Excel and ``rmxl
eval``), the workbook's Provenance sheet and build time, the report's document time, and
``rmxl diff``. The commit is the **last commit that changed the ledger folder** (``git log
-1 -- .``), not HEAD: a commit elsewhere in the repository does not change the ledger, so
it changes neither the figures' provenance nor the workbook's bytes. "with uncommitted
changes" is added when ``git status`` shows the folder differs from it.

Times are never the clock (reproducible-builds.org): ``SOURCE_DATE_EPOCH``, else the
ledger's last commit, else :data:`FIXED_TIME`.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from rmxl.read.files import ledger_paths

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The time stamped on an output when there is no ``SOURCE_DATE_EPOCH`` and no git
history to take it from."""

DIRTY = " with uncommitted changes"
"""Added to a commit when the ledger folder differs from it."""


class GitError(Exception):
    """git is missing or a git command failed; the message is one line that says why."""


def git(cwd: Path, *args: str, stdin: bytes | None = None, timeout: float = 60) -> bytes:
    """Run ``git ARGS`` in ``cwd`` and return its standard output (bytes). Raises
    :class:`GitError` (git missing, a failure — the last line of git's message — or a
    timeout in seconds)."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False, timeout=timeout
        )
    except FileNotFoundError as e:
        raise GitError("git is not installed") from e
    except (OSError, subprocess.SubprocessError) as e:
        raise GitError(f"git {args[0]} failed: {e}") from e
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {lines[-1] if lines else '?'}")
    return done.stdout


def _ask(root: Path, *args: str) -> str:
    """git's answer as stripped text, ``""`` when git cannot answer (not a checkout, no
    git, a repository git refuses to use)."""
    try:
        return git(root, *args, timeout=5).decode(errors="replace").strip()
    except GitError:
        return ""


@dataclass(frozen=True, slots=True)
class Commit:
    """The last commit that changed the ledger folder: 12 hex digits, its commit time
    (UTC), and whether the folder's working tree differs from it."""

    sha: str
    time: dt.datetime
    dirty: bool

    def __str__(self) -> str:
        return self.sha + (DIRTY if self.dirty else "")


def ledger_commit(root: Path) -> Commit | None:
    """The :class:`Commit` of the ledger folder ``root``, or None outside git (or before
    its first commit)."""
    found = _ask(root, "log", "-1", "--format=%h %ct", "--abbrev=12", "--", ".").split()
    if len(found) != 2 or not found[1].isdigit():
        return None
    dirty = bool(_ask(root, "status", "--porcelain", "--", "."))
    return Commit(found[0], dt.datetime.fromtimestamp(int(found[1]), dt.UTC), dirty)


def commit_label(root: Path) -> str:
    """``str(ledger_commit(root))``, or ``""`` outside git."""
    commit = ledger_commit(root)
    return "" if commit is None else str(commit)


def ledger_name(root: Path) -> str:
    """The ledger folder as a reader finds it: relative to its git checkout's top folder
    (``ledger``), else the absolute path."""
    top = _ask(root, "rev-parse", "--show-toplevel")
    absolute = root.resolve()
    if top:
        try:
            return absolute.relative_to(Path(top).resolve()).as_posix() or "."
        except ValueError:
            pass
    return absolute.as_posix()


def last_change(root: Path) -> dt.datetime:
    """The latest modification time (UTC) of the ledger's files; the epoch if none."""
    latest = max((p.stat().st_mtime for p in ledger_paths(root) if p.exists()), default=0.0)
    return dt.datetime.fromtimestamp(latest, dt.UTC)


def build_time(root: Path | None, environ: dict[str, str]) -> tuple[dt.datetime, str]:
    """The time stamped on an output and where it comes from: ``SOURCE_DATE_EPOCH``
    (seconds, UTC) if set, else the ledger's last commit (when ``root`` is given), else
    :data:`FIXED_TIME` — never the clock, so the same ledger gives the same bytes."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC), "SOURCE_DATE_EPOCH"
    commit = None if root is None else ledger_commit(root)
    if commit is not None:
        return commit.time, "last git commit of the ledger"
    return FIXED_TIME, "fixed (no git history, no SOURCE_DATE_EPOCH)"


def repository(ledger: Path) -> tuple[Path, str]:
    """The git repository's top folder holding ``ledger`` and the ledger's path inside
    it (POSIX). Raises :class:`GitError` outside a repository."""
    start = ledger if ledger.is_dir() else ledger.parent
    while not start.is_dir():
        start = start.parent
    try:
        top = Path(git(start, "rev-parse", "--show-toplevel").decode().strip())
    except GitError as e:
        raise GitError(f"{ledger.as_posix()} is not in a git repository") from e
    try:
        rel = ledger.resolve().relative_to(top.resolve()).as_posix()
    except ValueError as e:
        raise GitError(f"{ledger.as_posix()} is outside the repository {top}") from e
    return top, rel
