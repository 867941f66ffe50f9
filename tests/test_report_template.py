"""The whole document from a template (rmxl/render/report/template.py, assemble.py):
the demo template gives the seed's document; figures are RM_ expressions evaluated by the
function layer of ``rmxl eval``; a mistake is refused at file:line:col and nothing is
written; changing one sentence changes only that sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmxl.diagnostics import CATALOGUE
from rmxl.pipeline.load import figures
from rmxl.query.figures import Figures
from rmxl.render.report.assemble import build_from_template
from rmxl.render.report.blocks import Heading, Paragraph, Report
from rmxl.render.report.template import ReportTemplateError, load_template, read_template
from rmxl.render.report.text import render_text

from conftest import DEMO, run_cli

TEMPLATE = DEMO.parent / "workbook" / "report-template.md"


@pytest.fixture(scope="module")
def demo() -> Figures:
    return figures(DEMO)


@pytest.fixture(scope="module")
def document(demo: Figures) -> Report:
    return build_from_template(demo, load_template(TEMPLATE))


def _from(demo: Figures, text: str) -> Report:
    return build_from_template(demo, read_template(text.encode(), "t.md"))


def _errors(demo: Figures, text: str) -> list[tuple[str, int, int]]:
    with pytest.raises(ReportTemplateError) as e:
        _from(demo, text)
    return [(d.code, d.source.line, d.source.column) for d in e.value.diagnostics if d.source]


def test_demo_template_has_the_seeds_numbered_sections(document: Report) -> None:
    headings = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 2]
    assert headings == [
        "1. Background",
        "2. ITU-D partnerships and resource mobilization strategic objective",
        "3. Partnerships and results of resource mobilization in 2022",
        "4. Partnerships and results of resource mobilization between 1 January and 30 April 2023",
        "5. Key Actions and Outcomes",
        "6. Way forward",
        "Contact",
    ]
    leads = [b.lead for b in document.blocks if isinstance(b, Paragraph) and b.lead]
    assert leads[:3] == ["Summary:", "Action required:", "References:"]
    bullets = [b.lead for b in document.blocks if isinstance(b, Paragraph) and b.bullet and b.lead]
    assert bullets == [
        "Cultivating/strengthening the relationship with existing partners:",
        "Outreach to new potential partners:",
        "Enhancing collaboration with UN agencies:",
    ]


def test_demo_template_figures_are_the_seeds(document: Report) -> None:
    said = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert (
        "In 2022, BDT signed 71 agreements with a wide range of partners, out of which 50 had "
        "financial contributions amounting to around USD 9.7 million. The list of these "
        "agreements can be found in Document TDAG23/INF/1."
    ) in said
    assert any(
        t.startswith("From 1 January to 30 April 2023, BDT signed 30 agreements") for t in said
    )
    assert any("12% ITU-D Sector Members (7% SIO and 5% ROA)" in t for t in said)
    assert any(t.startswith("The ITU-D priorities of the Kigali Action Plan") for t in said)
    assert any(t.startswith("The outcomes of the Partner2Connect Digital Coalition") for t in said)
    assert ("Period", "2022 and 1 January to 30 April 2023") in document.front
    assert len(document.charts) == 9  # 4 per period and the comparison


def test_figures_use_the_function_layer_of_rmxl_eval(demo: Figures) -> None:
    report = _from(
        demo,
        'A {{ RM_TOTAL(2022,"funds") | usd_millions }} B {{ RM_SHARE("region","Africa",2022)'
        ' | percent1 }} C {{ RM_TOTAL(2022) | usd }} D {{ RM_TOTAL(2022, "partners") }}'
        ' E {{ RM_INFO("agreements") }}.',
    )
    text = next(b.text for b in report.blocks if isinstance(b, Paragraph))
    # spec example; 642,886 / 9,669,771 = 6.65%; seed total; 57 partners (seed §3)
    assert text == "A USD 9.7 million B 6.6% C USD 9,669,771 D 57 E 101."


@pytest.mark.parametrize(
    ("text", "code", "line", "col"),
    [
        ("x\n\nIn {{ RM_TOTL(2022) | count }}.\n", "report-template-function", 3, 7),
        (
            'Share {{ RM_SHARE("region","Afrika",2022) | percent }}\n',
            "report-template-argument",
            1,
            10,
        ),
        ('In {{ RM_TOTAL("2023-13") | count }}\n', "report-template-argument", 1, 7),
        ("In {{ RM_TOTAL(2022) | count \n", "report-template-syntax", 1, 4),
        ('In {{ RM_TOTAL(2022, "funds") | millions }}\n', "report-template-format", 1, 33),
        ("a\n\n  {% region(2022) %}\n", "report-template-block", 3, 6),
        ("{% regions(2031) %}\n", "report-template-argument", 1, 4),
        ('Share {{ RM_SHARE("region","Africa",2022) }}\n', "report-template-format", 1, 10),
        ("{# never closed\n", "report-template-syntax", 1, 1),
        ('In {{ RM_BREAKDOWN("region", 2022) }}\n', "report-template-function", 1, 7),
    ],
)
def test_mistakes_are_refused_where_they_are(
    demo: Figures, text: str, code: str, line: int, col: int
) -> None:
    assert code in CATALOGUE
    assert _errors(demo, text) == [(code, line, col)]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("{% regions() %}\n", "regions takes 1 argument(s) (period), not 0"),
        ("{% regions(2022, 2023) %}\n", "regions takes 1 argument(s) (period), not 2"),
        ("{% top(2022) %}\n", "top takes 2 argument(s) (count, period), not 1"),
    ],
)
def test_a_block_with_the_wrong_number_of_arguments_is_refused_at_it(
    demo: Figures, text: str, shown: str
) -> None:
    # before: a ValueError traceback from zip(strict=True) while the report was built
    assert _errors(demo, text) == [("report-template-block", 1, 4)]
    with pytest.raises(ReportTemplateError) as e:
        _from(demo, text)
    assert shown in str(e.value.diagnostics[0])


def test_every_mistake_at_once_with_a_hint(demo: Figures) -> None:
    with pytest.raises(ReportTemplateError) as e:
        _from(demo, "{{ RM_TOTL(2022) }}\n\n{% regons(2022) %}\n")
    diags = e.value.diagnostics
    assert [d.code for d in diags] == ["report-template-function", "report-template-block"]
    assert "RM_TOTAL" in str(diags[0]) and "did you mean 'regions'" in diags[1].hint


def test_cli_refuses_a_bad_template_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "t.md"
    bad.write_text('# Title\n\nIn {{ RM_TOTAL(2022, "fundz") | usd }}.\n', encoding="utf-8")
    out = tmp_path / "r.docx"
    code, _, stderr = run_cli(
        "report", "--ledger", str(DEMO), "--template", str(bad), "--out", str(out)
    )
    assert code == 1 and not out.exists() and list(tmp_path.iterdir()) == [bad]
    assert f"{bad.as_posix()}:3:7: error[report-template-argument]" in stderr
    assert "Traceback" not in stderr


def test_cli_without_a_template_still_needs_a_period() -> None:
    code, _, stderr = run_cli("report", "--ledger", str(DEMO))
    assert code == 2 and "--period" in stderr


def test_changing_one_sentence_changes_only_that_sentence(
    demo: Figures, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1682812800")
    text = TEMPLATE.read_text(encoding="utf-8")
    old = "TDAG is invited to note this document and provide guidance as deemed appropriate."
    new = "TDAG is invited to approve this document."
    assert text.count(old) == 1
    before = render_text(_from(demo, text)).split("\n\n")
    after = render_text(_from(demo, text.replace(old, new))).split("\n\n")
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    changed = [(" ".join(a.split()), " ".join(b.split())) for a, b in changed]
    assert changed == [("Action required: " + old, "Action required: " + new)]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"root:x:0:0:root:/root:/bin/bash\n", "Package not found at"),
        (b"", "Package not found at"),
        (b"PK\x03\x04garbage", "Package not found at"),
        ((DEMO.parent / "workbook" / "rm.xlsx").read_bytes(), "file '"),  # a workbook
    ],
)
def test_a_reference_doc_that_is_no_docx_is_refused_at_it(
    tmp_path: Path, content: bytes, why: str
) -> None:
    # before: a PackageNotFoundError (or KeyError, ValueError) traceback
    ref = tmp_path / "styles.docx"
    ref.write_bytes(content)
    out = tmp_path / "r.docx"
    code, _, stderr = run_cli(
        "report",
        "--ledger",
        str(DEMO),
        "--period",
        "2022",
        "--reference-doc",
        str(ref),
        "--out",
        str(out),
    )
    assert code == 1 and "Traceback" not in stderr, stderr
    assert stderr.startswith(
        f"{ref.as_posix()}:1:1: error[report-reference]: the reference document is not a Word"
        f" document (.docx): {why}"
    )
    assert stderr.endswith("nothing written\n") and sorted(tmp_path.iterdir()) == [ref]
