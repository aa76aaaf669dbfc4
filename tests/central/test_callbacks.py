"""Help call-backs at the centre: a kiosk's request is kept sealed, listed masked for the
site's staff, opened (and recorded) to call, marked done with CSRF, and deleted after retention."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from centre_support import (
    CLERK_TOKEN,
    KIOSK,
    OTHER_KIOSK,
    SUPERVISOR_TOKEN,
    TECHNICIAN_TOKEN,
    Api,
    ServedCentre,
    served_centre,
)
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from central import callbacks
from central.callback_rows import CallbackRow
from central.db import KioskRow
from central.fleet_rows import ConsoleAuditRow
from tests.support import wait_for

PHONE = "13812345678"


@pytest.fixture
def centre(sqlite_url: str) -> Iterator[ServedCentre]:
    yield from served_centre(sqlite_url)


def beat(centre: ServedCentre, terminal: str = "T001", headers: dict[str, str] = KIOSK) -> None:
    """A heartbeat tells the centre the kiosk's site; wait until it is written (beats are buffered)."""
    body = {"terminal_id": terminal, "site_id": "demo-site", "sent_at": datetime.now(UTC).isoformat(),
            "software_version": "0.1.0", "paper": "ok", "outbox_depth": 0}
    assert centre.api.post("/api/v1/heartbeats", json=body, headers=headers).status_code == 200

    def known() -> bool:
        with Session(centre.engine) as session:
            return session.scalar(select(KioskRow.site_id).where(KioskRow.terminal_id == terminal)) is not None
    wait_for(known, 10)


def ask(api: Api, key: str | None = None, consent: object = True, headers: dict[str, str] = KIOSK):  # type: ignore[no-untyped-def]
    return api.post("/api/v1/kiosk/callbacks", headers=headers, json={
        "idempotency_key": key or uuid.uuid4().hex, "phone": PHONE, "consent": consent,
        "site_name": "江北新区浦珠社区便民服务中心", "requested_at": datetime.now(UTC).isoformat()})


def console(centre: ServedCentre, token: str) -> Api:
    session = Api(centre.api.base_url)
    answer = session.post("/console/login", data={"token": token, "next": "/console/"}, allow_redirects=False)
    assert answer.status_code == 303, answer.text
    return session


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def rows(engine: Engine) -> list[CallbackRow]:
    with Session(engine) as session:
        return list(session.scalars(select(CallbackRow)))


def test_a_request_is_kept_sealed_once_and_refused_without_consent(centre: ServedCentre) -> None:
    api = centre.api
    beat(centre)
    assert ask(api, consent=False).status_code == 422
    wrong = api.post("/api/v1/kiosk/callbacks", headers=KIOSK, json={
        "idempotency_key": uuid.uuid4().hex, "phone": "1381234567X", "consent": True, "site_name": "x",
        "requested_at": datetime.now(UTC).isoformat()})
    assert wrong.status_code == 422 and "1381234567X" not in wrong.text  # a refusal never echoes the number
    key = uuid.uuid4().hex
    first = ask(api, key)
    assert first.status_code == 201
    again = ask(api, key)
    assert again.status_code == 200 and again.json() == first.json()
    [row] = rows(centre.engine)
    assert row.phone.startswith("enc1:") and PHONE not in row.phone
    assert row.masked_phone == "138****5678" and row.site_id == "demo-site" and row.terminal_id == "T001"
    assert PHONE not in first.text


def test_the_list_shows_the_masked_phone_and_the_page_the_number_recorded(centre: ServedCentre) -> None:
    beat(centre)
    answer = ask(centre.api)
    assert answer.status_code == 201, answer.text
    reference = answer.json()["reference"]
    clerk = console(centre, CLERK_TOKEN)
    listing = clerk.get("/console/callbacks")
    assert listing.status_code == 200
    assert "138****5678" in listing.text and PHONE not in listing.text
    assert "江北新区浦珠社区便民服务中心" in listing.text
    page = clerk.get(f"/console/callbacks/{reference}")
    assert page.status_code == 200 and PHONE in page.text
    with Session(centre.engine) as session:
        audit = list(session.scalars(select(ConsoleAuditRow).where(ConsoleAuditRow.action == "callback.read")))
    assert [(a.actor, a.detail) for a in audit] == [("wang", f"callback {reference}")]
    assert all(PHONE not in a.detail for a in audit)


def test_only_clerks_and_supervisors_see_it_and_done_needs_the_csrf_token(centre: ServedCentre) -> None:
    beat(centre)
    answer = ask(centre.api)
    assert answer.status_code == 201, answer.text
    reference = answer.json()["reference"]
    technician = console(centre, TECHNICIAN_TOKEN)
    assert technician.get("/console/callbacks").status_code == 403
    assert technician.get(f"/console/callbacks/{reference}").status_code == 403
    assert technician.post(f"/console/callbacks/{reference}/done", data={"csrf": "x"}).status_code == 403
    assert Api(centre.api.base_url).get("/console/callbacks", allow_redirects=False).status_code == 303

    supervisor = console(centre, SUPERVISOR_TOKEN)
    assert supervisor.post(f"/console/callbacks/{reference}/done", data={"csrf": "forged"}).status_code == 403
    assert rows(centre.engine)[0].status == "open"
    token = csrf_of(supervisor.get("/console/callbacks").text)
    done = supervisor.post(f"/console/callbacks/{reference}/done", data={"csrf": token}, allow_redirects=False)
    assert done.status_code == 303
    [row] = rows(centre.engine)
    assert row.status == "done" and row.done_by == "zhao"
    assert "138****5678" not in supervisor.get("/console/callbacks").text
    assert "138****5678" in supervisor.get("/console/callbacks?status=done").text


def test_a_done_request_is_deleted_after_the_retention_and_an_open_one_kept(centre: ServedCentre) -> None:
    beat(centre)
    beat(centre, "T002", OTHER_KIOSK)
    first = ask(centre.api).json()["reference"]
    ask(centre.api, headers=OTHER_KIOSK)
    clerk = console(centre, CLERK_TOKEN)
    clerk.post(f"/console/callbacks/{first}/done", data={"csrf": csrf_of(clerk.get("/console/callbacks").text)})
    now = datetime.now(UTC)
    assert callbacks.purge(centre.engine, now=now) == 0  # done just now: kept for the retention period
    with Session(centre.engine) as session, session.begin():
        session.execute(update(CallbackRow).where(CallbackRow.id == first).values(
            done_at=now - callbacks.RETENTION - timedelta(minutes=1)))
    assert callbacks.purge(centre.engine, now=now) == 1
    assert [row.status for row in rows(centre.engine)] == ["open"]  # open requests wait for a call


def test_a_kiosk_whose_site_is_unknown_is_refused(centre: ServedCentre) -> None:
    assert ask(centre.api).status_code == 409
    assert rows(centre.engine) == []
