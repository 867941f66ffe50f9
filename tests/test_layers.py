"""The layering of docs/architecture.md, enforced by import-linter's contracts in
pyproject.toml: a stage imports only the stages below it, and click, xlwings,
xlsxwriter, matplotlib and python-docx are imported only by the adapters."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

LINT = Path(sys.executable).parent / "lint-imports"


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": str(LINT.parent)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_lint_imports_passes() -> None:
    r = lint(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 kept, 0 broken" in r.stdout


def copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "rmxl", tmp_path / "rmxl", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_a_core_module_importing_click_breaks_the_contract(tmp_path: Path) -> None:
    root = copy(tmp_path)
    periods = root / "rmxl" / "query" / "periods.py"
    periods.write_text(periods.read_text() + "\nimport click  # noqa\n")
    r = lint(root)
    assert r.returncode == 1 and "rmxl.query.periods -> click" in r.stdout


def test_a_stage_importing_a_later_stage_breaks_the_contract(tmp_path: Path) -> None:
    root = copy(tmp_path)
    ledger = root / "rmxl" / "validate" / "ledger.py"
    ledger.write_text(ledger.read_text() + "\nimport rmxl.query.figures  # noqa\n")
    r = lint(root)
    assert r.returncode == 1 and "rmxl.validate.ledger -> rmxl.query.figures" in r.stdout


def test_no_module_is_over_400_lines() -> None:
    """House style: a module that grows past 400 lines is two concepts (issue 9)."""
    package = Path(__file__).resolve().parents[1] / "rmxl"
    long = {
        p.relative_to(package).as_posix(): n
        for p in package.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
