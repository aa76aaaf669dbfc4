"""The simulator's command splitter: declared lengths, unknown commands, partial input."""

from __future__ import annotations

from printer_support import FONT

from drivers.printer.profile import PROFILES
from drivers.printer.wire_parser import split_command
from drivers.printer.wire_simulator import WireSimulator


def test_known_commands_and_text() -> None:
    assert split_command(b"\x1ba\x01rest") == (b"\x1ba", b"\x01", 3)
    assert split_command(b"AB\x1c&") == (b"text", b"AB", 2)
    assert split_command(b"\n") == (b"\n", b"", 1)
    assert split_command(b"\x1dVA\x03") == (b"\x1dV", b"A\x03", 4)
    assert split_command(b"\x1dV\x01") == (b"\x1dV", b"\x01", 3)
    assert split_command(b"\x1d(k\x03\x001Q0") == (b"\x1d(k", b"1Q0", 8)
    assert split_command(b"\x1dv0\x00\x01\x00\x01\x00\xff") == (b"\x1dv", b"\x00\x01\x00\x01\x00\xff", 9)


def test_incomplete_commands_wait_for_more_bytes() -> None:
    for partial in (b"\x1b", b"\x1ba", b"\x1d(k\x05\x001P0", b"\x1dv0\x00\x01\x00\x02\x00\xff", b"\x10\x04"):
        assert split_command(partial) is None


def test_unknown_commands_are_skipped_by_their_declared_length() -> None:
    gs_paren_e = b"\x1d(E\x03\x00\x01\x02\x03"  # GS ( E: length 3
    assert split_command(gs_paren_e + b"X") == (b"unknown", gs_paren_e, len(gs_paren_e))
    gs_8_l = b"\x1d8L\x02\x00\x00\x00ab"  # GS 8 L: four-byte length 2
    assert split_command(gs_8_l) == (b"unknown", gs_8_l, 9)
    assert split_command(b"\x1bt\x0fX") == (b"unknown", b"\x1bt\x0f", 3)  # tabled: ESC t n


def test_simulator_ignores_unknown_commands_and_keeps_printing() -> None:
    simulator = WireSimulator(PROFILES["80mm"], FONT)
    simulator.feed(b"\x1b@\x1d(E\x03\x00\x01\x10\x04\x1bt\x0fAB\n")  # a DLE EOT inside an argument
    assert simulator.lines == ["AB"]
    assert len(simulator.unknown_commands) == 2


def test_realtime_query_is_answered_even_while_offline() -> None:
    simulator = WireSimulator(PROFILES["80mm"], FONT)
    sent: list[bytes] = []
    simulator.send = sent.append
    simulator.set_cover_open(True)
    simulator.feed(b"AB\n\x10\x04\x02")
    assert sent == [b"\x16"]  # 0x12 | cover open
    assert simulator.lines == []  # the text waits while the cover is open
    simulator.set_cover_open(False)
    assert simulator.lines == ["AB"]
