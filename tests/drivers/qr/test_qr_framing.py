"""Framing a scanner's byte stream: suffixes, idle timeout, overflow, acknowledgements."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.qr.framing import Frame, Framer, Suffix
from drivers.qr.triggers import HONEYWELL, NEWLAND, NEWLAND_ACK, ZKTECO, newland_command


def texts(frames: list[Frame]) -> list[bytes]:
    return [f.data for f in frames]


@pytest.mark.parametrize(
    "suffix, stream",
    [
        (Suffix.CR, b"ABC\rDEF\r"),
        (Suffix.CRLF, b"ABC\r\nDEF\r\n"),
        (Suffix.LF, b"ABC\nDEF\n"),
        (Suffix.CR, b"ABC\r\nDEF\r\n"),  # a CR LF scanner on a port set to CR
    ],
)
def test_suffix_ends_frames(suffix: Suffix, stream: bytes) -> None:
    framer = Framer(suffix)
    assert texts(framer.feed(stream, 0.0)) == [b"ABC", b"DEF"]
    assert not framer.pending


def test_crlf_split_between_reads() -> None:
    framer = Framer(Suffix.CRLF)
    assert framer.feed(b"ABC\r", 0.0) == []
    assert texts(framer.feed(b"\nDEF\r\n", 0.01)) == [b"ABC", b"DEF"]


def test_no_suffix_frames_on_idle_only() -> None:
    framer = Framer(Suffix.NONE, idle_timeout=0.05)
    assert framer.feed(b"ABC", 0.0) == []
    assert framer.feed(b"DEF", 0.03) == []  # still within the idle gap: same code
    assert framer.poll(0.07) == []
    assert framer.deadline() == pytest.approx(0.08)
    frames = framer.poll(0.09)
    assert texts(frames) == [b"ABCDEF"] and frames[0].by_idle


def test_lost_suffix_is_rescued_by_idle() -> None:
    framer = Framer(Suffix.CR, idle_timeout=0.05)
    assert framer.feed(b"ABC", 0.0) == []
    assert texts(framer.feed(b"DEF\r", 0.2)) == [b"ABC", b"DEF"]


def test_overflow_is_reported_once_and_bounded() -> None:
    framer = Framer(Suffix.CR, max_frame=16)
    frames = []
    for i in range(100):
        frames += framer.feed(b"X" * 1000, i * 0.001)
        assert len(framer._buffer) <= 16
    frames += framer.feed(b"tail\rOK\r", 0.1)
    assert [f.overflow for f in frames] == [True, False]
    assert frames[1].data == b"OK"


def test_acknowledgements_are_stripped() -> None:
    framer = Framer(Suffix.CR, idle_timeout=0.05, ignore=[NEWLAND_ACK])
    assert framer.feed(NEWLAND_ACK, 0.0) == []
    assert framer.poll(0.1) == []  # an ack alone is no code
    assert texts(framer.feed(NEWLAND_ACK + b"CODE\r", 0.2)) == [b"CODE"]


def test_trigger_commands_match_the_documented_bytes() -> None:
    assert HONEYWELL.start == bytes.fromhex("16540D") and HONEYWELL.stop == bytes.fromhex("16550D")
    assert NEWLAND.enter_trigger_mode == bytes.fromhex("7E0008010000D5EF41")
    assert NEWLAND.start == bytes.fromhex("7E000801000201 02DA".replace(" ", ""))
    assert NEWLAND.stop == bytes.fromhex("7E00080100020232B9")
    assert newland_command(0x08, 2, b"\x01") == NEWLAND.start
    assert ZKTECO.start == b"T" and ZKTECO.stop == b"P"


codes = st.lists(
    st.binary(min_size=1, max_size=40).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")
                                          ).filter(bool),
    min_size=1, max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(codes, st.sampled_from([Suffix.CR, Suffix.CRLF, Suffix.LF]), st.data())
def test_any_split_of_the_stream_gives_the_same_frames(
    items: list[bytes], suffix: Suffix, data: st.DataObject
) -> None:
    stream = b"".join(item + suffix.bytes for item in items)
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(stream) - 1)), max_size=8)))
    framer = Framer(suffix, idle_timeout=1.0)
    frames: list[Frame] = []
    start = 0
    for n, cut in enumerate([*cuts, len(stream)]):
        frames += framer.feed(stream[start:cut], n * 0.001)
        start = cut
    assert texts(frames) == items


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=5000), st.sampled_from(list(Suffix)))
def test_garbage_never_grows_the_buffer_beyond_the_limit(stream: bytes, suffix: Suffix) -> None:
    framer = Framer(suffix, max_frame=64, idle_timeout=0.01)
    for i in range(0, len(stream), 97):
        for frame in framer.feed(stream[i : i + 97], i * 0.001):
            assert len(frame.data) <= 64
        assert len(framer._buffer) <= 64
    framer.poll(100.0)
    assert not framer.pending
