"""Exact ESC/POS bytes for every command the encoder emits, and wrapping by display width."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.printer import encoder
from drivers.printer.document import Align, Cut, Document, Feed, Image, QrCode, Rule, Text
from drivers.printer.encoder import EscposEncoder, display_width, encode_runs, wrap
from drivers.printer.profile import PROFILES, Cutter, profile_from_options

P80 = PROFILES["80mm"]


def test_simple_commands_are_exact() -> None:
    assert encoder.INIT == b"\x1b\x40"
    assert encoder.align(Align.LEFT) == b"\x1b\x61\x00"
    assert encoder.align(Align.CENTER) == b"\x1b\x61\x01"
    assert encoder.align(Align.RIGHT) == b"\x1b\x61\x02"
    assert encoder.bold(True) == b"\x1b\x45\x01"
    assert encoder.bold(False) == b"\x1b\x45\x00"
    assert encoder.size(1, 1) == b"\x1d\x21\x00"
    assert encoder.size(2, 2) == b"\x1d\x21\x11"
    assert encoder.size(3, 1) == b"\x1d\x21\x20"
    assert encoder.size(8, 8) == b"\x1d\x21\x77"
    assert encoder.feed(3) == b"\x1b\x64\x03"
    assert encoder.KANJI_ON == b"\x1c\x26"
    assert encoder.KANJI_OFF == b"\x1c\x2e"
    assert encoder.JOB_FENCE == b"\x1d\x72\x01"
    assert encoder.CLEAR_BUFFER == b"\x10\x14\x08\x01\x03\x14\x01\x06\x02\x08"
    with pytest.raises(ValueError):
        encoder.size(9, 1)


def test_qr_native_is_gs_k_model2_module_level_store_print() -> None:
    assert encoder.qr_native(b"AB", 6) == (
        b"\x1d\x28\x6b\x04\x00\x31\x41\x32\x00"  # model 2
        b"\x1d\x28\x6b\x03\x00\x31\x43\x06"  # module 6 dots
        b"\x1d\x28\x6b\x03\x00\x31\x45\x31"  # error correction M
        b"\x1d\x28\x6b\x05\x00\x31\x50\x30AB"  # store: pL pH = len + 3
        b"\x1d\x28\x6b\x03\x00\x31\x51\x30"  # print
    )
    long = encoder.qr_native(b"x" * 300, 3)
    assert b"\x1d\x28\x6b\x2f\x01\x31\x50\x30" in long  # 303 = 0x012f


def test_raster_is_gs_v_0_with_sizes_and_bands() -> None:
    picture = Image(width=10, height=2, bits=b"\xff\xc0\x80\x40")
    assert encoder.raster(picture) == b"\x1d\x76\x30\x00\x02\x00\x02\x00\xff\xc0\x80\x40"
    tall = Image(width=8, height=300, bits=b"\x01" * 300)
    assert encoder.raster(picture, double=True)[:4] == b"\x1d\x76\x30\x03"
    data = encoder.raster(tall)
    assert data.count(b"\x1d\x76\x30\x00") == 2
    assert data.startswith(b"\x1d\x76\x30\x00\x01\x00\x00\x01")  # 256 rows
    assert b"\x1d\x76\x30\x00\x01\x00\x2c\x00" in data  # then 44


@pytest.mark.parametrize(
    ("cutter", "partial", "expected"),
    [
        (Cutter.FULL, False, b"\x1d\x56\x41\x03"),
        (Cutter.FULL, True, b"\x1d\x56\x42\x03"),
        (Cutter.PARTIAL, False, b"\x1d\x56\x42\x03"),
        (Cutter.NONE, False, b"\x1b\x64\x05"),
    ],
)
def test_cut_follows_the_profile(cutter: Cutter, partial: bool, expected: bytes) -> None:
    profile = profile_from_options({"cutter": cutter.value})
    assert encoder.cut(profile, partial) == expected


def test_chinese_runs_are_wrapped_in_fs_and_and_encoded_by_profile() -> None:
    assert encode_runs("受理 A1，", "gb18030") == (
        b"\x1c\x26" + "受理".encode("gb18030") + b"\x1c\x2e" + b" A1" + b"\x1c\x26\xa3\xac\x1c\x2e"
    )
    assert encode_runs("。", "gbk") == b"\x1c\x26\xa1\xa3\x1c\x2e"  # punctuation only
    assert encode_runs("臺灣", "big5") == b"\x1c\x26" + "臺灣".encode("big5") + b"\x1c\x2e"
    rare = encode_runs("𠀀", "gb18030")
    assert rare == b"\x1c\x26\x95\x32\x82\x36\x1c\x2e"  # a four-byte GB18030 character
    assert encode_runs("a\tb", "gb18030") == b"a b"  # no control bytes leak into the stream


def test_text_block_bytes() -> None:
    data = EscposEncoder(P80).encode_block(Text("办事", size=2, bold=True, align=Align.CENTER))
    assert data == (
        b"\x1b\x61\x01\x1b\x45\x01\x1d\x21\x11"
        + b"\x1c\x26"
        + "办事".encode("gb18030")
        + b"\x1c\x2e\n"
        + b"\x1d\x21\x00\x1b\x45\x00\x1b\x61\x00"
    )


def test_document_starts_with_init_and_has_each_block() -> None:
    document = Document("t", (Text("A"), Rule(), Feed(2), QrCode("x"), Cut()))
    data = EscposEncoder(P80).encode(document)
    assert data.startswith(b"\x1b\x40")
    assert b"-" * 48 + b"\n" in data
    assert b"\x1b\x64\x02" in data
    assert b"\x1d\x28\x6b" in data
    assert data.endswith(b"\x1d\x56\x41\x03")


def test_profile_without_native_qr_sends_a_raster_image() -> None:
    profile = profile_from_options({"profile": "58mm", "qr": "image"})
    data = EscposEncoder(profile).encode_block(QrCode("https://example.gov.cn/c/1"))
    assert b"\x1d\x28\x6b" not in data
    assert b"\x1d\x76\x30\x03" in data  # module 6 sent as 3 at double size: a quarter the bytes
    odd = EscposEncoder(profile).encode_block(QrCode("https://example.gov.cn/c/1", module=5))
    assert b"\x1d\x76\x30\x00" in odd


def test_line_the_codec_cannot_encode_is_printed_as_an_image(font) -> None:
    gbk = PROFILES["80mm-gbk"]
    data = EscposEncoder(gbk, font).encode_block(Text("申请人：张𠀀"))
    assert b"\x1c\x26" not in data and b"\x1d\x76\x30\x00" in data
    assert EscposEncoder(gbk, font).encode_block(Text("申请人：张三")).count(b"\x1c\x26") == 1


def test_qr_module_shrinks_to_fit_narrow_paper() -> None:
    data = EscposEncoder(PROFILES["58mm"]).encode_block(QrCode("x" * 200, module=16))
    module = data[data.index(b"\x31\x43") + 2]
    assert module < 16


def test_image_wider_than_paper_is_refused() -> None:
    with pytest.raises(ValueError):
        EscposEncoder(PROFILES["58mm"]).encode_block(Image(400, 1, b"\x00" * 50))


def test_wrap_examples() -> None:
    assert wrap("一二三四五六七八九", 8) == ["一二三四", "五六七八", "九"]
    assert wrap("一二三，四", 6) == ["一二", "三，四"]  # comma never starts a line
    assert wrap("ab 一二三", 5) == ["ab 一", "二三"]  # a CJK character is never split
    assert wrap("hello world", 8) == ["hello", "world"]
    assert wrap("第一行\n第二行", 20) == ["第一行", "第二行"]
    # a number with its marks moves to the next line whole (an English label is longer)
    assert wrap("Resident ID card: 320102********123X", 32) == ["Resident ID card:", "320102********123X"]
    assert wrap("Enquiry line: 025-58000001", 20) == ["Enquiry line:", "025-58000001"]


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
TEXT = st.text(alphabet=st.one_of(CJK, st.sampled_from(list("，。、：；！？）《》 abcXYZ0123"))), max_size=80)


@given(TEXT, st.integers(min_value=4, max_value=48))
def test_wrap_never_overflows_and_keeps_every_character(text: str, cells: int) -> None:
    lines = wrap(text, cells)
    assert all(display_width(line) <= cells for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_image_from_pillow_packs_rows_msb_first_black_as_one() -> None:
    from PIL import Image as PilImage

    picture = PilImage.new("L", (10, 2), 255)
    picture.putpixel((0, 0), 0)
    picture.putpixel((9, 1), 0)
    image = Image.from_pil(picture)
    assert (image.width, image.height) == (10, 2)
    assert image.bits == b"\x80\x00\x00\x40"
    assert Image.from_pil(PilImage.new("L", (1000, 10), 255), max_width=500).width == 500
    with pytest.raises(ValueError):
        Image(10, 2, b"\x00")
