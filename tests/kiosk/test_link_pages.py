"""The link stores a case's document pages with it and the sender takes them to the centre:
a bundle's case with pages and one without, through a real embedded centre."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from central.case_page_rows import CasePageRow
from central.db import CaseRow
from central.server import EmbeddedCentre, start_embedded
from contract.vocabulary import Delivery, IdType
from contract.wire import Applicant, Heartbeat
from kiosk.delivery.case_numbers import CaseNumbers
from kiosk.delivery.endpoint import ConfiguredCentre
from kiosk.delivery.link import CentreLink
from kiosk.delivery.outbox import OutboxStats
from tests.kiosk.kiosk_support import MakeConfig
from tests.support import wait_for
from tests.support.document_pages import captured

DAY = date(2026, 11, 23)
HOUSEHOLD, ID_CARD = captured("户口簿本人页", 1), captured("居民身份证", 2)


@pytest.fixture
def centre(tmp_path: Path, kiosk_config: MakeConfig) -> Iterator[EmbeddedCentre]:
    shipped = kiosk_config()
    running = start_embedded(f"sqlite:///{tmp_path / 'centre' / 'central.sqlite3'}",
                             terminal_id=shipped.terminal_id, terminal_number=shipped.terminal_number)
    yield running
    running.stop()


def case(number: str, **extra: Any) -> dict[str, Any]:
    return {"case_number": number, "item_id": "sample-item",
            "applicant": Applicant(id_type=IdType.RESIDENT, name="测试人", id_number="110101190001011237"),
            "answers": {}, "commitments": [], "delivery": Delivery.PICKUP,
            "submitted_at": datetime(2026, 11, 23, 9, 30, tzinfo=UTC), **extra}


def test_a_cases_pages_go_into_the_outbox_with_it_and_on_to_the_centre(
        kiosk_config: MakeConfig, centre: EmbeddedCentre) -> None:
    config = kiosk_config(centre_url=centre.base_url, centre_token=centre.token)
    numbers = CaseNumbers(Path(config.data_dir) / "case-sequence", config.terminal_number)

    def beat(stats: OutboxStats) -> Heartbeat:
        return Heartbeat(terminal_id=config.terminal_id, site_id=config.site.id, sent_at=datetime.now(UTC),
                         software_version="test", outbox_depth=stats.unsent)

    link = CentreLink(config, ConfiguredCentre(config.centre), on_change=lambda: None, make_beat=beat,
                      numbers=numbers, today=DAY)
    try:
        with_pages, without = numbers.next(DAY), numbers.next(DAY)
        cases = [case(with_pages, pages=[HOUSEHOLD, ID_CARD]), case(without)]
        link.store_all(cases)
        assert cases[0]["pages"] == [HOUSEHOLD, ID_CARD]  # the caller's dicts are left as they were
        wait_for(lambda: link.outbox.pages.states_of(with_pages) == ["sent", "sent"] and link.is_sent(without),
                 timeout=30, describe="both cases and both pages delivered")
        assert link.outbox.pages.states_of(without) == []
        assert (link.stats().pages_waiting, link.stats().pages_failed) == (0, 0)
    finally:
        link.close()
    with Session(centre.app.state.engine) as session:
        held = session.execute(select(CaseRow.case_number, CasePageRow.number, CasePageRow.material)
                               .join(CaseRow, CaseRow.id == CasePageRow.case_id).order_by(CasePageRow.number)).all()
    assert [tuple(row) for row in held] == [(with_pages, 1, HOUSEHOLD.material), (with_pages, 2, ID_CARD.material)]
