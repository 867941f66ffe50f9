"""The report's faces (rmxl/report_render.py, report_docx.py, report_text.py) and the
``rmxl report`` command: the same numbers as text in every format; docx reopened with
python-docx; files written atomically; LibreOffice opens the docx."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from rmxl import fileio
from rmxl.cli import main
from rmxl.pipeline.load import figures
from rmxl.render.escape import markdown_cell, markdown_text
from rmxl.render.report.content import Report, build_report
from rmxl.render.report.docx import render_docx
from rmxl.render.report.markup import (
    render,
    render_html,
    render_markdown,
    write_report,
)
from rmxl.render.report.text import render_text

from conftest import DEMO

HEADLINE = (
    "From 1 January to 30 April 2023, BDT signed 30 agreements with a wide range of "
    "partners, out of which 12 had financial contributions amounting to around USD 5.4 million."
)
NUMBERS = ["around USD 5.4 million", "EUR 3 million", "EUR 0.9 million", "USD 0.6 million"]
NUMBERS += ["Academia (35%)", "3.43", "5.41", "5,406,258", "98.4%"]


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report(figures(DEMO), ["2023-01..2023-04"], "2022-01..2022-04")


@pytest.fixture(scope="module")
def pngs(report: Report) -> dict[str, bytes]:
    from rmxl.render.charts import png

    return {c.name: png(c) for c in report.charts}


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, ["report", "--ledger", str(DEMO), *args])
    return r.exit_code, r.stdout, r.stderr


def test_docx_reopened_has_the_texts_tables_and_a_picture_per_chart(
    report: Report, pngs: dict[str, bytes], tmp_path: Path
) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(render_docx(report, pngs))
    doc = docx.Document(str(path))
    paragraphs = [p.text for p in doc.paragraphs]
    assert HEADLINE in paragraphs
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {"EUR 3 million", "EUR 0.9 million", "USD 0.6 million", "3.43", "5.41"} <= cells
    assert len(doc.inline_shapes) == len(report.charts) == 5
    described = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert described == [c.title for c in report.charts]
    assert doc.core_properties.title == report.title


def test_docx_is_byte_identical_twice(report: Report, pngs: dict[str, bytes]) -> None:
    first = render_docx(report, pngs)
    assert first == render_docx(report, pngs)
    with zipfile.ZipFile(__import__("io").BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_docx_timestamp_from_source_date_epoch(
    report: Report, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1682812800")  # 2023-04-30 00:00 UTC
    path = tmp_path / "r.docx"
    path.write_bytes(render_docx(report, {}))
    assert docx.Document(str(path)).core_properties.created.isoformat().startswith("2023-04-30")


def test_markdown_and_html_carry_the_same_numbers(report: Report, pngs: dict[str, bytes]) -> None:
    md = render_markdown(report, {c.name: f"r-{c.name}.png" for c in report.charts})
    page = render_html(report, pngs)
    text = " ".join(render_text(report).split())  # sentences are wrapped
    for number in [HEADLINE, *NUMBERS]:
        assert number in md and number in text, number
        assert number in page.replace("&#x27;", "'"), number
    assert "| European Commission | EUR 3 million | 3,256,000 |" in md
    assert "![Co-financing arrangements (Jan-Apr 2023)](r-cofinancing.png)" in md
    assert page.count('<img src="data:image/png;base64,') == 5
    assert '<td style="text-align:right">3,256,000</td>' in page


def test_markdown_without_images_names_the_charts(report: Report) -> None:
    md = render(report, "markdown")[0].decode()
    assert "![" not in md and "*Chart: Co-financing arrangements (Jan-Apr 2023)*" in md


def test_text_keeps_the_tables(report: Report) -> None:
    text = render_text(report)
    rows = [line.split() for line in text.splitlines()]
    assert ["Partners'", "component", "5,319,658", "98.4%"] in rows
    assert ["Number", "of", "agreements", "33", "30"] in rows
    assert ["Total", "funds", "(USD", "million)", "3.89", "5.41"] in rows


def test_write_report_writes_charts_beside_and_leaves_no_temp(
    report: Report, tmp_path: Path
) -> None:
    out = tmp_path / "sub" / "seed.md"
    written = write_report(report, "markdown", out)
    assert written[0] == out and len(written) == 6
    assert (tmp_path / "sub" / "seed-comparison.png").read_bytes()[:4] == b"\x89PNG"
    assert "](seed-regions.png)" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".")) == []


def test_write_atomic_keeps_the_old_file_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(b"old")

    def fail(src: str, dst: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(fileio.os, "replace", fail)
    with pytest.raises(OSError):
        fileio.write_file(path, b"new")
    assert path.read_bytes() == b"old" and list(tmp_path.iterdir()) == [path]
    monkeypatch.undo()
    fileio.write_file(path, b"new")
    assert path.read_bytes() == b"new"
    assert (path.stat().st_mode & 0o777) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_cli_text_is_the_default() -> None:
    code, out, _ = run("--period", "2022")
    assert code == 0
    assert "In 2022, BDT signed 71 agreements" in out and "CHF 2.4 million" in out


def test_cli_docx_defaults_to_report_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(
        "--period", "2023-01..2023-04", "--compare", "2022-01..2022-04", "--format", "docx"
    )
    assert code == 0, out
    path = tmp_path / "report-2023-01-to-2023-04.docx"
    assert out == f"wrote {path.name} and 5 chart(s) beside it\n"
    assert HEADLINE in [p.text for p in docx.Document(str(path)).paragraphs]
    assert (tmp_path / "report-2023-01-to-2023-04-comparison.png").exists()


def test_cli_html_to_stdout() -> None:
    code, out, _ = run("--period", "2022", "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>") and "CHF 2.4 million" in out


def test_cli_empty_period_is_a_clear_error() -> None:
    code, out, err = run("--period", "2019", "--format", "docx")
    assert (code, out) == (1, "")
    assert "no agreements were signed in 2019" in err and "Traceback" not in err


def test_cli_unwritable_out_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run("--period", "2022", "--format", "html", "--out", str(blocker / "r.html"))
    assert code == 1 and err.startswith("cannot write") and "Traceback" not in err


def test_libreoffice_opens_the_docx(report: Report, pngs: dict[str, bytes], tmp_path: Path) -> None:
    """A real word processor converts the document to PDF (no repair dialog headless)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("RMXL_REQUIRE_SOFFICE") == "1":
            pytest.fail("soffice is required (RMXL_REQUIRE_SOFFICE=1)")
        pytest.skip("LibreOffice (soffice) is not installed")
    path = tmp_path / "r.docx"
    path.write_bytes(render_docx(report, pngs))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = (tmp_path / "r.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") + pdf.count(b"/Type/Page") >= 4


def test_markdown_escapes_raw_html_from_a_partner_name(tmp_path: Path) -> None:
    """Issue 10: a partner name went into the Markdown as raw HTML; now no tag of a
    ledger name reaches the Markdown unescaped."""
    from conftest import PARTNERS, base_files, write_ledger

    evil = "Swiss <img src=x onerror=alert(1)> FDFA &amp; Co"
    partners = PARTNERS.replace("name: Swiss FDFA", f'name: "{evil}"')
    root = write_ledger(tmp_path / "l", base_files(**{"partners.yaml": partners}))
    md = render_markdown(build_report(figures(root), ["2022"], None))
    assert "Swiss" in md and "<img" not in md.replace("\\<img", "").replace("&lt;img", "")
    assert "&amp;amp;" in md  # an entity written in a name shows as written
    # the diff's escaping (rmxl/render/escape.py; tests/test_diff.py: R&D → R&amp;D)
    assert markdown_text("R&D <lab>") == "R&amp;D &lt;lab&gt;"
    assert markdown_cell("a | b\nc") == "a \\| b c"
