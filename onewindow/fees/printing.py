"""The payment notice (缴款通知书) as a PDF: an HTML template drawn by WeasyPrint with Noto CJK (like the
certificates, `certificates/document/render.py`), with the QR code of the payment code (segno, SVG)."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import CSS, HTML  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

from onewindow.fees.selectors.notice import BillNotice

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _fonts_and_style() -> tuple[Any, Any]:
    fonts = FontConfiguration()
    style = CSS(string=render_to_string("fees/notice.css"), font_config=fonts)
    return fonts, style


def qr_svg(text: str) -> str:
    svg: str = segno.make(text, error="m", micro=False).svg_inline(scale=4, border=4, dark="#000")
    return svg


def bill_html(notice: BillNotice) -> str:
    code = notice.bill.payment_code or ""
    context = {
        "notice": notice,
        "bill": notice.bill,
        "qr_svg": mark_safe(qr_svg(code)) if code else "",  # noqa: S308  # segno's own markup of digits
    }
    return render_to_string("fees/notice_pdf.html", context)


def bill_pdf(notice: BillNotice) -> bytes:
    fonts, style = _fonts_and_style()
    document = HTML(string=bill_html(notice))
    with _lock:  # WeasyPrint's font configuration is shared: one rendering at a time per process
        pdf: bytes = document.write_pdf(stylesheets=[style], font_config=fonts)
    return pdf
