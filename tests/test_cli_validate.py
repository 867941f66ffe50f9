"""`rmxl validate` and `rmxl errors` through the command line: formats, exit status
(0 clean, 1 errors, 2 usage), --strict, --skip."""

from __future__ import annotations

import json
from pathlib import Path

from rmxl.cli import main
from rmxl.pipeline import load as loader

from conftest import ONE_AGREEMENT as HEAD_OK
from conftest import ROOT, base_files, run_cli, write_ledger

run = run_cli


def broken(tmp_path: Path) -> Path:
    """The small ledger plus one file with an impossible date (line 4) and an unknown key
    (line 8)."""
    bad = HEAD_OK.replace("signed: 2022-03-14", "signed: 2023-02-30") + "    partnrs: [x]\n"
    return write_ledger(tmp_path / "ledger", base_files(**{"agreements/bad.yaml": bad}))


def test_clean_ledger_with_warnings_exits_0(small: Path) -> None:
    code, out, _ = run("validate", "--ledger", str(small))
    assert code == 0
    assert out.splitlines()[-1] == f"{small.as_posix()}: 2 warnings in 1 file"
    assert "warning[rate-stale]" in out


def test_errors_exit_1_with_position_line_caret_and_summary(tmp_path: Path) -> None:
    root = broken(tmp_path)
    code, out, _ = run("validate", "--ledger", str(root))
    assert code == 1
    lines = out.splitlines()
    i = lines.index(
        f"{root.as_posix()}/agreements/bad.yaml:4:13: error[bad-date]: agreement Z-1: "
        "signed '2023-02-30' is not a date: day is out of range for month "
        "(write an existing date as YYYY-MM-DD)"
    )
    assert lines[i + 1] == "        signed: 2023-02-30"
    assert lines[i + 2] == " " * lines[i + 1].index("2023") + "^"
    assert lines[-1] == f"{root.as_posix()}: 2 errors, 2 warnings in 2 files"


def test_strict_turns_warnings_into_errors(small: Path) -> None:
    code, out, _ = run("validate", "--ledger", str(small), "--strict")
    assert code == 1 and "error[rate-stale]" in out and "warning[" not in out


def test_skip_silences_a_code(small: Path) -> None:
    code, out, _ = run("validate", "--ledger", str(small), "--strict", "--skip", "rate-stale")
    assert code == 0 and "rate-stale" not in out
    assert out.strip().endswith(": clean")


def test_skip_an_error_code_is_refused(tmp_path: Path) -> None:
    # issue 10: --skip rate-missing printed "clean" and exited 0 on a ledger build refuses
    root = broken(tmp_path)
    code, out, err = run(
        "validate", "--ledger", str(root), "--skip", "bad-date", "--skip", "unknown-key"
    )
    assert code == 2 and "'bad-date' is an error" in err and "warnings only" in err
    assert out == ""


def test_usage_errors_exit_2(small: Path) -> None:
    assert run("validate", "--ledger", str(small), "--skip", "no-such-code")[0] == 2
    assert run("validate", "--ledger", str(small), "--format", "xml")[0] == 2
    assert run("validate", "--no-such-option")[0] == 2


def test_json_equals_the_library_diagnostics(tmp_path: Path) -> None:
    root = broken(tmp_path)
    code, out, err = run("validate", "--ledger", str(root), "--format", "json")
    assert code == 1
    assert json.loads(out) == [d.as_dict() for d in loader.check(root)[1]]
    assert "2 errors" in err  # the summary goes to standard error, not into the JSON


def test_json_of_a_clean_ledger_is_an_empty_list(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "ledger", base_files())
    code, out, _ = run(
        "validate", "--ledger", str(root), "--format", "json", "--skip", "rate-stale"
    )
    assert code == 0 and json.loads(out) == []


def test_github_prints_one_workflow_command_per_diagnostic(tmp_path: Path) -> None:
    root = broken(tmp_path)
    code, out, _ = run("validate", "--ledger", str(root), "--format", "github")
    lines = out.splitlines()
    assert code == 1 and len(lines) == len(loader.check(root)[1])
    assert (
        f"::error file={root.as_posix()}/agreements/bad.yaml,line=8,col=5,"
        "title=Unknown key [unknown-key]::" in out
    )
    assert sum(ln.startswith("::warning ") for ln in lines) == 2


def test_missing_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    code, out, _ = run("validate", "--ledger", str(tmp_path / "nope"))
    assert code == 1 and "error[ledger-not-found]" in out


def test_ledger_from_environment(small: Path, monkeypatch) -> None:
    monkeypatch.setenv("RMXL_LEDGER", str(small))
    assert run("validate")[0] == 0


# -- the files a ledger repository uses: pre-commit hooks and the CI workflow ----------


def _yaml_load(text: str) -> object:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


def test_pre_commit_hooks_run_rmxl_commands_without_file_names() -> None:
    hooks = _yaml_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    assert [h["id"] for h in hooks] == ["rmxl-validate", "rmxl-fmt"]
    for hook in hooks:
        assert hook["pass_filenames"] is False and hook["language"] == "python"
        program, command = hook["entry"].split()
        assert program == "rmxl" and command in main.commands


def test_ci_workflow_in_docs_validates_checks_layout_and_posts_the_diff() -> None:
    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = doc.split("```yaml\nname: ledger\n", 1)[1].split("```", 1)[0]
    workflow = _yaml_load("name: ledger\n" + block)
    assert isinstance(workflow, dict)
    runs = " ".join(s.get("run", "") for s in workflow["jobs"]["ledger"]["steps"])
    assert "rmxl validate --format github" in runs
    assert "rmxl fmt --check" in runs
    assert "--format markdown" in runs and '>> "$GITHUB_STEP_SUMMARY"' in runs
    checkout = workflow["jobs"]["ledger"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0
