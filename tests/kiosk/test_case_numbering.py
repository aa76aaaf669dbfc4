"""Case numbers survive a wiped data folder: the kiosk goes on after every number the outbox
and the centre hold for the day, and never gives one out twice."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from central.server import EmbeddedCentre, start_embedded
from contract.vocabulary import Delivery, IdType
from contract.wire import Applicant, CaseState, Heartbeat
from kiosk.config.settings import KioskConfig
from kiosk.delivery.case_numbers import CaseNumbers
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.endpoint import ConfiguredCentre
from kiosk.delivery.link import CentreLink
from kiosk.delivery.outbox import OutboxStats
from tests.kiosk.kiosk_support import UNREACHABLE_CENTRE, MakeConfig
from tests.support import wait_for

DAY = date(2026, 11, 23)


@pytest.fixture
def centre(tmp_path: Path, kiosk_config: MakeConfig) -> Iterator[EmbeddedCentre]:
    shipped = kiosk_config()
    running = start_embedded(f"sqlite:///{tmp_path / 'centre' / 'central.sqlite3'}",
                             terminal_id=shipped.terminal_id,
                             terminal_number=shipped.terminal_number)
    yield running
    running.stop()


def open_link(config: KioskConfig) -> tuple[CentreLink, CaseNumbers]:
    numbers = CaseNumbers(Path(config.data_dir) / "case-sequence", config.terminal_number)

    def beat(stats: OutboxStats) -> Heartbeat:
        return Heartbeat(terminal_id=config.terminal_id, site_id=config.site.id,
                         sent_at=datetime.now(UTC), software_version="test",
                         outbox_depth=stats.unsent)

    link = CentreLink(config, ConfiguredCentre(config.centre), on_change=lambda: None,
                      make_beat=beat, numbers=numbers, today=DAY)
    return link, numbers


def take_case(link: CentreLink, numbers: CaseNumbers) -> str:
    number = numbers.next(DAY)
    link.store(case_number=number, item_id="sample-item",
               applicant=Applicant(id_type=IdType.RESIDENT, name="测试人",
                                   id_number="110101190001011237"),
               answers={}, commitments=[], delivery=Delivery.PICKUP,
               submitted_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
    return number


def test_a_wiped_kiosk_goes_on_after_the_centres_numbers(
    kiosk_config: MakeConfig, centre: EmbeddedCentre
) -> None:
    config = kiosk_config(centre_url=centre.base_url, centre_token=centre.token)
    link, numbers = open_link(config)
    try:
        given = [take_case(link, numbers) for _ in range(3)]
        wait_for(lambda: all(link.is_sent(n) for n in given))
    finally:
        link.close()
    shutil.rmtree(config.data_dir)  # the sequence file, the outbox, everything

    link, numbers = open_link(config)
    try:
        again = take_case(link, numbers)
        wait_for(lambda: link.is_sent(again) or link.stats().failed > 0)
        assert link.is_sent(again)
    finally:
        link.close()
    assert again == f"20261123{config.terminal_number:03d}0004"
    client = CentreClient(centre.base_url, centre.token)
    assert client.case_status(again).status is CaseState.RECEIVED
    client.close()


def test_without_the_centre_the_outbox_still_sets_the_floor(kiosk_config: MakeConfig) -> None:
    config = kiosk_config(centre_url=UNREACHABLE_CENTRE, centre_token="t" * 20)
    link, numbers = open_link(config)
    try:
        given = [take_case(link, numbers) for _ in range(2)]
    finally:
        link.close()
    (Path(config.data_dir) / "case-sequence").unlink()  # lost; the outbox still holds both

    link, numbers = open_link(config)
    try:
        assert numbers.next(DAY) > given[-1]
    finally:
        link.close()


def test_a_floor_never_lowers_the_sequence_or_takes_another_terminals_number(
    tmp_path: Path
) -> None:
    numbers = CaseNumbers(tmp_path / "case-sequence", 1)
    for _ in range(5):
        numbers.next(DAY)
    numbers.raise_to("202611230010003")  # lower: nothing changes
    numbers.raise_to("202611230020050")  # another terminal's: nothing changes
    numbers.raise_to("202611220019999")  # an earlier day: nothing changes
    assert numbers.next(DAY) == "202611230010006"
    numbers.raise_to("202611230010041")
    assert numbers.next(DAY) == "202611230010042"
