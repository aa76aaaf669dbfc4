"""Encoder → wire simulator → the text and QR recovered from the paper equal the document's."""

from __future__ import annotations

import pytest
import zxingcpp
from printer_support import run_through_simulator

from drivers.printer.document import Align, Cut, Document, Feed, Image, QrCode, Rule, Text
from drivers.printer.encoder import wrap
from drivers.printer.profile import PROFILES, profile_from_options

SIMPLIFIED = "申请人：张*丰，身份证号码：320102********1234。您的申请已受理，请保持电话畅通！"
TRADITIONAL = "申請人：陳*華。您的申請已受理，請保持電話暢通！「臺灣」『香港』"
PUNCTUATION = "，。、；：？！“”‘’（）《》【】—…·￥"
RARE = "生僻字：𠀀 𪚥 㐀 䶮 堃"  # U+20000, U+2A6A5, U+3400 are four bytes in GB18030


def expected_lines(document: Document, cells: int) -> list[str]:
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, Text):
            lines += wrap(block.text, cells // block.size)
    return lines


def printed_text_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if line and set(line) != {"-"}]


@pytest.mark.parametrize(
    ("profile_name", "texts"),
    [
        ("80mm", [SIMPLIFIED, TRADITIONAL, PUNCTUATION, RARE]),
        ("58mm", [SIMPLIFIED, TRADITIONAL, PUNCTUATION, RARE]),
        ("80mm-gbk", [SIMPLIFIED, PUNCTUATION, "堃喆犇龘"]),
        ("80mm-big5", [TRADITIONAL, "，。、；：？！（）《》"]),
    ],
)
def test_text_survives_the_wire(profile_name: str, texts: list[str], font) -> None:
    profile = PROFILES[profile_name]
    big5 = profile.encoding == "big5"
    blocks = [Text("受理回執" if big5 else "受理回执", size=2, bold=True, align=Align.CENTER)]
    blocks += [Text(text) for text in texts]
    blocks += [Text("服務電話 12345" if big5 else "服务电话 12345", align=Align.RIGHT)]
    blocks += [Rule(), Feed(1), Cut()]
    document = Document("t", tuple(blocks))
    simulator = run_through_simulator(document, profile, font)
    assert printed_text_lines(simulator.lines) == expected_lines(document, profile.cells)
    assert "".join(simulator.lines).replace(" ", "").find(texts[0].replace(" ", "")) >= 0
    assert simulator.overflows == 0  # the encoder's wrapping matches the printer's lines
    assert simulator.unknown_commands == []
    assert len(simulator.pieces) == 1  # cut once
    assert simulator.pieces[0].width == profile.width_dots


def test_characters_the_codec_lacks_print_as_a_picture_not_as_garbage(font) -> None:
    document = Document("t", (Text("繁體：臺灣"), Text("简体：服务"), Text("end")))
    simulator = run_through_simulator(document, PROFILES["80mm-big5"], font)
    assert simulator.lines == ["繁體：臺灣", "end"]  # the middle line went as a raster image
    page = simulator.take_pages()[0]
    assert page.height >= 2 * 30 + 24  # two text lines and the picture of one


@pytest.mark.parametrize("options", [{"profile": "80mm"}, {"profile": "58mm", "qr": "image"}])
def test_qr_decodes_from_the_rendered_paper(options: dict[str, str], font) -> None:
    url = "https://zwfw.example.gov.cn/case/202611220010001"
    profile = profile_from_options(options)
    document = Document("t", (Text("扫码查询"), QrCode(url), Text("end"), Cut()))
    page = run_through_simulator(document, profile, font).take_pages()[0]
    results = zxingcpp.read_barcodes(page)
    assert [r.text for r in results] == [url]


def test_raster_image_lands_on_paper_where_aligned(font) -> None:
    picture = Image(width=16, height=4, bits=b"\xff\xff" * 4, align=Align.RIGHT)
    simulator = run_through_simulator(Document("t", (picture,)), PROFILES["58mm"], font)
    page = simulator.take_pages()[0].convert("L")
    assert page.getpixel((383, 0)) == 0 and page.getpixel((367, 0)) == 255 and page.getpixel((368, 3)) == 0


def test_sizes_bold_and_alignment_reach_the_paper(font) -> None:
    document = Document("t", (Text("大字", size=3, align=Align.CENTER),))
    page = run_through_simulator(document, PROFILES["80mm"], font).take_pages()[0]
    box = page.point(lambda v: 255 - v).getbbox()
    assert box is not None
    left, top, right, bottom = box
    assert bottom - top > 48  # triple height: glyphs taller than two normal lines
    assert abs((left + right) / 2 - 288) < 24  # centred on 576 dots
