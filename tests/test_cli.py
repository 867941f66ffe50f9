"""The CLI as a user runs it: rmxl eval and the documentation of every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmxl.cli import main

from conftest import DEMO, ROOT, base_files, run_cli, write_ledger

run = run_cli


def test_eval_prints_full_precision() -> None:
    code, out, _ = run("eval", "--ledger", str(DEMO), 'RM_SHARE("region","Africa",2022)')
    assert code == 0 and out == "0.06648409771027669\n"


def test_eval_many_expressions_and_tables() -> None:
    code, out, _ = run(
        "eval",
        "--ledger",
        str(DEMO),
        '=RM_TOTAL(2022, "agreements")',
        'RM_TOP(1, "2023-01..2023-04")',
        "RM_TOTAL(2022.0)",
    )
    assert code == 0
    assert out.splitlines() == [
        "71",
        "partner\tusd\tsigned",
        "European Commission\t3256000.0\tEUR 3 million",
        "9669771.0",
    ]


def test_eval_error_goes_to_stderr_with_exit_1() -> None:
    code, out, err = run("eval", "--ledger", str(DEMO), 'RM_SHARE("region","Afirca",2022)')
    assert code == 1 and out == "#ERROR\n"  # one line per expression (issue 10)
    assert "did you mean 'Africa'?" in err and "Traceback" not in err


def test_eval_on_invalid_ledger_points_to_the_line(tmp_path: Path) -> None:
    root = write_ledger(
        tmp_path / "l",
        base_files(**{"partners.yaml": "partners:\n  - {id: acme, name: A, type: goverment}\n"}),
    )
    code, _, err = run("eval", "--ledger", str(root), "RM_TOTAL(2022)")
    assert code == 1
    assert "partners.yaml:2:" in err and "unknown-partner-type" in err


def test_ledger_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RMXL_LEDGER", str(DEMO))
    code, out, _ = run("eval", 'RM_TOTAL("2023-01..2023-04","funded_agreements")')
    assert (code, out) == (0, "12\n")


def test_report_prints_headline_and_breakdowns() -> None:
    code, out, _ = run("report", "--ledger", str(DEMO), "--period", "2022")
    assert code == 0
    assert "9,669,771" in out and "around USD 9.7 million" in out
    assert "CHF 2.4 million" in out


def test_report_bad_period() -> None:
    code, _, err = run("report", "--ledger", str(DEMO), "--period", "2022x")
    assert code == 1 and "2023Q1" in err


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help, name
        code, out, _ = run(name, "--help")
        assert code == 0 and "Usage" in out
        assert f"rmxl {name}" in readme, f"README does not mention 'rmxl {name}'"


def test_report_format_follows_the_file_name(tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    code, _, _ = run("report", "--ledger", str(DEMO), "--period", "2022", "--out", str(out))
    assert code == 0 and out.read_bytes()[:2] == b"PK"  # a Word (zip) document, not text
    code, _, err = run(
        "report",
        "--ledger",
        str(DEMO),
        "--period",
        "2022",
        "--format",
        "docx",
        "--out",
        str(tmp_path / "r.txt"),
    )
    assert code == 2 and "extension means text" in err
    code, _, err = run(
        "report", "--ledger", str(DEMO), "--period", "2022", "--out", str(tmp_path / "r.pdf")
    )
    assert code == 2 and "--format" in err


def test_empty_ledger_option_is_a_usage_error() -> None:
    code, _, err = run("validate", "--ledger", "")
    assert code == 2 and "empty" in err


def test_fmt_check_on_a_folder_without_yaml_fails(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = run("fmt", "--check", "--ledger", str(tmp_path / "empty"))
    assert code == 1 and "ledger-empty" in err


def test_sigterm_unwinds_like_ctrl_c() -> None:
    """rmxl turns SIGTERM into SystemExit, so `finally` blocks remove half-written files."""
    import signal

    from rmxl.cli import _terminate

    run("errors")
    assert signal.getsignal(signal.SIGTERM) is _terminate
    with pytest.raises(SystemExit) as e:
        _terminate(signal.SIGTERM, None)
    assert e.value.code == 143


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pytest" in ci and f"\n{ci}\n" in readme


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("fmt", "--check"),
        ("diff",),
        ("eval", "RM_TOTAL(2022)"),
        ("build", "--out", "never.xlsx"),
    ],
)
def test_a_ledger_path_the_system_refuses_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    # before: validate, fmt and diff ended in an OSError traceback (File name too long),
    # eval and build said "cannot write" a folder they only read
    monkeypatch.chdir(tmp_path)
    long = "x" * 5000
    status, _, err = run_cli(args[0], "--ledger", long, *args[1:])
    assert status == 2 and "Traceback" not in err, err
    assert "Invalid value for '--ledger': cannot look at 'xxxx" in err
    assert "…': File name too long" in err
    monkeypatch.setenv("RMXL_LEDGER", long)
    status, _, err = run_cli(*args)
    assert status == 2 and "$RMXL_LEDGER cannot look at 'xxxx" in err, err
    assert list(tmp_path.iterdir()) == []


def test_install_into_a_profile_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    # before: an OSError traceback (File name too long; PermissionError for a read-only
    # profile). soffice is never reached: /bin/true stands in for it
    profile = tmp_path / ("z" * 300)
    args = ["libreoffice", "install", "--profile", str(profile), "--soffice", "/bin/true"]
    status, _, err = run_cli(*args)
    assert status == 1 and "Traceback" not in err, err
    assert err == f"cannot install into {profile}: File name too long\n"


@pytest.mark.parametrize("name", ["rm.csv", "rm.xlsm", "rm.xls", "rm", "rm.xlsx.bak"])
def test_build_refuses_an_out_name_that_is_no_xlsx(tmp_path: Path, name: str) -> None:
    """An .xlsx package named .csv or .xlsm does not open in Excel ("the file format or
    extension is not valid"): a usage error, and nothing is written."""
    out = tmp_path / name
    code, _, err = run("build", "--ledger", str(DEMO), "--out", str(out))
    assert code == 2 and "ending in .xlsx" in err and repr(name) in err
    assert list(tmp_path.iterdir()) == []


def test_build_takes_an_xlsx_name_in_any_case(tmp_path: Path) -> None:
    code, _, _ = run("build", "--ledger", str(DEMO), "--out", str(tmp_path / "RM.XLSX"))
    assert code == 0 and (tmp_path / "RM.XLSX").read_bytes()[:2] == b"PK"
