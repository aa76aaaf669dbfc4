"""A case's document pages travel after it, from the kiosk's outbox to the real centre.

The real kiosk side (outbox + sender + centre client) delivers through ``FaultProxy`` to the
real centre. Through lost answers and cut connections the case arrives once and each page
once, whole; a page whose case the centre does not have yet (404) waits and is sent again
without holding up the next case; a page the centre refuses for good is set aside for a
technician, logged by case and page number only, and the next page still goes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from centre_support import KIOSK, KIOSK_TOKEN, Api, build_app
from fault_proxy import Fault, FaultProxy
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from central.auth import Clerk, Role
from central.case_page_rows import CasePageRow
from central.case_pages import open_page
from central.crypto import PayloadCipher
from central.db import CaseEventRow, CaseRow
from central.samples import sample_submission
from central.server import ServerThread, serve_in_thread
from contract.captured_pages import CapturedPage
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.outbox import Outbox
from kiosk.delivery.sender import Backoff, Sender
from tests.support import wait_for
from tests.support.document_pages import captured, page_jpeg

KEY = bytes(range(32))
SUPERVISOR = Clerk("zhao", Role.SUPERVISOR)
HOUSEHOLD, ID_CARD = captured("户口簿本人页", 1), captured("居民身份证", 2)


@dataclass
class Link:
    """A kiosk's outbox and sender, talking to a real centre through a fault proxy."""

    outbox: Outbox
    sender: Sender
    proxy: FaultProxy
    centre_api: Api  # straight to the centre, as kiosk T001
    engine: Engine
    cipher: PayloadCipher


@pytest.fixture
def link_to(tmp_path: Path) -> Iterator[Callable[[str, Callable[[int], Fault]], Link]]:
    made: list[tuple[Link, ServerThread]] = []

    def make(database_url: str, choose: Callable[[int], Fault]) -> Link:
        centre = serve_in_thread(build_app(database_url))
        proxy = FaultProxy(int(centre.base_url.rsplit(":", 1)[1]), choose)
        outbox = Outbox(tmp_path / "outbox.db", KEY, min_free_bytes=0)
        client = CentreClient(proxy.base_url, KIOSK_TOKEN, connect_timeout=1, read_timeout=3)
        sender = Sender(outbox, client, backoff=Backoff(base_s=0.05, cap_s=0.3), idle_poll_s=0.2)
        api = Api(centre.base_url)
        api.headers.update(KIOSK)
        link = Link(outbox, sender, proxy, api, centre.app.state.engine, centre.app.state.cipher)
        made.append((link, centre))
        return link

    yield make
    for link, centre in made:
        link.sender.stop()
        link.proxy.stop()
        link.centre_api.close()
        centre.stop()


def centre_pages(engine: Engine, case_number: str) -> list[tuple[int, str, int]]:
    with Session(engine) as session:
        return [tuple(row) for row in session.execute(
            select(CasePageRow.number, CasePageRow.material, CasePageRow.size)
            .join(CaseRow, CaseRow.id == CasePageRow.case_id)
            .where(CaseRow.case_number == case_number).order_by(CasePageRow.number))]


def test_a_case_and_its_two_pages_arrive_once_through_dropped_connections(
        database_url: str, link_to: Callable[[str, Callable[[int], Fault]], Link]) -> None:
    # The case's answer is lost, then a page's body is cut, a page is stored but its answer
    # lost (500), and the other page's answer is cut: each is sent again, and held once.
    script = [Fault.RESET_IN_ANSWER, Fault.PASS, Fault.RESET_IN_REQUEST, Fault.ANSWER_500_AFTER, Fault.PASS,
              Fault.RESET_IN_ANSWER, Fault.PASS]
    link = link_to(database_url, lambda n: script[n] if n < len(script) else Fault.PASS)
    case = sample_submission(1)
    link.outbox.enqueue_all([case], {case.case_number: [HOUSEHOLD, ID_CARD]})
    link.sender.start()
    link.sender.wake()
    wait_for(lambda: link.outbox.pages.states_of(case.case_number) == ["sent", "sent"], timeout=60,
             describe="both pages acknowledged")

    assert sum(link.proxy.counts.values()) == len(script)  # every fault was met, nothing more sent
    assert {fault for fault in script} == set(link.proxy.counts)
    with Session(link.engine) as session:
        assert session.scalar(select(func.count()).select_from(CaseRow)) == 1
        assert session.scalar(select(func.count()).select_from(CaseEventRow)) == 1  # received once
    assert centre_pages(link.engine, case.case_number) == [
        (1, HOUSEHOLD.material, len(HOUSEHOLD.jpeg)), (2, ID_CARD.material, len(ID_CARD.jpeg))]
    for number, page in ((1, HOUSEHOLD), (2, ID_CARD)):  # whole: the cut body stored nothing
        assert open_page(link.engine, case.case_number, number, clerk=SUPERVISOR,
                         cipher=link.cipher) == page.jpeg
    stats = link.outbox.stats()
    assert (stats.sent, stats.unsent, stats.pages_waiting, stats.pages_failed) == (1, 0, 0, 0)


def test_a_page_whose_case_is_not_there_yet_is_sent_again_later_and_holds_up_no_case(
        sqlite_url: str, link_to: Callable[[str, Callable[[int], Fault]], Link]) -> None:
    link = link_to(sqlite_url, lambda n: Fault.PASS)
    lost, later = sample_submission(1), sample_submission(2)
    # The kiosk holds the case as acknowledged, but the centre has lost it (restored from an
    # older backup): its page meets 404 until the case is there again.
    link.outbox.enqueue_all([lost], {lost.case_number: [HOUSEHOLD]})
    link.outbox.claim_due()
    link.outbox.mark_sent(lost.case_number)
    link.sender.backoff = Backoff(base_s=8.0, cap_s=8.0)  # 4 to 8 s before the page is tried again
    link.sender.start()
    link.sender.wake()
    wait_for(lambda: "HTTP 404" in page_error(link.outbox), timeout=30, describe="the page met a 404")
    assert link.sender.last_error is None  # the centre answered: the link is not reported down

    # Meanwhile the next case goes on the sender's next look (0.2 s), unwoken: a 404 pauses
    # nothing (a pause would hold it 4 s or more).
    link.outbox.enqueue(later)
    wait_for(lambda: link.outbox.state_of(later.case_number) == "sent", timeout=2.5,
             describe="the next case delivered while the page waits")
    assert link.outbox.pages.states_of(lost.case_number) == ["pending"]

    assert link.centre_api.post("/api/v1/cases", json=lost.model_dump(mode="json")).status_code == 201
    wait_for(lambda: link.outbox.pages.states_of(lost.case_number) == ["sent"], timeout=30,
             describe="the page sent again once its case is there")
    assert centre_pages(link.engine, lost.case_number) == [(1, HOUSEHOLD.material, len(HOUSEHOLD.jpeg))]


def page_error(outbox: Outbox) -> str:
    row = outbox._db.execute("SELECT last_error, attempts FROM outbox_pages").fetchone()
    return f"{row[0]} after {row[1]}" if row else ""


def test_a_page_refused_for_good_is_set_aside_and_the_next_page_goes(
        sqlite_url: str, link_to: Callable[[str, Callable[[int], Fault]], Link],
        caplog: pytest.LogCaptureFixture) -> None:
    link = link_to(sqlite_url, lambda n: Fault.PASS)
    case = sample_submission(1)
    assert link.centre_api.post("/api/v1/cases", json=case.model_dump(mode="json")).status_code == 201
    other = CapturedPage(material="结婚证", jpeg=page_jpeg(9))  # another picture is held as page 1
    answer = link.centre_api.put(f"/api/v1/cases/{case.case_number}/pages/1", json=other.model_dump(mode="json"))
    assert answer.status_code == 201
    link.outbox.enqueue_all([case], {case.case_number: [HOUSEHOLD, ID_CARD]})
    caplog.set_level(logging.INFO)
    link.sender.start()
    link.sender.wake()
    wait_for(lambda: link.outbox.pages.states_of(case.case_number) == ["failed", "sent"], timeout=30,
             describe="page 1 refused (409), page 2 delivered")

    assert link.outbox.stats().pages_failed == 1
    assert centre_pages(link.engine, case.case_number) == [
        (1, "结婚证", len(other.jpeg)), (2, ID_CARD.material, len(ID_CARD.jpeg))]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"page 1 of case {case.case_number}" in logged
    for secret in (HOUSEHOLD.material, ID_CARD.material, case.applicant.name, case.applicant.id_number):
        assert secret not in logged
