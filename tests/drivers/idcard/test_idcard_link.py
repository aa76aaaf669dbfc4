"""The real driver's link layer against the wire simulator on a pty and on TCP.

Every injected fault must end in a declared ``DriverError`` or a successful retry, within
the command deadlines (each test is also bounded by a wall-clock check).
"""

from __future__ import annotations

import datetime
import os
import time

import pytest
import serial
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from idcard_timing import FAST

from drivers.errors import (
    CardDataInvalid,
    CardReadFailed,
    DeviceNotFound,
    DeviceTimeout,
    FrameChecksumError,
    FrameLengthError,
    NoCard,
    ProtocolError,
    SamFault,
)
from drivers.idcard import protocol as p
from drivers.idcard import samples
from drivers.idcard.record import IdCardRecord
from drivers.idcard.sam_link import SamLink, open_port, read_card_once, read_present_card
from drivers.idcard.sim_transport import PtyReaderSimulator, TcpReaderSimulator
from drivers.idcard.wire_simulator import Fault, FaultKind, ReaderModel


@pytest.fixture
def link(pty_sim: PtyReaderSimulator):  # type: ignore[no-untyped-def]
    link = SamLink(open_port(pty_sim.port))
    yield link
    link.close()


@pytest.mark.parametrize("sample", samples.ALL, ids=lambda r: r.card_type.value)
def test_read_each_card_type_over_a_pty(sample: IdCardRecord, model: ReaderModel, pty_sim: PtyReaderSimulator) -> None:
    model.place(sample)
    record = read_card_once(pty_sim.port, wait=1.0, timing=FAST)
    assert record == IdCardRecord(**{**sample.__dict__, "photo_wlt": record.photo_wlt})
    assert len(record.photo_wlt) == 1024


def test_read_over_tcp(model: ReaderModel, tcp_sim: TcpReaderSimulator) -> None:
    model.place(samples.RESIDENT)
    assert read_card_once(tcp_sim.url, wait=1.0, timing=FAST).id_number == samples.RESIDENT.id_number


def test_fingerprint_read(model: ReaderModel, pty_sim: PtyReaderSimulator) -> None:
    card = IdCardRecord(**{**samples.RESIDENT.__dict__, "fingerprint": b"\x43" * 1024})
    model.place(card)
    record = read_card_once(pty_sim.port, wait=1.0, timing=FAST, with_fingerprint=True)
    assert record.fingerprint == b"\x43" * 1024


def test_commands_reach_the_reader_byte_exact(model: ReaderModel, link: SamLink) -> None:
    assert link.exchange(p.RESET, 0.5).sw3 == 0x90
    assert link.exchange(p.SAM_ID, 0.5).data
    assert link.exchange(p.SET_RF_MAX, 0.5).sw3 == 0x90
    assert link.transact(p.FIND_CARD, 0.5).sw3 == p.SW3_NO_CARD
    assert [name for _, name, _ in model.trace] == ["reset", "sam_id", "set_rf_max", "find_card"]


def test_simulator_answers_bad_host_frames(pty_sim: PtyReaderSimulator) -> None:
    with serial.serial_for_url(pty_sim.port, timeout=0.5) as port:
        port.write(bytes.fromhex("AA AA AA 96 69 00 03 20 01 23"))  # CHK off by one
        assert p.decode_response(port.read(11)).sw3 == p.SW3_HOST_CHECKSUM
        port.write(bytes.fromhex("AA AA AA 96 69 00 02 20 01"))  # Len too small
        assert p.decode_response(port.read(11)).sw3 == p.SW3_HOST_LENGTH
        port.write(p.encode_frame(b"\x55\x01"))
        assert p.decode_response(port.read(11)).sw3 == p.SW3_BAD_COMMAND


def test_read_without_select_is_refused(model: ReaderModel, link: SamLink) -> None:
    model.place(samples.RESIDENT)
    with pytest.raises(CardReadFailed):
        link.exchange(p.READ_BASE, 0.5)


def test_no_card(link: SamLink) -> None:
    with pytest.raises(NoCard):
        read_present_card(link, FAST)


def test_no_card_within_wait(pty_sim: PtyReaderSimulator) -> None:
    start = time.monotonic()
    with pytest.raises(NoCard):
        read_card_once(pty_sim.port, wait=0.3, timing=FAST)
    assert time.monotonic() - start < 1.5


def test_no_reader() -> None:
    with pytest.raises(DeviceNotFound):
        read_card_once("/dev/does-not-exist-idcard", wait=0.1, timing=FAST)


# --- faults -------------------------------------------------------------------------------

RECOVERED = [
    Fault(FaultKind.BAD_CHECKSUM, "read_base"),
    Fault(FaultKind.WRONG_LENGTH, "read_base"),
    Fault(FaultKind.TRUNCATED, "read_base"),
    Fault(FaultKind.SILENCE, "select_card"),
    Fault(FaultKind.GARBAGE, None, times=5),
    Fault(FaultKind.SLOW, "read_base", delay=0.2),  # within the read deadline
    Fault(FaultKind.BAD_CHECKSUM, "find_card", times=2),
    Fault(FaultKind.READ_FAILS, times=1),
]


@pytest.mark.parametrize("fault", RECOVERED, ids=lambda f: f"{f.kind}-{f.command}")
def test_faults_that_a_retry_absorbs(fault: Fault, model: ReaderModel, link: SamLink) -> None:
    model.place(samples.HMT_RESIDENCE_PERMIT)
    model.inject(fault)
    start = time.monotonic()
    record = read_present_card(link, FAST)
    assert record.pass_number == samples.HMT_RESIDENCE_PERMIT.pass_number
    assert time.monotonic() - start < 2.5


FAILING = [
    (Fault(FaultKind.BAD_CHECKSUM, "read_base", times=0), FrameChecksumError),
    (Fault(FaultKind.WRONG_LENGTH, "read_base", times=0), ProtocolError),
    (Fault(FaultKind.TRUNCATED, "read_base", times=0), DeviceTimeout),
    (Fault(FaultKind.SILENCE, times=0), DeviceTimeout),
    (Fault(FaultKind.SLOW, "read_base", times=0, delay=0.8), DeviceTimeout),
    (Fault(FaultKind.SAM_FAILURE, times=0, sw3=0x60), SamFault),
    (Fault(FaultKind.SAM_FAILURE, times=0, sw3=0x66), SamFault),
    (Fault(FaultKind.SAM_FAILURE, "read_base", times=0, sw3=0x33), CardReadFailed),
    (Fault(FaultKind.READ_FAILS, times=0), CardReadFailed),
    (Fault(FaultKind.REMOVE_AFTER_SELECT), NoCard),
]


@pytest.mark.parametrize(("fault", "error"), FAILING, ids=lambda f: str(getattr(f, "kind", "")))
def test_faults_that_persist_end_in_declared_errors(
    fault: Fault, error: type[Exception], model: ReaderModel, link: SamLink
) -> None:
    model.place(samples.RESIDENT)
    model.inject(fault)
    start = time.monotonic()
    with pytest.raises(error):
        read_present_card(link, FAST)
    # three attempts of at most find + select + read deadlines each
    assert time.monotonic() - start < 3 * (2 * FAST.command_timeout + FAST.read_timeout) + 0.5


def test_wrong_length_is_a_length_or_checksum_error(model: ReaderModel, link: SamLink) -> None:
    model.place(samples.RESIDENT)
    model.inject(Fault(FaultKind.WRONG_LENGTH, "find_card"))
    with pytest.raises((FrameLengthError, FrameChecksumError)):
        link.transact(p.FIND_CARD, 0.5)
    assert link.transact(p.FIND_CARD, 0.5).sw3 == p.SW3_FIND_OK  # the next command is clean


def test_invalid_number_is_a_distinct_error(model: ReaderModel, link: SamLink) -> None:
    forged = IdCardRecord(**{**samples.RESIDENT.__dict__, "id_number": "320111194503120011"})
    model.place(forged)
    with pytest.raises(CardDataInvalid) as caught:
        read_present_card(link, FAST)
    assert isinstance(caught.value.record, IdCardRecord)
    assert "320111194503120011" not in str(caught.value)


def test_unplug_mid_session_is_device_not_found(model: ReaderModel, pty_sim: PtyReaderSimulator, link: SamLink) -> None:
    assert link.transact(p.FIND_CARD, 0.5).sw3 == p.SW3_NO_CARD
    pty_sim.unplug()
    with pytest.raises(DeviceNotFound):
        for _ in range(3):
            link.transact(p.FIND_CARD, 0.5)
    assert not os.path.exists(pty_sim.port)
    pty_sim.plug_in()
    relinked = SamLink(open_port(pty_sim.port))
    try:
        assert relinked.transact(p.FIND_CARD, 0.5).sw3 == p.SW3_NO_CARD
    finally:
        relinked.close()


def test_tcp_server_closing_is_device_not_found(model: ReaderModel) -> None:
    sim = TcpReaderSimulator(model).start()
    link = SamLink(open_port(sim.url))
    try:
        assert link.transact(p.FIND_CARD, 0.5).sw3 == p.SW3_NO_CARD
        sim.stop()
        with pytest.raises((DeviceNotFound, DeviceTimeout)):
            link.transact(p.FIND_CARD, 0.5)
    finally:
        link.close()


# --- property: any card survives the trip through simulator and driver ------------------

CJK = st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF)


@st.composite
def resident_cards(draw: st.DrawFn) -> IdCardRecord:
    from drivers.idcard.id_number import with_check_character

    birth = draw(st.dates(min_value=datetime.date(1900, 1, 1)))
    gender = draw(st.sampled_from(["男", "女"]))
    seq = draw(st.integers(0, 499)) * 2 + (1 if gender == "男" else 0)  # odd for men
    number = with_check_character(f"320102{birth:%Y%m%d}{seq:03d}")
    card_type = draw(st.sampled_from([samples.RESIDENT, samples.HMT_RESIDENCE_PERMIT])).card_type
    return IdCardRecord(
        card_type=card_type,
        name=draw(st.text(CJK, min_size=1, max_size=15)),
        gender=gender,
        nation="汉" if card_type is samples.RESIDENT.card_type else "",
        birth_date=f"{birth:%Y%m%d}",
        address=draw(st.text(CJK, max_size=35)),
        id_number=number,
        issuer=draw(st.text(CJK, max_size=15)),
        valid_from="20200101",
        valid_to=draw(st.sampled_from(["长期", "20300101"])),
        photo_wlt=draw(st.binary(min_size=1024, max_size=1024)),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(card=st.one_of(resident_cards(), st.sampled_from(samples.ALL)))
def test_round_trip_through_simulator_and_driver(card: IdCardRecord, model: ReaderModel, link: SamLink) -> None:
    model.place(card)
    record = read_present_card(link, FAST)
    expected_photo = card.photo_wlt or record.photo_wlt
    assert record == IdCardRecord(**{**card.__dict__, "photo_wlt": expected_photo})
    model.remove()
