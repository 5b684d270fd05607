"""The bulletin as a Word file (python-docx), laid out like a 重点办 document.

Fonts are set explicitly for East-Asian text (w:rFonts w:eastAsia): 方正小标宋简体 for the title,
黑体 for headings, 仿宋 for the body; Latin text and figures in Times New Roman. The document's
font table names a Noto CJK face as each Chinese font's alternative (w:altName), which Word and
LibreOffice use where the Windows fonts are missing. The chart is a PNG of the PDF's chart.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle
from docx.table import Table as DocxTable
from docx.text.run import Run
from lxml import etree  # type: ignore[import-untyped]

from onewindow.briefings.domain.amounts import period_text
from onewindow.briefings.domain.printable import Printable, Section, Table
from onewindow.briefings.render.chart import chart_png

LATIN = "Times New Roman"
TEXT_WIDTH_MM = 210 - 28 - 26
CELL_STYLE, HEADER_STYLE = "Bulletin Table Text", "Bulletin Table Header"


@dataclass(frozen=True)
class Face:
    east_asia: str
    fallback: str  # the Noto CJK face named as the alternative in the font table


TITLE = Face("方正小标宋简体", "Noto Serif CJK SC")
HEADING = Face("黑体", "Noto Sans CJK SC")
BODY = Face("仿宋", "Noto Serif CJK SC")
FACES = (TITLE, HEADING, BODY)


def bulletin_docx(bulletin: Printable) -> bytes:
    document = Document()
    _page_setup(document)
    _name_fallback_fonts(document)
    _style_normal(document)
    _title(document, bulletin)
    _paragraph(document, bulletin.summary)
    for section in bulletin.sections:
        _section(document, section)
        if section.heading.startswith("二"):
            _chart(document, bulletin)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page_setup(document: DocumentObject) -> None:
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.top_margin, page.bottom_margin = Mm(37), Mm(35)
    page.left_margin, page.right_margin = Mm(28), Mm(26)


def _name_fallback_fonts(document: DocumentObject) -> None:
    """Add each Chinese face to the font table with a Noto CJK alternative name."""
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    fonts = parse_xml(part.blob)
    for face in FACES:
        fonts.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{face.east_asia}"><w:altName w:val="{face.fallback}"/>'
                '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
            )
        )
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _east_asian(owner: Run | BaseStyle, face: Face) -> None:
    """w:rFonts with the East-Asian face and Latin for the rest, on a run's or a style's rPr."""
    rpr = owner.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN)
    fonts.set(qn("w:eastAsia"), face.east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _style_normal(document: DocumentObject) -> None:
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)  # 三号
    _east_asian(normal, BODY)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    normal.element.get_or_add_rPr().append(parse_xml(f'<w:lang {nsdecls("w")} w:eastAsia="zh-CN"/>'))
    for name, face in ((CELL_STYLE, BODY), (HEADER_STYLE, HEADING)):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(10.5)  # 五号
        _east_asian(style, face)
        style.paragraph_format.line_spacing = 1.0
        style.paragraph_format.first_line_indent = Pt(0)


def _run(run: Run, face: Face, size: float, *, bold: bool = False) -> Run:
    run.font.size = Pt(size)
    run.font.bold = bold
    _east_asian(run, face)
    return run


def _title(document: DocumentObject, bulletin: Printable) -> None:
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title.add_run(bulletin.title), TITLE, 22)
    byline = document.add_paragraph()
    byline.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(byline.add_run(f"（{bulletin.leader_name}同志包联项目 · {period_text(bulletin.period)}）"), BODY, 14)
    sender = document.add_paragraph()
    sender.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(sender.add_run(bulletin.sender), BODY, 14)


def _paragraph(document: DocumentObject, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    _run(paragraph.add_run(text), BODY, 16)


def _section(document: DocumentObject, section: Section) -> None:
    heading = document.add_paragraph()
    heading.paragraph_format.space_before = Pt(8)
    _run(heading.add_run(section.heading), HEADING, 16)
    for text in section.paragraphs:
        _paragraph(document, text)
    if section.table is not None:
        _table(document, section.table)


def _table(document: DocumentObject, table: Table) -> None:
    if not table.rows:
        _paragraph(document, table.empty_text + "。")
        return
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Mm(TEXT_WIDTH_MM * w / 100) for w in table.widths] if table.widths else None
    if widths:
        grid.autofit = False
    # The style ids, set on each cell's paragraph directly (python-docx looks a name up per call: slow).
    header_id, cell_id = (document.styles[name].style_id for name in (HEADER_STYLE, CELL_STYLE))
    for index, row in enumerate(grid.rows):
        texts = table.columns if index == 0 else table.rows[index - 1]
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph._p.style = header_id if index == 0 else cell_id
            paragraph.alignment = _align(index, column, table)
            paragraph.add_run(text)
            if widths:
                cell.width = widths[column]
    for cell in grid.rows[0].cells:
        cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="EDEDED"/>'))
    _repeat_header(grid)


def _align(row: int, column: int, table: Table) -> WD_ALIGN_PARAGRAPH:
    if row == 0:
        return WD_ALIGN_PARAGRAPH.CENTER
    return WD_ALIGN_PARAGRAPH.RIGHT if column in table.numeric else WD_ALIGN_PARAGRAPH.LEFT


def _repeat_header(grid: DocxTable) -> None:
    """The header row repeats on every page a long table runs over."""
    grid.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))


def _chart(document: DocumentObject, bulletin: Printable) -> None:
    picture = chart_png(bulletin.chart)
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if picture is None:
        _run(caption.add_run("（投资完成图见 PDF 版；完成率见上表。）"), BODY, 12)
        return
    document.add_picture(io.BytesIO(picture), width=Mm(150))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(caption.add_run("图：年度计划投资与累计完成投资"), BODY, 12)
