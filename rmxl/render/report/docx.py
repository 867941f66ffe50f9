"""The report as a Word document (python-docx), byte-identical for the same report.

A4 pages in Calibri; a title block (title, then the report's ``front`` lines: period,
date …); headings as the report numbers them; paragraphs with a bold lead, list items,
and footnotes as real Word footnotes (:mod:`rmxl.render.report.docx_parts`); tables
(header row shaded, bold and repeated on a new page, numbers right-aligned, the Total
row bold, columns as wide as their content); each chart as a picture with its title as
alternative text; every page's footer "Page n of N" (Word PAGE and NUMPAGES fields) and
the source line (ledger commit, build time, rmxl version).

Page flow: an introducing sentence keeps with the chart or table after it, a short table
(:data:`KEEP_ROWS`) stays on one page, a longer one keeps its header row with its first
row, and rows do not split; nothing else is chained (no chart-table chains), so a long
table breaks across pages rather than leaving half a page blank.

A team's Word styles apply through ``reference``: a .docx whose styles, page setup,
headers and footers are kept and whose body is replaced (as pandoc's
``--reference-doc``). python-docx stamps zip members with the current time, so the
package is re-zipped with fixed member times, and the document's created/modified
properties are ``$SOURCE_DATE_EPOCH`` (else 2000-01-01 UTC): the same report gives the
same bytes (reproducible-builds.org's rule). No figure is computed here.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import OpcError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from rmxl.diagnostics import Diagnostic, Source, make
from rmxl.read.identity import build_time
from rmxl.render.report.blocks import Block, Chart, Heading, Paragraph, Report, Table
from rmxl.render.report.docx_parts import add_field, add_footnotes, footnote_reference

TEXT_WIDTH_CM = 16.6  # A4 (21 cm) less two margins of 2.2 cm
PICTURE_WIDTH = Cm(16.5)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HEADER_FILL = "DCE6F1"  # light blue of the header row
FONT = "Calibri"
CELL_PT = 9.5
CM_PER_CHAR = 0.19  # an average Calibri character at 9.5 pt
CELL_PADDING_CM = 0.4
KEEP_ROWS = 12
"""A table of up to this many rows (header included) is kept on one page (a few
centimetres at most move); a longer one may break, its header row repeated."""


def stamp() -> dt.datetime:
    """The document's timestamp: ``$SOURCE_DATE_EPOCH`` (seconds, UTC) if set and valid,
    else :data:`rmxl.read.identity.FIXED_TIME` (2000-01-01 UTC)."""
    return build_time(None, dict(os.environ))[0]


def _page(doc: Document, own_styles: bool) -> None:
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin = section.bottom_margin = Cm(2.2)
    if not own_styles:
        normal = doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(11)


def _shade(cell: object, fill: str) -> None:
    """Fill a cell (explicit shading renders the same in Word and LibreOffice, where
    table-style conditional formats did not: a stray rule above the second-last row)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)  # type: ignore[attr-defined]


def _row_flag(row: object, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def widths(table: Table, total: float = TEXT_WIDTH_CM) -> list[float]:
    """Column widths (cm) summing to ``total``: each number column as wide as its
    longest cell or header word, the text columns sharing the rest by their longest
    cell (so "42.1%" does not take 2.9 cm while a name wraps onto three lines)."""

    def need(i: int) -> float:
        words = max((len(w) for w in table.headers[i].split()), default=1)
        cells = max((len(r[i]) for r in table.rows), default=1)
        return max(words, cells) * CM_PER_CHAR + CELL_PADDING_CM

    numbers = {i: need(i) for i, n in enumerate(table.numeric) if n}
    texts = [i for i, n in enumerate(table.numeric) if not n]
    left = total - sum(numbers.values())
    if not texts or left < 3 * len(texts):  # too many numbers: share by need
        needs = [need(i) for i in range(len(table.headers))]
        return [total * n / sum(needs) for n in needs]
    want = {i: max(need(i), 1.0) for i in texts}
    return [
        numbers[i] if i in numbers else left * want[i] / sum(want.values())
        for i in range(len(table.headers))
    ]


def _table(doc: Document, table: Table) -> None:
    """A table in a plain grid (module doc for its flow rules)."""
    rows = [table.headers, *table.rows]
    t = doc.add_table(rows=len(rows), cols=len(table.headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _row_flag(t.rows[0], "w:tblHeader")
    cm = [Cm(w) for w in widths(table)]
    for column, width in zip(t.columns, cm, strict=True):
        column.width = width  # the grid LibreOffice reads; Word reads the cells'
    for r, cells in enumerate(rows):
        _row_flag(t.rows[r], "w:cantSplit")
        bold = r == 0 or cells[0] == "Total"
        for c, text in enumerate(cells):
            cell = t.cell(r, c)
            cell.width = cm[c]
            para = cell.paragraphs[0]
            para.paragraph_format.keep_with_next = r < len(rows) - 1 and (
                r == 0 or len(rows) <= KEEP_ROWS
            )
            para.paragraph_format.space_after = Pt(0)
            run = para.add_run(text)
            run.bold = bold
            run.font.size = Pt(CELL_PT)
            if r == 0:
                _shade(cell, HEADER_FILL)
            if table.numeric[c]:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _picture(doc: Document, chart: Chart, data: bytes) -> None:
    doc.add_picture(io.BytesIO(data), width=PICTURE_WIDTH)
    para = doc.paragraphs[-1]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    shape = doc.inline_shapes[-1]
    shape._inline.docPr.set("descr", chart.title)


def _paragraph(doc: Document, block: Paragraph, note: int, intro: bool) -> None:
    para = doc.add_paragraph(style="List Bullet" if block.bullet else None)
    if block.lead:
        para.add_run(block.lead + " ").bold = True
    body, stop = block.split_stop()
    para.add_run(body)
    if block.note:
        footnote_reference(para, note)
    if stop:
        para.add_run(stop)
    para.paragraph_format.keep_with_next = intro  # never an intro alone at a page foot


def _front(doc: Document, report: Report) -> None:
    doc.add_heading(report.title, level=0)
    for label, value in report.front:
        para = doc.add_paragraph()
        para.add_run(f"{label}: ").bold = True
        para.add_run(value)
        para.paragraph_format.space_after = Pt(2)


def _footer(doc: Document, source: str) -> None:
    """Every page: "Page n of N" (fields), then the source line, small and grey."""
    for section in doc.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        page = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        for run in list(page.runs):
            run._r.getparent().remove(run._r)
        page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        page.add_run("Page ")
        add_field(page, "PAGE")
        page.add_run(" of ")
        add_field(page, "NUMPAGES")
        if source:
            line = footer.add_paragraph()
            run = line.add_run(source)
            run.font.size = Pt(8)
            run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


class BadReference(Exception):
    """The ``--reference-doc`` is no Word document; ``diagnostic`` says so at the file."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def open_reference(reference: Path) -> Document:
    """The reference document (``--reference-doc``) as python-docx reads it. Raises
    :class:`BadReference` (``report-reference``) for a file that is no .docx: another
    kind of file, a damaged zip, a workbook."""
    try:
        return docx.Document(str(reference))
    except (OpcError, KeyError, ValueError, zipfile.BadZipFile, OSError) as e:
        why = str(e).splitlines()[0][:160] if str(e) else type(e).__name__
        raise BadReference(
            make(
                "report-reference",
                f"the reference document is not a Word document (.docx): {why}",
                Source(reference.as_posix(), 1, 1),
                "give a .docx saved by Word or LibreOffice Writer, or leave out --reference-doc",
            )
        ) from e


def _base(reference: Path | None) -> Document:
    """A new document, or ``reference`` with its body emptied (its section kept)."""
    if reference is None:
        return docx.Document()
    doc = open_reference(reference)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def document(report: Report, pngs: dict[str, bytes], reference: Path | None = None) -> Document:
    """The python-docx Document of the report (``pngs``: chart name → PNG bytes)."""
    doc = _base(reference)
    _page(doc, own_styles=reference is not None)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = report.title, "rmxl", "rmxl"
    props.created = props.modified = stamp()
    props.revision = 1
    _front(doc, report)
    notes = 0
    blocks: list[Block | None] = [*report.blocks, None]
    for block, after in itertools.pairwise(blocks):
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level - 1)
        elif isinstance(block, Paragraph):
            notes += bool(block.note)
            _paragraph(doc, block, notes, isinstance(after, Table | Chart))
        elif isinstance(block, Table):
            _table(doc, block)
        elif block is not None and block.name in pngs:
            _picture(doc, block, pngs[block.name])
    add_footnotes(doc, report.notes)
    _footer(doc, report.source)
    return doc


def render_docx(report: Report, pngs: dict[str, bytes], reference: Path | None = None) -> bytes:
    """The .docx file's bytes, identical for an identical report (module doc)."""
    buf = io.BytesIO()
    document(report, pngs, reference).save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip package with every member's time set to 1980-01-01 00:00."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()
