"""The report as a Word document (python-docx), byte-identical for the same report.

A4 pages; headings, sentences, tables (header row bold and repeated, numbers
right-aligned) and each chart as a picture with its title as alternative text. python-docx
stamps zip members with the current time, so the package is re-zipped with fixed member
times, and the document's created/modified properties are ``$SOURCE_DATE_EPOCH`` (else
2000-01-01 UTC): the same report gives the same bytes (reproducible-builds.org's rule).
No figure is computed here.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from rmxl.render.report.content import Chart, Heading, Paragraph, Report, Table

TEXT_WIDTH_CM = 16.6  # A4 (21 cm) less two margins of 2.2 cm
PICTURE_WIDTH = Cm(16.5)
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HEADER_FILL = "DCE6F1"  # light blue of the header row


def stamp() -> dt.datetime:
    """The document's timestamp: ``$SOURCE_DATE_EPOCH`` (seconds, UTC) if set and valid,
    else 2000-01-01 UTC."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw.isdigit():
        return dt.datetime.fromtimestamp(int(raw), dt.UTC)
    return FIXED_TIME


def _page(doc: Document) -> None:
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin = section.bottom_margin = Cm(2.2)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)


def _shade(cell: object, fill: str) -> None:
    """Fill a cell (explicit shading renders the same in Word and LibreOffice, where
    table-style conditional formats did not: a stray rule above the second-last row)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)  # type: ignore[attr-defined]


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _widths(n: int) -> list[Cm]:
    """Column widths (cm) over the text width: the label column gets what the numbers
    leave (labels like "International and Regional Organizations and Associations")."""
    number = 2.9 if n > 3 else 4.2
    return [Cm(TEXT_WIDTH_CM - number * (n - 1)), *([Cm(number)] * (n - 1))]


def _table(doc: Document, table: Table) -> None:
    """A table in a plain grid; the header row is shaded and repeats on a new page, a
    ``Total`` row is bold, and rows keep with the next so a short table is not split."""
    rows = [table.headers, *table.rows]
    t = doc.add_table(rows=len(rows), cols=len(table.headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _repeat_header(t.rows[0])
    widths = _widths(len(table.headers))
    for column, width in zip(t.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice reads; Word reads the cells'
    for r, cells in enumerate(rows):
        bold = r == 0 or cells[0] == "Total"
        for c, text in enumerate(cells):
            cell = t.cell(r, c)
            cell.width = widths[c]
            para = cell.paragraphs[0]
            para.paragraph_format.keep_with_next = r < len(rows) - 1
            run = para.add_run(text)
            run.bold = bold
            if r == 0:
                _shade(cell, HEADER_FILL)
            run.font.size = Pt(9.5)
            if table.numeric[c]:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def _picture(doc: Document, chart: Chart, data: bytes) -> None:
    doc.add_picture(io.BytesIO(data), width=PICTURE_WIDTH)
    para = doc.paragraphs[-1]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    shape = doc.inline_shapes[-1]
    shape._inline.docPr.set("descr", chart.title)


def document(report: Report, pngs: dict[str, bytes]) -> Document:
    """The python-docx Document of the report (``pngs``: chart name → PNG bytes)."""
    doc = docx.Document()
    _page(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = report.title, "rmxl", "rmxl"
    props.created = props.modified = stamp()
    props.revision = 1
    doc.add_heading(report.title, level=0)
    for block in report.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level - 1)
        elif isinstance(block, Paragraph):
            para = doc.add_paragraph(block.text)
            para.paragraph_format.keep_with_next = True  # never an orphan intro
        elif isinstance(block, Table):
            _table(doc, block)
        elif block.name in pngs:
            _picture(doc, block, pngs[block.name])
    return doc


def render_docx(report: Report, pngs: dict[str, bytes]) -> bytes:
    """The .docx file's bytes, identical for an identical report (module doc)."""
    buf = io.BytesIO()
    document(report, pngs).save(buf)
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
