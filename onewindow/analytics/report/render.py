"""The monthly report as a Word file (python-docx) and a PDF (WeasyPrint), laid out like the briefings'
bulletin (`briefings.render`): East-Asian fonts set explicitly on every run and style (w:rFonts w:eastAsia:
方正小标宋简体 for the title, 黑体 for headings, 仿宋 for the body, Times New Roman for Latin and figures);
the PDF from `templates/analytics/report_pdf.html`, fonts from fontconfig (Noto CJK embedded)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle
from docx.text.run import Run
from weasyprint import HTML  # type: ignore[import-untyped]

from onewindow.analytics.report.headline import month_label
from onewindow.analytics.report.tables import Report
from onewindow.web.tables import Cell, Table

LATIN = "Times New Roman"
TITLE, HEADING, BODY = "方正小标宋简体", "黑体", "仿宋"


def report_title(report: Report) -> str:
    return _("%(month)s政务服务运行分析报告") % {"month": month_label(report.filters.period.first)}


def _east_asian(owner: Run | BaseStyle, face: str) -> None:
    rpr = owner.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN)
    fonts.set(qn("w:eastAsia"), face)
    fonts.set(qn("w:hint"), "eastAsia")


def _run(run: Run, face: str, size: float) -> Run:
    run.font.size = Pt(size)
    _east_asian(run, face)
    return run


def cell_text(value: Cell) -> str:
    return "—" if value is None or value == "" else str(value)


def report_docx(report: Report, sender: str) -> bytes:
    document = Document()
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.top_margin, page.bottom_margin, page.left_margin, page.right_margin = Mm(30), Mm(25), Mm(24), Mm(22)
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    _east_asian(normal, BODY)
    normal.element.get_or_add_rPr().append(parse_xml(f'<w:lang {nsdecls("w")} w:eastAsia="zh-CN"/>'))
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title.add_run(report_title(report)), TITLE, 20)
    byline = document.add_paragraph()
    byline.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(byline.add_run(sender), BODY, 12)
    _paragraph(document, report.headline)
    for heading, tables in report.sections:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(8)
        _run(paragraph.add_run(heading), HEADING, 14)
        for table in tables:
            _table(document, table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraph(document: DocumentObject, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(24)
    _run(paragraph.add_run(text), BODY, 12)


def _table(document: DocumentObject, table: Table) -> None:
    caption = document.add_paragraph()
    _run(caption.add_run(table.title), HEADING, 11)
    if not table.rows:
        _paragraph(document, "本月无数据。")
        return
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    lines = [[label for _key, label in table.columns], *[[cell_text(c) for c in row] for row in table.cells]]
    for index, (row, texts) in enumerate(zip(grid.rows, lines, strict=True)):
        for cell, text in zip(row.cells, texts, strict=True):
            _run(cell.paragraphs[0].add_run(text), HEADING if index == 0 else BODY, 9)
    grid.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))


def _cells(table: Table, linked: bool) -> list[list[tuple[str, str | None]]]:
    """Each cell's text, with the cases behind it on the page (`linked`; never in the PDF)."""
    return [
        [
            (cell_text(c), table.link(index, key) if linked else None)
            for c, (key, _label) in zip(row, table.columns, strict=True)
        ]
        for index, row in enumerate(table.cells)
    ]


def report_context(report: Report, sender: str, *, linked: bool = False) -> dict[str, Any]:
    """What the report templates need (the PDF and the preview page; the page links the figures to their
    cases)."""
    return {
        "report": report,
        "title": report_title(report),
        "sender": sender,
        "sections": [(heading, [(t, _cells(t, linked)) for t in tables]) for heading, tables in report.sections],
    }


def report_pdf(report: Report, sender: str) -> bytes:
    html = render_to_string("analytics/report_pdf.html", report_context(report, sender))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
