"""The terminal's mode picks the screen; every field kind has one complete spec."""

from __future__ import annotations

from datetime import date, time

import pytest

from contract.vocabulary import Delivery
from drivers.device import DeviceState, DeviceStatus, PaperStatus
from drivers.idcard import samples
from kiosk.catalog.fields import SPECS, FieldKind, Keyboard, Mask, check_answer
from kiosk.catalog.model import Field
from kiosk.config.settings import KioskConfig
from kiosk.messages import MessageId
from kiosk.modes import OUT_OF_SERVICE_SCREEN, Mode, current_mode, screen_for
from kiosk.session.availability import AvailabilityMonitor, assess
from kiosk.session.identity import identity_from_card
from kiosk.session.questions import delivery_field
from kiosk.session.session import Session, Step

ONLINE = DeviceStatus(DeviceState.ONLINE, paper=PaperStatus.FULL)
GONE = DeviceStatus(DeviceState.NO_DEVICE)


@pytest.fixture(scope="session")
def config(shipped_config: KioskConfig) -> KioskConfig:
    return shipped_config


def test_out_of_service_shows_only_between_residents(config: KioskConfig) -> None:
    session = Session(config.offer, config.timeouts)
    dead = assess(config.site, time(12), GONE, GONE, ONLINE, accepting_cases=True)
    assert current_mode(session, dead) is Mode.OUT_OF_SERVICE
    assert screen_for(Mode.OUT_OF_SERVICE, session) == OUT_OF_SERVICE_SCREEN
    session.begin()
    session.identified(identity_from_card(samples.RESIDENT, date(2026, 12, 2)))
    assert current_mode(session, dead) is Mode.RESIDENT  # a session in progress finishes
    assert screen_for(Mode.RESIDENT, session) == Step.CHOOSE.value
    assert current_mode(Session(config.offer, config.timeouts), None) is Mode.RESIDENT  # nothing known yet


def test_availability_monitor_tells_listeners_only_of_changes(config: KioskConfig) -> None:
    monitor = AvailabilityMonitor(config.site)
    seen = []
    monitor.subscribe(seen.append)
    monitor.update(time(12), ONLINE, ONLINE, ONLINE, accepting_cases=True)
    monitor.update(time(12), ONLINE, ONLINE, ONLINE, accepting_cases=True)
    monitor.update(time(12), GONE, ONLINE, ONLINE, accepting_cases=True)
    assert len(seen) == 2 and seen[-1].notice_ids() == [MessageId.ONLY_QR_LOGIN]


def test_every_kind_has_a_spec_and_only_asked_kinds_take_a_keyboard() -> None:
    assert set(SPECS) == set(FieldKind)
    assert SPECS[FieldKind.SHOWN].keyboard is Keyboard.NONE
    assert SPECS[FieldKind.PHONE].mask is Mask.PHONE


def test_answers_are_checked_by_their_kind() -> None:
    phone = Field(id="phone", label="手机号码", kind=FieldKind.PHONE)
    digits = Field(id="zip", label="邮编", kind=FieldKind.DIGITS, min_length=6, max_length=6)
    choice = Field(id="basis", label="申领依据", kind=FieldKind.CHOICE, options=("就业", "就学"))
    assert check_answer(phone, "13812345678") is None
    assert check_answer(phone, "1381234").id is MessageId.PHONE_INVALID  # type: ignore[union-attr]
    assert check_answer(digits, "21000").id is MessageId.DIGITS_LENGTH  # type: ignore[union-attr]
    assert check_answer(digits, "２１００００").id is MessageId.DIGITS_ONLY  # type: ignore[union-attr]
    assert check_answer(choice, "").id is MessageId.CHOOSE_VALUE  # type: ignore[union-attr]
    assert check_answer(choice, "就学") is None


def test_delivery_is_stored_as_its_value_and_shown_as_its_label(config: KioskConfig) -> None:
    item = next(item for item in config.items if len(item.delivery) > 1)
    field = delivery_field(item)
    assert field.options == tuple(method.value for method in item.delivery)
    assert field.label_of(Delivery.PICKUP.value) == "到本中心窗口领取"
    assert check_answer(field, "到本中心窗口领取") is not None  # a label is not an answer
