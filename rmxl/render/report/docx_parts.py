"""Word parts python-docx has no API for: footnotes and page-number fields.

python-docx 1.x reads and writes footnotes only as an opaque part, so
:func:`add_footnotes` writes ``word/footnotes.xml`` itself (ECMA-376 Part 1 §17.11: the
separator and continuation-separator notes ``-1`` and ``0``, then one ``w:footnote`` per
note from id 1), relates it to the document part (the relationship type and content type
python-docx and Word use), and :func:`footnote_reference` puts the superscript mark in a
paragraph. Footnote text and marks use direct formatting (9 pt, superscript), so no
style has to exist in the document or in a team's reference .docx. :func:`add_field`
writes a complex field (§17.16.18: ``begin``, instruction, ``separate``, the cached
result, ``end``) that Word and LibreOffice update when they lay out the page: ``PAGE``
and ``NUMPAGES`` give "Page n of N".
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NOTE_SIZE = 18  # half-points: 9 pt

_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
    'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
)


def _note(n: int, text: str) -> str:
    mark = f'<w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="{NOTE_SIZE}"/></w:rPr>'
    return (
        f'<w:footnote w:id="{n}"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
        f"<w:r>{mark}<w:footnoteRef/></w:r>"
        f'<w:r><w:rPr><w:sz w:val="{NOTE_SIZE}"/></w:rPr><w:t xml:space="preserve"> '
        f"{escape(text)}</w:t></w:r></w:p></w:footnote>"
    )


def footnotes_xml(notes: list[str]) -> bytes:
    """The footnotes part: the two separators, then note ``i`` with id ``i`` (from 1)."""
    body = "".join(_note(i, t) for i, t in enumerate(notes, 1))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W}">{_SEPARATORS}{body}</w:footnotes>'
    ).encode()


def add_footnotes(doc: Document, notes: list[str]) -> None:
    """Give the document a footnotes part holding ``notes`` (replacing the notes of a
    reference document that had some: its body is not kept, so neither are they)."""
    if not notes:
        return
    blob = footnotes_xml(notes)
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            part: Any = rel.target_part
            if hasattr(part, "_element"):  # an XmlPart: replace its tree
                from docx.oxml.parser import parse_xml

                part._element = parse_xml(blob)
            else:
                part._blob = blob
            return
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, blob, doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)


def footnote_reference(paragraph: Any, n: int) -> None:
    """Append the superscript mark of footnote ``n`` to a python-docx paragraph."""
    run = paragraph.add_run()
    r_pr = run._r.get_or_add_rPr()
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    r_pr.append(align)
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(n))
    run._r.append(ref)


def add_field(paragraph: Any, instruction: str, shown: str = "1") -> None:
    """Append a field (``PAGE``, ``NUMPAGES``) whose cached result is ``shown``."""

    def char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(el)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")
