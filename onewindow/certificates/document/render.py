"""The certificate as a PDF: the HTML template drawn by WeasyPrint with Noto CJK (Debian
`fonts-noto-cjk`, embedded), the QR code (segno, SVG) to the public verification page, the seal drawn
in red. The font configuration and the style sheet are made once per process and reused.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import CSS, HTML  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

_lock = threading.Lock()


@dataclass(frozen=True)
class Printable:
    """What the document shows: no model, so the benchmark and the CLI can render without a database."""

    title: str
    number: str
    identifier: str
    holder_name: str
    holder_id_number: str
    fields: list[tuple[str, str]]
    department_name: str
    issued_on: str
    valid_text: str
    verify_url: str
    version: int = 1
    template: str = "licence"
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _fonts_and_style() -> tuple[Any, Any]:
    fonts = FontConfiguration()
    style = CSS(string=render_to_string("certificates/document.css"), font_config=fonts)
    return fonts, style


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG (error correction M, four-module quiet zone)."""
    svg: str = segno.make(url, error="m", micro=False).svg_inline(scale=4, border=4, dark="#000")
    return svg


def certificate_html(printable: Printable) -> str:
    context = {
        "c": printable,
        "qr_svg": mark_safe(qr_svg(printable.verify_url)),  # noqa: S308  # segno's own markup, the URL escaped by it
    }
    return render_to_string(f"certificates/document_{printable.template}.html", context)


def certificate_pdf(printable: Printable) -> bytes:
    """The unsigned PDF (fonts embedded)."""
    fonts, style = _fonts_and_style()
    document = HTML(string=certificate_html(printable))
    with _lock:  # WeasyPrint's font configuration is shared: one rendering at a time per process
        pdf: bytes = document.write_pdf(stylesheets=[style], font_config=fonts)
    return pdf
