"""Face checks at the centre: the kiosk's capture and the card photo queue for a clerk's eye
check, the console page shows both, a decision erases them; roles and CSRF as elsewhere."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import timedelta

import cv2
import pytest
from centre_support import (
    CLERK_TOKEN,
    ELSEWHERE_CLERK_TOKEN,
    KIOSK,
    OTHER_KIOSK,
    SUPERVISOR_TOKEN,
    TECHNICIAN_TOKEN,
    Api,
    ServedCentre,
    served_centre,
)
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central import face_checks
from central.alerts import AlertWatch
from central.db import utcnow
from central.face_check_rows import FaceCheckRow
from central.fleet_rows import ConsoleAuditRow
from central.notifiers import LogNotifier
from central.samples import sample_submission
from contract.face_checks import FaceVerdict
from tests.support import face_frames as ff


def jpeg(seed: int) -> bytes:
    ok, data = cv2.imencode(".jpg", ff.frame(seed=seed)[100:400, 180:460])
    assert ok
    return bytes(data.tobytes())


CAPTURE, CARD_PHOTO = jpeg(1), jpeg(2)


@pytest.fixture
def centre(sqlite_url: str) -> Iterator[ServedCentre]:
    yield from served_centre(sqlite_url)


def submit_case(centre: ServedCentre, sequence: int = 1) -> str:
    body = sample_submission(sequence).model_dump(mode="json")
    assert centre.api.post("/api/v1/cases", json=body, headers=KIOSK).status_code == 201
    return str(body["case_number"])


def send_pair(centre: ServedCentre, case_number: str, headers: dict[str, str] = KIOSK,
              capture: bytes = CAPTURE) -> tuple[int, dict[str, str]]:
    answer = centre.api.post(f"/api/v1/face-checks/{case_number}", headers=headers, json={
        "capture": base64.b64encode(capture).decode(), "card_photo": base64.b64encode(CARD_PHOTO).decode()})
    return answer.status_code, answer.json()


def console(centre: ServedCentre, token: str) -> Api:
    """A browser-like session logged in to the console with ``token``."""
    session = Api(centre.api.base_url)
    answer = session.post("/console/login", data={"token": token, "next": "/console/"}, allow_redirects=False)
    assert answer.status_code == 303, answer.text
    return session


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def rows(engine: Engine) -> list[FaceCheckRow]:
    with Session(engine) as session:
        return list(session.scalars(select(FaceCheckRow)))


def test_a_pair_waits_for_a_clerk_who_sees_both_and_whose_decision_erases_them(centre: ServedCentre) -> None:
    case_number = submit_case(centre)
    assert send_pair(centre, case_number) == (201, {"case_number": case_number, "verdict": "pending"})
    [row] = rows(centre.engine)
    assert row.capture and row.card_photo  # kept, sealed: the raw pictures are not in the row
    assert base64.b64encode(CAPTURE).decode()[:40] not in row.capture

    clerk = console(centre, CLERK_TOKEN)
    page = clerk.get("/console/face-checks")
    assert page.status_code == 200 and case_number in page.text
    shown = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', page.text)
    assert [base64.b64decode(s) for s in shown] == [CAPTURE, CARD_PHOTO]
    assert page.headers["Cache-Control"] == "no-store"

    answer = clerk.post(f"/console/face-checks/{row.id}/decide",
                        data={"csrf": csrf_of(page.text), "verdict": "match"}, allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].endswith("done=decided")
    [row] = rows(centre.engine)
    assert (row.verdict, row.decided_by, row.capture, row.card_photo) == ("match", "wang", None, None)
    assert face_checks.verdict_of(centre.engine, case_number) is FaceVerdict.MATCH
    with Session(centre.engine) as session:
        [audit] = session.scalars(select(ConsoleAuditRow).where(ConsoleAuditRow.action == "face_check.decide"))
    assert (audit.actor, audit.role, audit.detail) == ("wang", "clerk", f"case {case_number}: match")

    after = clerk.get("/console/face-checks")
    assert "data:image" not in after.text and "已记录比对结果" not in after.text
    # decided once and for all: the kiosk cannot send again, a second decision is refused
    assert send_pair(centre, case_number)[0] == 409
    again = clerk.post(f"/console/face-checks/{row.id}/decide",
                       data={"csrf": csrf_of(after.text), "verdict": "no_match"}, allow_redirects=False)
    assert again.headers["location"].endswith("problem=decided")
    assert rows(centre.engine)[0].verdict == "match"


def test_only_staff_who_decide_the_case_see_it(centre: ServedCentre) -> None:
    case_number = submit_case(centre)
    send_pair(centre, case_number)
    [row] = rows(centre.engine)
    technician = console(centre, TECHNICIAN_TOKEN)
    assert technician.get("/console/face-checks").status_code == 403
    assert technician.post(f"/console/face-checks/{row.id}/decide",
                           data={"csrf": "x", "verdict": "match"}).status_code == 403
    elsewhere = console(centre, ELSEWHERE_CLERK_TOKEN)  # another department's clerk
    page = elsewhere.get("/console/face-checks")
    assert page.status_code == 200 and case_number not in page.text and "data:image" not in page.text
    answer = elsewhere.post(f"/console/face-checks/{row.id}/decide",
                            data={"csrf": csrf_of(page.text), "verdict": "match"}, allow_redirects=False)
    assert answer.status_code == 404
    supervisor = console(centre, SUPERVISOR_TOKEN)
    assert case_number in supervisor.get("/console/face-checks").text
    assert rows(centre.engine)[0].capture is not None  # nobody without the right decided it


def test_a_decision_needs_the_forms_csrf_token_and_a_verdict(centre: ServedCentre) -> None:
    send_pair(centre, submit_case(centre))
    [row] = rows(centre.engine)
    clerk = console(centre, CLERK_TOKEN)
    page = clerk.get("/console/face-checks")
    assert clerk.post(f"/console/face-checks/{row.id}/decide",
                      data={"csrf": "forged", "verdict": "match"}).status_code == 403
    unchosen = clerk.post(f"/console/face-checks/{row.id}/decide",
                          data={"csrf": csrf_of(page.text), "verdict": "pending"}, allow_redirects=False)
    assert unchosen.headers["location"].endswith("problem=verdict")
    assert rows(centre.engine)[0].verdict == "pending"


def test_only_the_kiosk_that_took_the_case_sends_its_pair_and_only_pictures(centre: ServedCentre) -> None:
    case_number = submit_case(centre)
    assert send_pair(centre, case_number, headers=OTHER_KIOSK)[0] == 403
    assert send_pair(centre, "202601010019999")[0] in (403, 404)
    assert send_pair(centre, case_number, capture=b"not a picture")[0] == 422
    assert rows(centre.engine) == []


class AlwaysMatch:
    name = "test-matcher"

    def decide(self, capture: bytes, card_photo: bytes) -> FaceVerdict:
        return FaceVerdict.MATCH if capture and card_photo else FaceVerdict.NO_MATCH


def test_a_verifier_that_decides_at_once_keeps_no_picture(sqlite_url: str) -> None:
    for centre in served_centre(sqlite_url, face_verifier=AlwaysMatch()):
        case_number = submit_case(centre)
        assert send_pair(centre, case_number)[1]["verdict"] == "match"
        [row] = rows(centre.engine)
        assert (row.verdict, row.verifier, row.decided_by, row.capture, row.card_photo) == (
            "match", "test-matcher", "test-matcher", None, None)


def test_pictures_left_undecided_are_erased_by_the_centres_hourly_tidy(centre: ServedCentre) -> None:
    send_pair(centre, submit_case(centre, 1))
    send_pair(centre, submit_case(centre, 2))
    first = rows(centre.engine)[0]
    with centre.engine.begin() as conn:
        conn.execute(update(FaceCheckRow).where(FaceCheckRow.id == first.id)
                     .values(received_at=utcnow() - timedelta(hours=face_checks.KEEP_PENDING_HOURS + 1)))
    AlertWatch(centre.engine, LogNotifier()).round()
    kept = {r.id: r.capture is not None for r in rows(centre.engine)}
    assert kept == {first.id: False, first.id + 1: True}
    with Session(centre.engine) as session, session.begin():
        assert face_checks.prune(session, utcnow()) == 0  # nothing left to erase


def test_the_schema_refuses_a_decided_check_that_still_holds_pictures(database_url: str) -> None:
    for centre in served_centre(database_url):
        send_pair(centre, submit_case(centre))
        with pytest.raises(IntegrityError), centre.engine.begin() as conn:
            conn.execute(update(FaceCheckRow).values(verdict="match"))
