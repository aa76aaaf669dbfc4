"""Render a document to a bitmap the way a thermal printer lays it out.

Used by the in-process simulator to save what it printed as a PNG. Wrapping is by pixel
width, so a CJK character (two cells) is never split.
"""

from __future__ import annotations

from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from drivers.printer.document import Align, Cut, Document, Feed, QrCode, Rule, Text
from drivers.printer.document import Image as Picture

BASE_FONT_PX = 24  # a 24×24 Chinese font, as on most kiosk printers
MARGIN = 8


def load_font(path: Path | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if path is not None and path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` pixels, keeping explicit newlines."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if line and font.getlength(line + char) > width:
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return lines


def render(document: Document, width_dots: int, font_path: Path | None) -> Image.Image:
    """Draw ``document`` on a strip of paper ``width_dots`` wide."""
    pieces: list[tuple[Image.Image, Align]] = []
    usable = width_dots - 2 * MARGIN
    for block in document.blocks:
        if isinstance(block, Text):
            scale = block.size
            font = load_font(font_path, BASE_FONT_PX * scale)
            while block.one_line and scale > 1 and font.getlength(block.text) > usable:
                scale -= 1
                font = load_font(font_path, BASE_FONT_PX * scale)
            for line in wrap(block.text, font, usable):
                height = int(BASE_FONT_PX * block.size * 1.25)
                img = Image.new("L", (max(1, int(font.getlength(line)) + 2), height), 255)
                draw = ImageDraw.Draw(img)
                draw.text((0, 0), line, font=font, fill=0)
                if block.bold:
                    draw.text((1, 0), line, font=font, fill=0)
                pieces.append((img, block.align))
        elif isinstance(block, Rule):
            img = Image.new("L", (usable, 12), 255)
            ImageDraw.Draw(img).line((0, 6, usable, 6), fill=0, width=2)
            pieces.append((img, Align.LEFT))
        elif isinstance(block, QrCode):
            qr = segno.make(block.data, error="m", encoding="utf-8", micro=False)
            img = qr_image(qr, block.module)
            pieces.append((img, block.align))
        elif isinstance(block, Picture):
            row_bytes = (block.width + 7) // 8
            bits = Image.frombytes("1", (row_bytes * 8, block.height), block.bits)
            img = bits.convert("L").point(lambda v: 255 - v).crop((0, 0, block.width, block.height))
            pieces.append((img, block.align))
        elif isinstance(block, Feed):
            pieces.append((Image.new("L", (1, BASE_FONT_PX * block.lines), 255), Align.LEFT))
        elif isinstance(block, Cut):
            img = Image.new("L", (usable, 16), 255)
            draw = ImageDraw.Draw(img)
            for x in range(0, usable, 12):
                draw.line((x, 8, x + 6, 8), fill=128, width=1)
            pieces.append((img, Align.LEFT))
    height = sum(p.height for p, _ in pieces) + 2 * MARGIN
    paper = Image.new("L", (width_dots, height), 255)
    y = MARGIN
    for img, align in pieces:
        if align is Align.CENTER:
            x = (width_dots - img.width) // 2
        elif align is Align.RIGHT:
            x = width_dots - MARGIN - img.width
        else:
            x = MARGIN
        paper.paste(img, (max(0, x), y))
        y += img.height
    return paper


def qr_image(qr: segno.QRCode, module: int) -> Image.Image:
    """A QR code as a greyscale image with a quiet zone of four modules."""
    matrix = [list(row) for row in qr.matrix_iter(scale=module, border=4)]
    img = Image.new("L", (len(matrix[0]), len(matrix)), 255)
    pixels = img.load()
    assert pixels is not None
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                pixels[x, y] = 0
    return img
