"""Counter appointments from the kiosk: the centre client against the served test centre
(slots, booking, a retry, a slot just taken and the next one offered, the centre unreachable),
and the slip through the real ESC/POS driver, read back from the paper."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from central.db import KioskRow
from contract.appointments import AppointmentConfirmation
from contract.wire import Heartbeat
from drivers.printer.profile import PROFILES
from drivers.printer.simwire import SimWirePrinter
from kiosk.config.settings import KioskConfig
from kiosk.delivery.centre_client import CentreClient
from kiosk.errors import CentreRejected, CentreUnavailable, CentreUnreachable, SlotTaken
from kiosk.messages import MessageId, message, say
from kiosk.printing.appointment_slip import build_appointment_slip
from tests.central.appointment_support import ID_NUMBER, NAME, PHONE, all_day_hours, booking
from tests.central.centre_support import KIOSK_TOKEN, ServedCentre, served_centre
from tests.support import wait_for

ITEM = "sample-item"  # the served test centre's item at demo-site
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[ServedCentre]:
    """The served test centre (terminal T001's token names no site: its heartbeat does),
    with counter hours all day and one place a slot."""
    yield from served_centre(f"sqlite:///{tmp_path / 'central.db'}",
                             counter_hours=all_day_hours(capacity=1))


@pytest.fixture
def client(centre: ServedCentre) -> Iterator[CentreClient]:
    kiosk = CentreClient(centre.api.base_url, KIOSK_TOKEN)
    yield kiosk
    kiosk.close()


@pytest.fixture
def served_app_beats(client: CentreClient, centre: ServedCentre) -> None:
    """T001 beats from demo-site; once the centre has written the beat, it knows the site."""
    client.heartbeat(Heartbeat(terminal_id="T001", site_id="demo-site", sent_at=datetime.now(UTC),
                               software_version="0.1.0", outbox_depth=0))

    def site_known() -> bool:
        with centre.engine.connect() as conn:
            return conn.scalar(select(KioskRow.site_id).where(KioskRow.terminal_id == "T001")) is not None
    wait_for(site_known, describe="the heartbeat written")


def test_slots_then_a_booking_and_its_retry(client: CentreClient, served_app_beats: None) -> None:
    slots = client.appointment_slots(ITEM, days=2)
    assert slots.site_id == "demo-site" and slots.item_id == ITEM and slots.slots
    first = slots.bookable()[0]
    request = booking(first.start, item_id=ITEM)
    confirmation = client.book_appointment(request)
    assert confirmation.slot_start == first.start and confirmation.slot_end == first.end
    assert confirmation.appointment_number.startswith(f"Y{first.start:%Y%m%d}-")
    assert confirmation.place == "一楼综合受理区 3-5号窗口"
    assert client.book_appointment(request) == confirmation  # a retry after a lost answer


def test_a_slot_just_taken_is_its_own_error_and_the_next_one_is_offered(
        client: CentreClient, served_app_beats: None) -> None:
    slots = client.appointment_slots(ITEM, days=2)
    first = slots.bookable()[0]
    client.book_appointment(booking(first.start, item_id=ITEM))  # another resident, a moment ago
    with pytest.raises(SlotTaken) as taken:
        client.book_appointment(booking(first.start, item_id=ITEM))
    err = taken.value
    assert err.reason == "slot_full" and not err.retryable
    assert err.message.id is MessageId.APPOINTMENT_SLOT_TAKEN
    for secret in (NAME, ID_NUMBER, PHONE):
        assert secret not in err.detail and secret not in str(err)
    fresh = client.appointment_slots(ITEM, days=2)
    following = fresh.after(first.start)
    assert fresh.slots[0].free == 0 and following is not None
    assert client.book_appointment(booking(following.start, item_id=ITEM)).slot_start == following.start


def test_an_unknown_item_is_rejected(client: CentreClient, served_app_beats: None) -> None:
    with pytest.raises(CentreRejected) as rejected:
        client.appointment_slots("no-such-item")
    assert rejected.value.status_code == 404


def test_before_the_first_heartbeat_the_centre_cannot_place_the_kiosk(client: CentreClient) -> None:
    with pytest.raises(CentreUnavailable) as unavailable:
        client.book_appointment(booking(datetime.now(UTC), item_id=ITEM))
    assert unavailable.value.retryable
    assert unavailable.value.message.id is MessageId.APPOINTMENT_CENTRE_UNREACHABLE


def test_an_unreachable_centre_tells_the_resident_to_come_to_the_counter() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    client = CentreClient(f"http://127.0.0.1:{port}", KIOSK_TOKEN, connect_timeout=1, read_timeout=1)
    for call in (lambda: client.appointment_slots(ITEM),
                 lambda: client.book_appointment(booking(datetime.now(UTC), item_id=ITEM))):
        with pytest.raises(CentreUnreachable) as unreachable:
            call()
        assert unreachable.value.message.id is MessageId.APPOINTMENT_CENTRE_UNREACHABLE
        assert "窗口服务时间" in say(unreachable.value.message)
    assert "未来7天" in say(message(MessageId.APPOINTMENT_NO_SLOTS, days=7))


# --- the slip -------------------------------------------------------------------------------

CONFIRMATION = AppointmentConfirmation.model_validate({
    "appointment_number": "Y20261203-0007", "item_id": "counter-item",
    "slot_start": "2026-12-03T09:30:00+08:00", "slot_end": "2026-12-03T10:00:00+08:00",
    "place": "一楼综合受理区 3-5号窗口", "place_in": {"en": "Counters 3-5, ground floor"}})


def print_on(profile: str, config: KioskConfig, tmp_path: Path,
             language: str = "zh-Hans") -> tuple[list[str], Image.Image, str]:
    document = build_appointment_slip(config.site, "老年人优待证办理", CONFIRMATION, NAME, language)
    printer = SimWirePrinter(PROFILES[profile], tmp_path / profile, FONT if FONT.exists() else None)
    printer.open()
    try:
        printer.print_document(document)
        assert printer.simulator.overflows == 0 and printer.simulator.unknown_commands == []
        with Image.open(printer.printed[-1]) as paper:
            return list(printer.simulator.lines), paper.copy(), document.plain_text()
    finally:
        printer.close()


@pytest.mark.parametrize("profile", ["80mm", "58mm"])
def test_the_slip_on_paper(profile: str, shipped_config: KioskConfig, tmp_path: Path) -> None:
    lines, paper, text = print_on(profile, shipped_config, tmp_path)
    assert "Y20261203-0007" in lines  # large, and on one line
    for expected in (shipped_config.site.name, "窗口预约凭证", "老年人优待证办理",
                     "2026年12月3日（星期四）", "09:30-10:00", "一楼综合受理区 3-5号窗口",
                     "欧**丰", "请提前10分钟到达，携带身份证原件", shipped_config.site.contact_phone):
        assert any(expected in line for line in lines), expected
    for secret in (NAME, ID_NUMBER, PHONE):
        assert secret not in text and all(secret not in line for line in lines)
    assert paper.width == PROFILES[profile].width_dots and paper.height > 400


def test_the_slip_is_in_the_residents_language(shipped_config: KioskConfig, tmp_path: Path) -> None:
    lines, _, _ = print_on("80mm", shipped_config, tmp_path, language="en")
    for expected in ("Counter appointment slip", "Y20261203-0007", "Date: Thu 3 Dec 2026", "Time: 09:30-10:00",
                     "Place: Counters 3-5, ground floor", "Booked for: 欧**丰"):
        assert expected in lines, expected
    assert "Please arrive 10 minutes early with your original ID card" in " ".join(lines)
