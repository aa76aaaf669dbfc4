"""Each text-decoding rule, on bytes and through both decoders and the camera pipeline."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import segno

from drivers.device import DeviceState
from drivers.qr.decoders import ZbarDecoder, ZxingDecoder
from drivers.qr.factory import make_qr_scanner
from drivers.qr.text import decode_eci_stream, guess_text, split_eci_stream
from tests.drivers.qr.test_qr_camera import Recorder, code_image, frame_with, wait_for


def test_guesses_for_bytes_without_eci() -> None:
    assert guess_text("营保回".encode()) == "营保回"  # UTF-8 first
    assert guess_text("营业执照".encode("gb18030")) == "营业执照"  # all-katakana as Shift_JIS
    assert guess_text("张三丰".encode("gb18030")) == "张三丰"
    assert guess_text("日本語の漢字".encode("shift_jis")) == "日本語の漢字"  # GBK rarities as GB
    assert guess_text("café au lait".encode("latin-1")) == "café au lait"
    assert guess_text(b"01]\x1d17") == "01]\x1d17"  # GS1 separators are text
    assert guess_text(b"\x00\xff\x81\x82") is None  # binary: undecodable, never garbage
    assert guess_text(b"\x85\x86\x87") is None  # C1 controls in every reading


def test_eci_blocks_are_decoded_by_their_declared_character_set() -> None:
    assert decode_eci_stream(b"]Q2\\000026" + "营保回".encode()) == "营保回"
    assert decode_eci_stream(b"]Q2\\000029" + "张三丰".encode("gb18030")) == "张三丰"
    assert decode_eci_stream(b"]Q2\\000032" + "张三丰".encode("gb18030")) == "张三丰"
    assert decode_eci_stream(b"]Q2\\000020" + "日本語".encode("shift_jis")) == "日本語"
    assert decode_eci_stream(b"]Q2\\000003caf\xe9\\000026" + "茶".encode()) == "café茶"
    assert decode_eci_stream(b"]Q2\\000003a\\\\b") == "a\\b"  # a doubled backslash is one
    assert decode_eci_stream(b"]Q1" + "营保回".encode()) == "营保回"  # no ECI: guessed
    # declared but not fitting, binary, unknown or malformed: undecodable
    assert decode_eci_stream(b"]Q2\\000026" + "张三丰".encode("gb18030")) is None
    assert decode_eci_stream(b"]Q2\\000899abc") is None
    assert decode_eci_stream(b"]Q2\\000777abc") is None
    assert split_eci_stream(b"]Q2\\00abc") is None
    assert split_eci_stream(b"abc") is None


KANJI = "日本語の漢字"
CASES = [
    ("kanji mode", segno.make_qr(KANJI, mode="kanji"), KANJI),
    ("kanji mode, short", segno.make_qr("点字", mode="kanji"), "点字"),
    ("ECI UTF-8", segno.make_qr("营保回", encoding="utf-8", eci=True), "营保回"),
    ("ECI GB 18030", segno.make_qr("张三丰", mode="byte", encoding="gb18030", eci=True), "张三丰"),
    ("ECI Shift_JIS", segno.make_qr("日本語テキスト", mode="byte", encoding="shift_jis", eci=True),
     "日本語テキスト"),
    ("ECI Latin-1", segno.make_qr("café", mode="byte", encoding="latin-1", eci=True), "café"),
    ("no ECI, GB 18030", segno.make_qr("营业执照", mode="byte", encoding="gb18030"), "营业执照"),
    ("no ECI, UTF-8", segno.make_qr("营保回", mode="byte", encoding="utf-8"), "营保回"),
]


@pytest.mark.parametrize(("label", "qr", "text"), CASES, ids=[c[0] for c in CASES])
def test_both_decoders_give_the_declared_text(label: str, qr: segno.QRCode, text: str) -> None:
    image = code_image(qr)
    for decoder in (ZxingDecoder(), ZbarDecoder()):
        found = decoder.decode(image)
        assert [(d.text, d.readable) for d in found] == [(text, True)], decoder.name


def test_binary_code_is_undecodable_in_both_decoders() -> None:
    image = code_image(segno.make_qr(b"\x00\xff\x81\x82", mode="byte"))
    for decoder in (ZxingDecoder(), ZbarDecoder()):
        assert [(d.raw, d.readable) for d in decoder.decode(image)] == [
            (b"\x00\xff\x81\x82", False)]


def invert(frame: np.ndarray) -> np.ndarray:
    return cv2.bitwise_not(frame)


def test_camera_reads_light_on_dark_codes_and_reports_undecodable_ones(tmp_path: Path) -> None:
    frames = [
        invert(frame_with(segno.make_qr(KANJI, mode="kanji"), seed=1)),  # dark mode phone
        frame_with(segno.make_qr(b"\x00\xff\x81\x82", mode="byte"), seed=2),
        invert(frame_with(segno.make_qr("电子证照", encoding="utf-8", eci=True), (1280, 720),
                          angle=30, seed=3)),
    ]
    for i, frame in enumerate(frames):
        cv2.imwrite(str(tmp_path / f"{i:02d}.png"), frame)
    scanner = make_qr_scanner(f"camera://{tmp_path}/?budget_ms=1000")
    rec = Recorder()
    scanner.subscribe(rec)
    scanner.open()
    try:
        wait_for(lambda: len(rec.codes()) == 2 and rec.undecodable())
        wait_for(lambda: scanner.status.state is DeviceState.OFFLINE)
        assert rec.codes() == [KANJI, "电子证照"]
        assert rec.undecodable() == [b"\x00\xff\x81\x82"]
    finally:
        scanner.close()
