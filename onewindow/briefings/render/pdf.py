"""The bulletin as a PDF: the HTML template drawn by WeasyPrint, the chart inline as SVG.

Fonts come from fontconfig: the Windows names (仿宋, 黑体) first, then Noto CJK (Debian
`fonts-noto-cjk`), which WeasyPrint embeds. No JavaScript: the chart is drawn on the server.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML  # type: ignore[import-untyped]

from onewindow.briefings.domain.amounts import period_text
from onewindow.briefings.domain.printable import Printable
from onewindow.briefings.render.chart import MAX_BARS, chart_svg


def bulletin_context(bulletin: Printable) -> dict[str, Any]:
    """What the bulletin templates need (the PDF and the preview page)."""
    return {
        "bulletin": bulletin,
        "period_label": period_text(bulletin.period),
        # Every label in the SVG is escaped where it is drawn (render.chart).
        "chart_svg": mark_safe(chart_svg(bulletin.chart)) if bulletin.chart else "",  # noqa: S308
        "chart_max": MAX_BARS,
    }


def bulletin_html(bulletin: Printable) -> str:
    return render_to_string("briefings/bulletin_pdf.html", bulletin_context(bulletin))


def bulletin_pdf(bulletin: Printable) -> bytes:
    pdf: bytes = HTML(string=bulletin_html(bulletin)).write_pdf(presentational_hints=True)  # <col width>
    return pdf
