"""The report as a document that can be filed (issue 11): page numbers, footnote, source
line, the taxonomy's words (membership groups, footnote, each plan's word for its
priorities), whole-dollar amounts, distinct headings, 100% Total rows; checked in the
docx (reopened and unzipped), the HTML, Markdown and text."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from rmxl.pipeline.load import figures
from rmxl.render.report.content import Report, build_report
from rmxl.render.report.docx import render_docx
from rmxl.render.report.markup import render_html, render_markdown
from rmxl.render.report.text import WIDTH, render_text

from conftest import DEMO

GROUPED = "12% ITU-D Sector Members (7% SIO and 5% ROA)"  # seed §3; 4 and 3 of 57 partners
TEMPLATE = "report-template.md"
FOOTNOTE = "ADMIN: Administrations, REGINTORG: Regional and other International Organizations"


@pytest.fixture(scope="module", params=["template", "sections"])
def seed(request: pytest.FixtureRequest) -> Report:
    """The demo report: the whole document from workbook/report-template.md, and the
    seed's sections 3 and 4 without a template."""
    fig = figures(DEMO)
    if request.param == "template":
        from rmxl.render.report.assemble import build_from_template
        from rmxl.render.report.template import load_template

        return build_from_template(fig, load_template(DEMO.parent / "workbook" / TEMPLATE))
    return build_report(fig, ["2022", "2023-01..2023-04"], "2022-01..2022-04")


@pytest.fixture(scope="module")
def package(seed: Report) -> dict[str, str]:
    """The docx's XML parts by name (charts left out: their pictures are not the point)."""
    with zipfile.ZipFile(io.BytesIO(render_docx(seed, {}))) as z:
        return {n: z.read(n).decode() for n in z.namelist() if n.endswith((".xml", ".rels"))}


def _text(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def test_docx_footer_has_page_n_of_n_fields(package: dict[str, str]) -> None:
    footers = [x for n, x in package.items() if n.startswith("word/footer")]
    assert footers
    instructions = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", footers[0])
    assert [i.strip() for i in instructions] == ["PAGE", "NUMPAGES"]
    assert _text(footers[0]).startswith("Page 1 of 1")  # cached results; Word recomputes


def test_docx_membership_footnote_is_a_word_footnote(package: dict[str, str]) -> None:
    notes = package["word/footnotes.xml"]
    assert FOOTNOTE in _text(notes)
    assert 'w:type="separator" w:id="-1"' in notes
    body = package["word/document.xml"]
    assert body.count("<w:footnoteReference ") == 2  # one per membership sentence
    assert (
        'relationships/footnotes" Target="footnotes.xml"' in package["word/_rels/document.xml.rels"]
    )
    assert "wordprocessingml.footnotes+xml" in package["[Content_Types].xml"]


def test_docx_says_the_grouping_and_the_plans_word(package: dict[str, str]) -> None:
    body = _text(package["word/document.xml"])
    assert GROUPED in body
    assert "The ITU-D priorities of the Kigali Action Plan (WTDC-22)" in body  # seed §4
    assert "The thematic priorities of the Buenos Aires Action Plan (WTDC-17)" in body


def test_docx_source_line_names_the_ledger_commit(package: dict[str, str]) -> None:
    # the last commit that changed the ledger, as RM_INFO and Provenance name it (issue 9)
    head = subprocess.run(
        ["git", "-C", str(DEMO), "log", "-1", "--format=%h", "--abbrev=12", "--", "."],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    footer = _text(next(x for n, x in package.items() if n.startswith("word/footer")))
    assert f"Source: ledger at commit {head}" in footer
    assert re.search(r"built \d{4}-\d\d-\d\d \d\d:\d\d UTC, rmxl \d", footer)


def test_no_money_to_the_cent_and_totals_at_100(seed: Report, package: dict[str, str]) -> None:
    body = _text(package["word/document.xml"])
    assert not re.search(r"\d\.00(?!\d)", body)
    assert "9,669,771" in body and "6,602,783" in body  # seed §3 total; governments 2022
    totals = [t.rows[-1] for t in _tables(seed) if t.rows[-1][0] == "Total"]
    assert totals and all("100.0%" in row for row in totals)


def test_share_and_funds_headings_say_of_what(seed: Report) -> None:
    for t in _tables(seed):
        assert len(set(t.headers)) == len(t.headers), t.headers
    by_type = next(t for t in _tables(seed) if t.headers[0] == "Partner type")
    assert by_type.headers[3] == "Partners' funds (USD)"
    assert by_type.rows[-1][3] == "8,734,847"  # partners' funds 2022, not all 9,669,771


def test_html_has_the_document_structure(seed: Report) -> None:
    page = render_html(seed, {})
    label, value = seed.front[0]
    assert f'<p class="front"><strong>{label}:</strong> {value}</p>' in page
    assert '<sup><a href="#fn1" id="fnref1">1</a></sup>' in page
    assert '<li id="fn1">ADMIN: Administrations' in page
    assert "<footer><hr><p>Source: ledger" in page
    assert GROUPED in page


def test_markdown_footnote_and_text_fit_the_width(seed: Report) -> None:
    md = render_markdown(seed)
    assert "as per ITU Membership categories[^1]." in md
    assert "\n[^1]: ADMIN: Administrations" in md
    text = render_text(seed)
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    assert "categories[1]." in text


def _tables(report: Report) -> list:  # type: ignore[type-arg]
    from rmxl.render.report.blocks import Table

    return [b for b in report.blocks if isinstance(b, Table)]


def test_docx_opens_with_python_docx(seed: Report, tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(render_docx(seed, {}))
    doc = docx.Document(str(path))
    assert doc.paragraphs[0].text == seed.title
    date = dict(seed.front)["Date"]
    assert any(p.text == "Date: " + date for p in doc.paragraphs)


def test_libreoffice_prints_page_numbers_and_the_footnote(seed: Report, tmp_path: Path) -> None:
    """LibreOffice opens the docx with its hand-made footnotes part: the PDF's pages say
    "Page n of N" and the footnote's text is on the page of its mark."""
    import os
    import shutil

    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        if os.environ.get("RMXL_REQUIRE_SOFFICE") == "1":
            pytest.fail("soffice and pdftotext are required (RMXL_REQUIRE_SOFFICE=1)")
        pytest.skip("LibreOffice or poppler is not installed")
    path = tmp_path / "r.docx"
    path.write_bytes(render_docx(seed, {}))
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "r.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = text.split("\f")[:-1]
    n = len(pages)
    assert n >= 2
    assert all(f"Page {i} of {n}" in page for i, page in enumerate(pages, 1))
    first = next(page for page in pages if "categories1" in page.replace(" ", ""))
    assert "ADMIN: Administrations" in first


def test_ledger_text_is_escaped_for_each_format(tmp_path: Path) -> None:
    from conftest import PARTNERS, base_files, write_ledger

    name = "Swiss *FDFA* <b>x</b> & co"
    partners = PARTNERS.replace("Swiss FDFA", f'"{name}"')
    root = write_ledger(tmp_path / "l", base_files(**{"partners.yaml": partners}))
    report = build_report(figures(root), ["2022"])
    assert any(name in row for t in _tables(report) for row in t.rows)
    assert "Swiss *FDFA* &lt;b&gt;x&lt;/b&gt; &amp; co" in render_html(report, {})
    assert r"Swiss \*FDFA\* &lt;b&gt;x&lt;/b&gt; &amp; co" in render_markdown(report)
    path = tmp_path / "r.docx"
    path.write_bytes(render_docx(report, {}))
    cells = {c.text for t in docx.Document(str(path)).tables for row in t.rows for c in row.cells}
    assert name in cells  # Word text is XML-escaped by python-docx and reads back as written


def test_reference_docx_gives_its_styles_not_its_text(seed: Report, tmp_path: Path) -> None:
    ref = docx.Document()
    ref.styles["Normal"].font.name = "Georgia"
    ref.add_paragraph("The reference's own body text")
    ref_path = tmp_path / "ref.docx"
    ref.save(str(ref_path))
    path = tmp_path / "r.docx"
    path.write_bytes(render_docx(seed, {}, reference=ref_path))
    doc = docx.Document(str(path))
    assert doc.styles["Normal"].font.name == "Georgia"
    assert all("reference's own" not in p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == seed.title
