"""The bulletin's chart: annual plan vs completed year to date, one pair of bars per project.

Horizontal bars, so that long Chinese project names read as labels. The SVG is inline in the PDF's
HTML (no JavaScript in a PDF); the PNG, drawn with Pillow and the Noto CJK font, goes into Word.
At most MAX_BARS projects, the largest plans first; the table lists them all.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from html import escape
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from onewindow.briefings.domain.printable import ChartBar

MAX_BARS = 20
LABEL_CHARS = 14
PLAN_COLOUR = "#c9ced6"
DONE_COLOUR = "#b3261e"
FONT_FAMILY = "Noto Sans CJK SC"
FONT_FALLBACK_FILE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@dataclass(frozen=True)
class Layout:
    label_width: int = 220
    bar_width: int = 380
    value_width: int = 90
    row_height: int = 34
    top: int = 34
    bottom: int = 12

    @property
    def width(self) -> int:
        return self.label_width + self.bar_width + self.value_width

    def height(self, rows: int) -> int:
        return self.top + rows * self.row_height + self.bottom


LAYOUT = Layout()


def chart_bars(bars: Sequence[ChartBar]) -> list[ChartBar]:
    return sorted(bars, key=lambda bar: (-bar.plan, -bar.done, bar.label))[:MAX_BARS]


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _scale(bars: Sequence[ChartBar]) -> Decimal:
    return max([bar.plan for bar in bars] + [bar.done for bar in bars] + [Decimal(1)])


def _share_text(bar: ChartBar) -> str:
    if bar.plan <= 0:
        return "—"
    return f"{bar.done / bar.plan * 100:.1f}%"


def chart_svg(bars: Sequence[ChartBar]) -> str:
    """An SVG bar chart (UTF-8 text) to place inline in the bulletin's HTML."""
    chosen = chart_bars(bars)
    scale, box = _scale(chosen), LAYOUT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{box.width}" height="{box.height(len(chosen))}" '
        f'viewBox="0 0 {box.width} {box.height(len(chosen))}" font-family="{FONT_FAMILY}" font-size="12">',
        _legend_svg(),
    ]
    for row, bar in enumerate(chosen):
        y = box.top + row * box.row_height
        plan_w = float(bar.plan / scale) * box.bar_width
        done_w = float(bar.done / scale) * box.bar_width
        parts += [
            f'<text x="{box.label_width - 8}" y="{y + 19}" text-anchor="end">{escape(_label(bar.label))}</text>',
            f'<rect x="{box.label_width}" y="{y + 4}" width="{plan_w:.1f}" height="12" fill="{PLAN_COLOUR}"/>',
            f'<rect x="{box.label_width}" y="{y + 17}" width="{done_w:.1f}" height="12" fill="{DONE_COLOUR}"/>',
            f'<text x="{box.label_width + box.bar_width + 6}" y="{y + 19}">{_share_text(bar)}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def _legend_svg() -> str:
    x = LAYOUT.label_width
    return (
        f'<rect x="{x}" y="8" width="12" height="12" fill="{PLAN_COLOUR}"/>'
        f'<text x="{x + 16}" y="18">年度计划投资</text>'
        f'<rect x="{x + 110}" y="8" width="12" height="12" fill="{DONE_COLOUR}"/>'
        f'<text x="{x + 126}" y="18">累计完成投资</text>'
        f'<text x="{x + LAYOUT.bar_width + 6}" y="18">完成率</text>'
    )


@lru_cache(maxsize=1)
def _font_face() -> tuple[str, int] | None:
    """The Noto CJK SC face (file, index in the collection), through fontconfig where it is installed."""
    fc_match = shutil.which("fc-match")
    if fc_match:
        found = subprocess.run(  # noqa: S603 - a fixed command, no user input
            [fc_match, "-f", "%{file}|%{index}", f"{FONT_FAMILY}:lang=zh-cn"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        path, _bar, index = found.partition("|")
        if "CJK" in path and index.isdigit():
            return path, int(index)
    return (str(FONT_FALLBACK_FILE), 2) if FONT_FALLBACK_FILE.exists() else None


@lru_cache(maxsize=4)
def _font(face: tuple[str, int], size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(face[0], size, index=face[1])


def chart_png(bars: Sequence[ChartBar], *, scale: int = 2) -> bytes | None:
    """The same chart as a PNG for Word; None when no CJK font is installed (Word then has the table only)."""
    face = _font_face()
    if face is None:
        return None
    chosen = chart_bars(bars)
    box = LAYOUT
    image = Image.new("RGB", (box.width * scale, box.height(len(chosen)) * scale), "white")
    draw = ImageDraw.Draw(image)
    font = _font(face, 12 * scale)
    _legend_png(draw, font, scale)
    top = _scale(chosen)
    for row, bar in enumerate(chosen):
        y = (box.top + row * box.row_height) * scale
        label = _label(bar.label)
        label_w = draw.textlength(label, font=font)
        draw.text((box.label_width * scale - 8 * scale - label_w, y + 8 * scale), label, font=font, fill="black")
        x0 = box.label_width * scale
        plan_w = float(bar.plan / top) * box.bar_width * scale
        done_w = float(bar.done / top) * box.bar_width * scale
        draw.rectangle((x0, y + 4 * scale, x0 + plan_w, y + 16 * scale), fill=PLAN_COLOUR)
        draw.rectangle((x0, y + 17 * scale, x0 + done_w, y + 29 * scale), fill=DONE_COLOUR)
        value_x = (box.label_width + box.bar_width + 6) * scale
        draw.text((value_x, y + 8 * scale), _share_text(bar), font=font, fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)  # optimize=True costs 0.25 s a chart
    return out.getvalue()


def _legend_png(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont, scale: int) -> None:
    x = LAYOUT.label_width * scale
    for offset, colour, text in ((0, PLAN_COLOUR, "年度计划投资"), (110, DONE_COLOUR, "累计完成投资")):
        left = x + offset * scale
        draw.rectangle((left, 8 * scale, left + 12 * scale, 20 * scale), fill=colour)
        draw.text((left + 16 * scale, 6 * scale), text, font=font, fill="black")
    draw.text(((LAYOUT.label_width + LAYOUT.bar_width + 6) * scale, 6 * scale), "完成率", font=font, fill="black")
