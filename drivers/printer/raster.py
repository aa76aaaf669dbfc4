"""Render a document to a bitmap the way a thermal printer lays it out.

Kept for callers of ``render`` (the printer bench); the renderer itself is
``drivers.printer.paper``, shared by both printer simulators.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PIL import Image

from drivers.printer.document import Document
from drivers.printer.paper import render_document
from drivers.printer.profile import PROFILES


def render(document: Document, width_dots: int, font_path: Path | None) -> Image.Image:
    """Draw ``document`` on a strip of paper ``width_dots`` wide (an 80 mm profile's dialect)."""
    return render_document(document, dataclasses.replace(PROFILES["80mm"], width_dots=width_dots), font_path)
