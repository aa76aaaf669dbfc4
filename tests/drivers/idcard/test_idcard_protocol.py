"""Frames, commands and SW3 codes of the SAM protocol, byte for byte (hardware.md §1.2-1.5)."""

from __future__ import annotations

import functools
import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.errors import (
    CardReadFailed,
    DeviceFault,
    FrameChecksumError,
    FrameLengthError,
    NoCard,
    ProtocolError,
    SamFault,
)
from drivers.idcard import protocol as p

# Every command frame, written out by hand from hardware.md §1.3.
COMMAND_BYTES = [
    (p.RESET, "AA AA AA 96 69 00 03 10 FF EC"),
    (p.SAM_STATUS, "AA AA AA 96 69 00 03 11 FF ED"),
    (p.SAM_ID, "AA AA AA 96 69 00 03 12 FF EE"),
    (p.FIND_CARD, "AA AA AA 96 69 00 03 20 01 22"),
    (p.SELECT_CARD, "AA AA AA 96 69 00 03 20 02 21"),
    (p.READ_BASE, "AA AA AA 96 69 00 03 30 01 32"),
    (p.READ_APPENDED_ADDRESS, "AA AA AA 96 69 00 03 30 03 30"),
    (p.READ_BASE_FINGERPRINT, "AA AA AA 96 69 00 03 30 10 23"),
    (p.SET_RF_MAX, "AA AA AA 96 69 00 04 61 FF 50 CA"),
    (p.set_baud_rate(115200), "AA AA AA 96 69 00 03 60 00 63"),
    (p.set_baud_rate(9600), "AA AA AA 96 69 00 03 60 04 67"),
]


@pytest.mark.parametrize(("command", "hex_bytes"), COMMAND_BYTES, ids=lambda v: getattr(v, "name", ""))
def test_command_frames_are_exact(command: p.Command, hex_bytes: str) -> None:
    assert command.frame == bytes.fromhex(hex_bytes)


def test_unknown_baud_rate_is_refused() -> None:
    with pytest.raises(ValueError):
        p.set_baud_rate(4800)


@given(st.binary(max_size=3000))
def test_checksum_is_xor_of_every_byte(data: bytes) -> None:
    assert p.xor_checksum(data) == functools.reduce(operator.xor, data, 0)


def test_find_response_decodes() -> None:
    frame = bytes.fromhex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
    response = p.decode_response(frame)
    assert (response.sw1, response.sw2, response.sw3) == (0, 0, 0x9F)
    assert response.data == bytes(4)
    assert response.encode() == frame


def test_read_response_header_matches_the_documented_example() -> None:
    body = p.encode_base_info(p.BaseInfo(bytes(256), bytes(1024)))
    frame = p.Response(0, 0, 0x90, body).encode()
    assert frame[:14] == bytes.fromhex("AA AA AA 96 69 05 08 00 00 90 01 00 04 00")
    assert len(frame) == 1295
    info = p.parse_base_info(p.decode_response(frame).data)
    assert (len(info.text), len(info.photo), info.fingerprint) == (256, 1024, b"")


def test_fingerprint_body_takes_its_length_from_bytes_14_15() -> None:
    info = p.BaseInfo(b"t" * 256, b"w" * 1024, b"f" * 1024)
    body = p.encode_base_info(info, with_fingerprint=True)
    assert body[:6] == bytes.fromhex("01 00 04 00 04 00")
    assert p.parse_base_info(body, with_fingerprint=True) == info


@pytest.mark.parametrize(
    "body",
    [b"", b"\x01\x00", bytes.fromhex("0100 0400") + bytes(100), bytes.fromhex("0080 0000") + bytes(128)],
)
def test_inconsistent_base_info_is_a_length_error(body: bytes) -> None:
    with pytest.raises(FrameLengthError):
        p.parse_base_info(body)


def test_bad_checksum_is_a_checksum_error() -> None:
    frame = bytearray(p.Response(0, 0, 0x90).encode())
    frame[-1] ^= 1
    with pytest.raises(FrameChecksumError):
        p.decode_response(bytes(frame))


@pytest.mark.parametrize(
    "frame",
    [
        "AA AA AA 96 69 00 03 00 00 03",  # shorter than SW1 SW2 SW3 CHK
        "AA AA AA 96 69 FF FF 00",  # beyond any real frame
        "AA AA AA 96 69 00 05 00 00 90",  # cut short
        "AA AA AA 96 69 00 04 00 00 90 94 00",  # a byte after the end
    ],
)
def test_impossible_lengths_are_length_errors(frame: str) -> None:
    with pytest.raises(FrameLengthError):
        p.decode_response(bytes.fromhex(frame))


def test_decoder_skips_noise_and_resynchronises() -> None:
    good = p.Response(0, 0, 0x9F, bytes(4)).encode()
    broken = bytearray(good)
    broken[-1] ^= 0xFF
    decoder = p.FrameDecoder(min_len=p.MIN_RESPONSE_LEN)
    decoder.feed(b"\x00\xaa\xaa\x96" + bytes(broken) + b"\xaa\xaa\xaa\x96\x69\xff\xff" + good)
    with pytest.raises(FrameChecksumError):
        decoder.next_payload()
    with pytest.raises(FrameLengthError):
        decoder.next_payload()
    assert decoder.next_payload() == good[7:-1]
    assert decoder.next_payload() is None
    assert decoder.skipped >= 4


def test_decoder_reassembles_a_frame_fed_byte_by_byte() -> None:
    frame = p.Response(0, 0, 0x90, b"xyz").encode()
    decoder = p.FrameDecoder()
    results = []
    for byte in b"\x13\xaa" + frame:
        assert decoder.needed() >= 1
        decoder.feed(bytes([byte]))
        results.append(decoder.next_payload())
    assert results[-1] == b"\x00\x00\x90xyz"
    assert all(r is None for r in results[:-1])


SW3_ERRORS = [
    (0x80, NoCard),
    (0x81, CardReadFailed),
    (0x91, CardReadFailed),
    (0x10, ProtocolError),
    (0x11, ProtocolError),
    (0x21, ProtocolError),
    (0x23, DeviceFault),
    (0x24, DeviceFault),
    (0x40, CardReadFailed),
    (0x41, CardReadFailed),
    (0x47, CardReadFailed),
    (0x60, SamFault),
    (0x66, SamFault),
    (0x31, CardReadFailed),
    (0x32, CardReadFailed),
    (0x33, CardReadFailed),
    (0x77, DeviceFault),  # not in the table
]


@pytest.mark.parametrize(("sw3", "error"), SW3_ERRORS)
def test_every_failing_sw3_raises_its_declared_error(sw3: int, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        p.Response(0, 0, sw3).raise_for_sw3("find_card")
    assert type(caught.value) is error
    assert f"0x{sw3:02X}" in str(caught.value)


def test_success_codes_pass() -> None:
    ok = p.Response(0, 0, 0x90)
    assert ok.raise_for_sw3() is ok
    assert p.Response(0, 0, 0x9F).raise_for_sw3(ok=(0x9F,)).sw3 == 0x9F
    assert set(p.SW3_MEANINGS) == {0x90, 0x9F} | {code for code, _ in SW3_ERRORS if code != 0x77}
