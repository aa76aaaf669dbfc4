"""A bundle's cases go from the kiosk's outbox to the real served test centre and arrive linked."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from central.db import CaseRow
from central.server import ServerThread, serve_in_thread
from contract.vocabulary import Delivery
from contract.wire import Applicant, IdType
from kiosk.terminal import Terminal
from tests.central.centre_support import KIOSK_TOKEN, build_app
from tests.kiosk.catalog_documents import NEWBORN_ITEMS
from tests.kiosk.kiosk_support import MakeConfig
from tests.support import wait_for


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[ServerThread]:
    running = serve_in_thread(build_app(f"sqlite:///{tmp_path / 'central.db'}"))
    yield running
    running.stop()


def test_a_bundles_cases_are_delivered_and_linked_at_the_centre(kiosk_config: MakeConfig,
                                                                 centre: ServerThread) -> None:
    config = dataclasses.replace(kiosk_config(centre_url=centre.base_url, centre_token=KIOSK_TOKEN),
                                 terminal_id="T001", terminal_number=1)
    terminal = Terminal(config)
    terminal.start()
    try:
        assert terminal.link is not None
        now = datetime.now().astimezone()
        numbers = tuple(f"{now:%Y%m%d}001{n:04d}" for n in (1, 2))
        applicant = Applicant(id_type=IdType.RESIDENT, name="测试人", id_number="110101190001011237")
        terminal.link.store_all([
            {"case_number": number, "item_id": item, "applicant": applicant, "answers": {"phone": "13800000000"},
             "commitments": [], "delivery": Delivery.PICKUP, "submitted_at": now, "bundle_id": "newborn",
             "bundle_cases": numbers}
            for number, item in zip(numbers, NEWBORN_ITEMS, strict=True)
        ])
        link = terminal.link
        wait_for(lambda: all(link.is_sent(number) for number in numbers), 20)
    finally:
        terminal.stop()
    with Session(centre.app.state.engine) as session:
        rows = session.scalars(select(CaseRow).order_by(CaseRow.case_number)).all()
    assert [(r.case_number, r.item_id, r.bundle_id, r.bundle_cases) for r in rows] == [
        (number, item, "newborn", " ".join(numbers)) for number, item in zip(numbers, NEWBORN_ITEMS, strict=True)]
