"""The face check page in a real browser: a clerk compares the two pictures side by side and
decides; the pictures are gone from the page and the database; the page passes axe-core."""

from __future__ import annotations

import base64

import cv2
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from central.face_check_rows import FaceCheckRow
from central.samples import sample_submission
from tests.console.console_support import LiveCentre, assert_accessible, log_in, save_screenshot
from tests.support import face_frames as ff


def picture(seed: int, width: float) -> str:
    ok, data = cv2.imencode(".jpg", ff.frame((ff.Face(width=width),), seed=seed)[60:420, 150:490])
    assert ok
    return base64.b64encode(data.tobytes()).decode()


def pending_pair(centre: LiveCentre, sequence: int) -> str:
    kiosk = centre.kiosk()
    body = sample_submission(sequence).model_dump(mode="json")
    assert kiosk.post("/api/v1/cases", json=body).status_code == 201
    answer = kiosk.post(f"/api/v1/face-checks/{body['case_number']}",
                        json={"capture": picture(sequence, 0.4), "card_photo": picture(sequence + 50, 0.35)})
    assert answer.status_code == 201, answer.text
    return str(body["case_number"])


def test_a_clerk_compares_the_pictures_and_decides(page: Page, centre: LiveCentre) -> None:
    first = pending_pair(centre, 1)
    second = pending_pair(centre, 2)
    log_in(page, centre, "clerk", next_path="/console/face-checks")
    expect(page.get_by_role("heading", name="人证比对")).to_be_visible()
    check = page.get_by_role("region", name=f"办件 {first}")
    expect(check.get_by_role("img", name=f"办件 {first} 的现场照片")).to_be_visible()
    expect(check.get_by_role("img", name=f"办件 {first} 的身份证照片")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "face-checks")

    check.get_by_role("button", name="是本人", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("两张照片已删除")
    expect(page.get_by_role("region", name=f"办件 {first}")).to_have_count(0)
    expect(page.get_by_role("region", name=f"办件 {second}")).to_be_visible()
    engine: Engine = centre.running.app.state.engine
    with Session(engine) as session:
        decided = {r.verdict: r.capture for r in session.scalars(select(FaceCheckRow))}
    assert decided["match"] is None and decided["pending"] is not None


def test_a_technician_is_refused_the_page(page: Page, centre: LiveCentre) -> None:
    pending_pair(centre, 1)
    log_in(page, centre, "technician")
    expect(page.get_by_role("link", name="人证比对")).to_have_count(0)
    answer = page.goto(f"{centre.base_url}/console/face-checks")
    assert answer is not None and answer.status == 403
    expect(page.locator("img")).to_have_count(0)
