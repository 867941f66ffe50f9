"""Every text the ledger accepts can be written by every renderer (issue 10: a partner
name ``"A\\vB\\x01"`` passed validate, then crashed ``report --format docx``).

XML (docx) holds no C0 control other than tab and line breaks, no lone surrogate and no
U+FFFE/U+FFFF; an Excel cell holds 32,767 characters. Such texts are ``bad-text`` at the
value, in whichever field or key they are written (rmxl.read.text); texts at the limit
and the characters XML allows are written by every output."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AGREEMENTS, PARTNERS, TAXONOMY, base_files, run_cli, write_ledger

A = "agreements/2022.yaml"
SWISS = "{id: ch-fdfa, name: Swiss FDFA,"

# field -> (file, text with the value's placeholder, line of the value)
WHERE = {
    "partner name": ("partners.yaml", PARTNERS.replace("name: Swiss FDFA", "name: {v}"), 2),
    "agreement title": (A, AGREEMENTS.replace("title: Smart villages", "title: {v}"), 3),
    "taxonomy label": ("taxonomy.yaml", TAXONOMY.replace("label: Africa}", "label: {v}}"), 5),
    "x_ key": (A, AGREEMENTS.replace("  - id: A-2\n", "  - id: A-2\n    {v}: 1\n"), 12),
    "notes": (A, AGREEMENTS.replace("  - id: A-2\n", "  - id: A-2\n    notes: {v}\n"), 12),
}

BAD = {
    "vertical tab and C0": r'"A\vB\x01"',
    "NUL": r'"A\0B"',
    "escape": r'"A\eB"',
    "noncharacter": r'"A\uFFFFB"',
}


def _ledger(tmp_path: Path, field: str, value: str) -> Path:
    file, text, _ = WHERE[field]
    if field == "x_ key":
        value = value[:-1] + 'x"' if value.startswith('"') else value
        value = '"x_' + value[1:]
    return write_ledger(tmp_path / "l", base_files(**{file: text.replace("{v}", value)}))


@pytest.mark.parametrize("field", WHERE)
@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
def test_unwritable_text_is_refused_at_its_place(tmp_path: Path, field: str, value: str) -> None:
    root = _ledger(tmp_path, field, value)
    rc, out, err = run_cli("validate", "--ledger", str(root), "--format", "json")
    assert rc == 1, out + err
    assert '"code": "bad-text"' in out
    file, _, line = WHERE[field]
    assert f'"line": {line},' in out and file in out
    assert "Traceback" not in out + err
    # and every command that needs the ledger stops at the same error, no traceback
    rc, out, err = run_cli(
        "report",
        "--ledger",
        str(root),
        "--period",
        "2022",
        "--format",
        "docx",
        "--out",
        str(tmp_path / "r.docx"),
    )
    assert rc == 1 and "bad-text" in err and "Traceback" not in err
    assert not (tmp_path / "r.docx").exists()


def test_text_longer_than_a_cell_is_refused_shorter_is_written(tmp_path: Path) -> None:
    file, text, line = WHERE["partner name"]
    long = write_ledger(tmp_path / "long", base_files(**{file: text.replace("{v}", "x" * 32_768)}))
    rc, out, _ = run_cli("validate", "--ledger", str(long))
    assert rc == 1 and f"partners.yaml:{line}:" in out and "32,768 characters" in out
    ok = write_ledger(tmp_path / "ok", base_files(**{file: text.replace("{v}", "y" * 32_767)}))
    assert run_cli("validate", "--ledger", str(ok))[0] == 0
    rc, _, err = run_cli("build", "--ledger", str(ok), "--out", str(tmp_path / "w.xlsx"))
    assert rc == 0, err
    from openpyxl import load_workbook

    cells = {
        (ws.title, c.coordinate): c.value
        for ws in load_workbook(tmp_path / "w.xlsx")
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("yyy")
    }
    assert cells[("Partners", "B2")] == "y" * 32_767  # the data: written whole, never cut
    for (sheet, _), v in cells.items():  # an RM_ function's text has at most 255 (spec §6)
        assert v == ("y" * 254 + "…" if sheet == "Analysis" else "y" * 32_767)


def test_problem_names_the_character() -> None:
    from rmxl.read.text import problem

    assert problem("A\x0bB") == "character 2 is U+000B, a control character"
    assert problem("ab\ud800") == "character 3 is U+D800, a lone surrogate"  # YAML refuses it too
    assert problem("\ufffe") == "character 1 is U+FFFE, a noncharacter"
    assert problem("A\tB\nC\r\x85\u2028\U0001f600") == ""


ALLOWED = r'"Swiss\u200f\u202eG\u200b<b>x</b> | *y* &amp; é \U0001F600 FDFA"'
MULTILINE = r'"Smart\tvillages\nC\rD\x85E\u2028F <i>x</i>"'


@pytest.mark.parametrize("fmt", ["docx", "html", "markdown", "text"])
def test_characters_xml_allows_are_written_by_every_report(tmp_path: Path, fmt: str) -> None:
    file, text, _ = WHERE["agreement title"]
    root = _ledger(tmp_path, "partner name", ALLOWED)
    (root / file).write_text(text.replace("{v}", MULTILINE), encoding="utf-8")
    assert run_cli("validate", "--ledger", str(root))[0] == 0
    out = tmp_path / f"r.{fmt}"
    rc, _, err = run_cli(
        "report", "--ledger", str(root), "--period", "2022", "--format", fmt, "--out", str(out)
    )
    assert rc == 0, err
    assert out.stat().st_size > 0


@pytest.mark.parametrize("n, ok", [(254, True), (255, False)])
def test_codes_and_partner_ids_fit_a_sumifs_criterion(tmp_path: Path, n: int, ok: bool) -> None:
    """The workbook selects a bucket with ``"="&code``; Excel matches criteria of at most
    255 characters (#VALUE! beyond), so a code or partner id has at most 254."""
    pid, code = "p" * n, "r" * n
    files = base_files(
        **{
            "partners.yaml": PARTNERS.replace("id: uni-x", f"id: {pid}"),
            A: AGREEMENTS.replace("uni-x", pid).replace("[americas]", f"[{code}]"),
            "taxonomy.yaml": TAXONOMY.replace("code: americas", f"code: {code}"),
        }
    )
    rc, out, _ = run_cli("validate", "--ledger", str(write_ledger(tmp_path / "l", files)))
    if ok:
        assert rc == 0, out
    else:
        assert rc == 1
        assert "partners.yaml:5:" in out and "error[bad-id]" in out
        assert "taxonomy.yaml:6:" in out and "error[bad-name]" in out


def test_diagnostics_never_print_control_characters(tmp_path: Path) -> None:
    """A hostile or binary file's line is shown with each control character as U+FFFD
    (one column: the caret stays under it), never as a terminal escape sequence."""
    root = write_ledger(tmp_path / "l", base_files())
    (root / "agreements" / "x.yaml").write_bytes(b"agreements: \x1b]0;pwned\x07\x1b[2J\x00\n")
    rc, out, err = run_cli("validate", "--ledger", str(root))
    assert rc == 1
    assert not any(c in out + err for c in "\x1b\x07\x00")
    shown, caret = out.split("\n")[1:3]
    assert shown == "    agreements: \ufffd]0;pwned\ufffd\ufffd[2J\ufffd"
    assert caret.index("^") == shown.index("\ufffd")  # the parser's column: the ESC


@pytest.mark.parametrize(
    "field, value",
    [
        ("partner name", r'"Swiss\tFDFA"'),
        ("partner name", '"Swiss\\nFDFA"'),
        ("taxonomy label", r'"Af\u2028rica"'),
        ("partner name", r'"Swiss\r\nFDFA"'),
    ],
)
def test_a_name_is_one_line(tmp_path: Path, field: str, value: str) -> None:
    """A name, label, code or id is one line in every table (report, eval's rows, diff):
    a tab or line break in it is bad-text at the value; titles and notes may span lines."""
    rc, out, _ = run_cli("validate", "--ledger", str(_ledger(tmp_path, field, value)))
    file, _, line = WHERE[field]
    assert rc == 1 and f"{file}:{line}:" in out and "error[bad-text]" in out, out
    assert out.count("error[") == 1
