"""Reading a PDF back as a person would: its text (pypdf), its page as a picture (pdftoppm from
poppler-utils) and the QR codes on that picture (zxing-cpp)."""

from __future__ import annotations

import io
import subprocess

import pypdf
import zxingcpp
from PIL import Image


def pdf_text(pdf: bytes) -> str:
    """The text of every page, in order."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def page_size_mm(pdf: bytes) -> tuple[float, float]:
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return float(box.width) * 25.4 / 72, float(box.height) * 25.4 / 72


def render_page(pdf: bytes, dpi: int = 150) -> Image.Image:
    """The first page drawn by poppler, as a greyscale image."""
    png = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-gray", "-singlefile", "-"],
                         input=pdf, capture_output=True, check=True, timeout=60).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def qr_texts(pdf: bytes, dpi: int = 150) -> list[str]:
    """What the QR codes on the first page say, decoded from the rendered page."""
    return [code.text for code in zxingcpp.read_barcodes(render_page(pdf, dpi))]
