"""The kiosk API's case pages (``PUT /api/v1/cases/{n}/pages/{k}``), on SQLite and PostgreSQL:
201 the first time, 200 for the same page again, 409 for another picture under its number,
403 for another kiosk's case, 404 before the case, 422 outside 1..PAGES_MAX; error answers
never echo the body; a full-size page passes the body limit this path alone has; the picture
is sealed at rest, and goes with its case row."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator

import pytest
from centre_support import KIOSK, OTHER_KIOSK, ServedCentre, served_centre
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from central.case_page_rows import CasePageRow
from central.db import CaseEventRow, CaseRow
from central.samples import sample_submission
from contract.captured_pages import PAGE_MAX_BODY_BYTES, PAGE_MAX_BYTES, PAGES_MAX, CapturedPage
from tests.support.document_pages import captured, page_jpeg

HOUSEHOLD = captured("户口簿本人页", 1)
CASE = sample_submission(1)
PATH = f"/api/v1/cases/{CASE.case_number}/pages"


@pytest.fixture
def centre(database_url: str) -> Iterator[ServedCentre]:
    yield from served_centre(database_url)


def put(centre: ServedCentre, number: int | str, page: CapturedPage | dict[str, object],
        headers: dict[str, str] = KIOSK, case_number: str = CASE.case_number) -> tuple[int, str]:
    body = page.model_dump(mode="json") if isinstance(page, CapturedPage) else page
    answer = centre.api.put(f"/api/v1/cases/{case_number}/pages/{number}", json=body, headers=headers)
    return answer.status_code, answer.text


def submit(centre: ServedCentre) -> None:
    assert centre.api.post("/api/v1/cases", json=CASE.model_dump(mode="json"), headers=KIOSK).status_code == 201


def test_a_page_is_stored_once_and_another_picture_under_its_number_is_refused(centre: ServedCentre) -> None:
    assert put(centre, 1, HOUSEHOLD)[0] == 404  # before its case
    submit(centre)
    status, text = put(centre, 1, HOUSEHOLD)
    assert status == 201 and '"number":1' in text.replace(" ", "")
    assert put(centre, 1, HOUSEHOLD)[0] == 200  # a lost acknowledgement: sent again, nothing changes
    assert put(centre, 1, CapturedPage(material=HOUSEHOLD.material, jpeg=page_jpeg(2)))[0] == 409
    assert put(centre, 1, CapturedPage(material="结婚证", jpeg=HOUSEHOLD.jpeg))[0] == 409
    assert put(centre, PAGES_MAX, captured("结婚证", 3))[0] == 201
    with Session(centre.engine) as session:
        rows = session.execute(select(CasePageRow.number, CasePageRow.material, CasePageRow.size, CasePageRow.jpeg)
                               .order_by(CasePageRow.number)).all()
    assert [(r.number, r.material, r.size) for r in rows] == [
        (1, HOUSEHOLD.material, len(HOUSEHOLD.jpeg)), (PAGES_MAX, "结婚证", len(page_jpeg(3)))]
    sealed = rows[0].jpeg
    assert sealed.startswith("enc1:")  # sealed like a case's payload
    assert base64.b64encode(HOUSEHOLD.jpeg)[100:160].decode() not in sealed


def test_only_the_kiosk_that_took_the_case_sends_its_pages(centre: ServedCentre) -> None:
    submit(centre)
    status, text = put(centre, 1, HOUSEHOLD, headers=OTHER_KIOSK)
    assert status == 403 and "may not act for that terminal" in text
    assert put(centre, 1, HOUSEHOLD, headers={})[0] == 401
    with Session(centre.engine) as session:
        assert session.scalar(select(func.count()).select_from(CasePageRow)) == 0


@pytest.mark.parametrize("number", [0, -1, PAGES_MAX + 1, "one"])
def test_a_number_outside_the_pages_a_case_may_have_is_422(centre: ServedCentre, number: int | str) -> None:
    submit(centre)
    status, text = put(centre, number, HOUSEHOLD)
    assert status == 422 and "number" in text
    assert HOUSEHOLD.material not in text and base64.b64encode(HOUSEHOLD.jpeg)[:40].decode() not in text


def test_a_page_that_is_not_one_is_422_and_the_answer_echoes_nothing(centre: ServedCentre) -> None:
    submit(centre)
    secret = "张三的残疾人证 110101190001011237"
    for body in ({"material": secret, "jpeg": base64.b64encode(b"GIF89a" + secret.encode()).decode()},
                 {"material": secret * 10, "jpeg": base64.b64encode(HOUSEHOLD.jpeg).decode()},
                 {"material": "户口簿", "jpeg": secret},
                 {"material": "户口簿", "jpeg": base64.b64encode(HOUSEHOLD.jpeg).decode(), "note": secret}):
        status, text = put(centre, 1, body)
        assert status == 422, text
        assert secret not in text and "110101190001011237" not in text and "GIF89a" not in text


def test_a_full_size_page_passes_the_limit_this_path_alone_has(centre: ServedCentre) -> None:
    submit(centre)
    largest = CapturedPage(material="户口簿本人页", jpeg=b"\xff\xd8\xff" + os.urandom(PAGE_MAX_BYTES - 3))
    assert put(centre, 1, largest)[0] == 201  # ~700 KB of JSON: ten times the API's usual limit
    too_large = {"material": "户口簿本人页", "jpeg": "A" * PAGE_MAX_BODY_BYTES}
    assert put(centre, 2, too_large)[0] == 413
    rating = {"level": "satisfied", "reasons": [], "comment": "x" * 100_000}  # elsewhere the usual limit
    answer = centre.api.post(f"/api/v1/cases/{CASE.case_number}/rating", json=rating, headers=KIOSK)
    assert answer.status_code == 413


def test_pages_go_with_their_case_row(centre: ServedCentre) -> None:
    submit(centre)
    assert put(centre, 1, HOUSEHOLD)[0] == 201
    with Session(centre.engine) as session, session.begin():
        case_id = session.scalar(select(CaseRow.id))
        session.execute(delete(CaseEventRow).where(CaseEventRow.case_id == case_id))
        session.execute(delete(CaseRow).where(CaseRow.id == case_id))
    with Session(centre.engine) as session:
        assert session.scalar(select(func.count()).select_from(CasePageRow)) == 0
