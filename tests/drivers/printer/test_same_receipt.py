"""``sim://`` and ``simwire://`` lay a receipt out identically: one renderer draws both."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from drivers.printer.document import Align, Cut, Document, Feed, QrCode, Rule, Text
from drivers.printer.document import Image as Picture
from drivers.printer.factory import make_printer
from kiosk.config.settings import KioskConfig


def receipt() -> Document:
    checker = Image.new("L", (64, 32), 255)
    for x in range(0, 64, 8):
        checker.paste(0, (x, 0, x + 4, 32))
    return Document(
        "receipt",
        (
            Text("便民服务中心 回执", size=2, bold=True, align=Align.CENTER),
            Text("受理编号 A-2026-000123-XYZ", size=2, one_line=True),
            Rule(),
            Text(
                "申请人：邓䶮 𠀾（生僻字）。这一行很长，要在纸宽处折行，标点不能出现在行首，English words wrap whole."
            ),
            Text("右对齐", align=Align.RIGHT),
            QrCode("https://example.gov.cn/case/A-2026-000123", module=6),
            Picture.from_pil(checker),
            Feed(2),
            Cut(),
        ),
    )


@pytest.mark.parametrize("profile", ["80mm", "58mm"])
def test_sim_and_simwire_print_the_same_pixels(profile: str, tmp_path: Path, shipped_config: KioskConfig) -> None:
    ui = shipped_config.ui
    document = receipt()
    pngs = []
    for scheme in ("sim", "simwire"):
        out = tmp_path / scheme
        printer = make_printer(f"{scheme}://?profile={profile}", out, ui.font, fallback_fonts=ui.fallback_fonts)
        printer.open()
        try:
            printer.print_document(document)
        finally:
            printer.close()
        (png,) = out.glob("*-receipt.png")
        pngs.append(Image.open(png).convert("L"))
    on_sim, on_wire = pngs
    assert ImageChops.invert(on_sim).getbbox() is not None  # something was printed
    assert on_sim.size == on_wire.size
    assert ImageChops.difference(on_sim, on_wire).getbbox() is None  # pixel-identical
