"""The document camera's pages on a case's page, in a real browser: the clerk holding the case
sees them listed and opens one (a recorded read, never cached); a clerk who only sees the case
is told they are there and gets 403 for a picture, as does a technician; a case without pages
shows nothing of them."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from central.samples import sample_submission
from tests.console.console_support import LiveCentre, assert_accessible, log_in, save_screenshot
from tests.support.document_pages import captured

HOUSEHOLD, ID_CARD = captured("户口簿本人页", 1), captured("居民身份证", 2)
WITH_PAGES, WITHOUT = sample_submission(1).case_number, sample_submission(2).case_number


def submit_cases(centre: LiveCentre) -> None:
    kiosk = centre.kiosk()
    for n in (1, 2):
        assert kiosk.post("/api/v1/cases", json=sample_submission(n).model_dump(mode="json")).status_code == 201
    for number, page in ((1, HOUSEHOLD), (2, ID_CARD)):
        answer = kiosk.put(f"/api/v1/cases/{WITH_PAGES}/pages/{number}", json=page.model_dump(mode="json"))
        assert answer.status_code == 201, answer.text


def page_reads(centre: LiveCentre, case_number: str) -> list[tuple[str, str]]:
    reads = centre.staff("supervisor").get(f"/api/v1/clerk/cases/{case_number}/reads").json()["reads"]
    return [(r["reader"], r["what"]) for r in reads if r["what"].startswith("page")]


def test_the_holder_sees_the_pages_listed_and_opens_one(page: Page, centre: LiveCentre) -> None:
    submit_cases(centre)
    log_in(page, centre, "clerk", next_path=f"/console/cases/{WITH_PAGES}")
    data = page.get_by_role("region", name="申请人与申请内容")
    expect(data).to_contain_text("认领该办件后可查看申请人信息和 2 张材料照片。")
    expect(data.get_by_role("link")).to_have_count(0)  # not before the claim

    page.get_by_role("button", name="认领此件").click()
    expect(page.get_by_role("status")).to_contain_text("已认领")
    listed = data.get_by_role("list", name="材料照片")
    expect(listed.get_by_role("listitem")).to_have_text(
        ["材料照片：户口簿本人页（第 1 页）", "材料照片：居民身份证（第 2 页）"])
    assert_accessible(page)
    save_screenshot(page, "case-pages")
    assert page_reads(centre, WITH_PAGES) == []  # listing them opens none

    with page.expect_response(f"**/console/cases/{WITH_PAGES}/pages/1") as shown:
        listed.get_by_role("link", name="户口簿本人页（第 1 页）").click()
    answer = shown.value
    assert answer.status == 200 and answer.body() == HOUSEHOLD.jpeg
    assert answer.headers["content-type"] == "image/jpeg" and answer.headers["cache-control"] == "no-store"
    picture = page.locator("img")
    expect(picture).to_have_count(1)
    assert picture.evaluate("img => img.naturalWidth") == 420  # drawn, not a broken image
    save_screenshot(page, "case-page-image")
    assert page_reads(centre, WITH_PAGES) == [("wang", "page 1")]


def test_staff_who_may_not_read_the_data_get_403_and_nothing_is_recorded(page: Page, centre: LiveCentre) -> None:
    submit_cases(centre)
    centre.staff("clerk").post(f"/api/v1/clerk/cases/{WITH_PAGES}/claim").raise_for_status()  # wang holds it
    image = f"{centre.base_url}/console/cases/{WITH_PAGES}/pages/1"

    log_in(page, centre, "other_clerk", next_path=f"/console/cases/{WITH_PAGES}")  # li sees the case
    data = page.get_by_role("region", name="申请人与申请内容")
    expect(data).to_contain_text("2 张材料照片")
    expect(data.get_by_role("link")).to_have_count(0)
    answer = page.goto(image)
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("heading", name="无权查看")).to_be_visible()
    save_screenshot(page, "case-page-image-refused")

    page.context.clear_cookies()
    log_in(page, centre, "technician")
    answer = page.goto(image)
    assert answer is not None and answer.status == 403
    expect(page.locator("img")).to_have_count(0)
    assert page_reads(centre, WITH_PAGES) == []


def test_a_case_without_pages_shows_nothing_of_them(page: Page, centre: LiveCentre) -> None:
    submit_cases(centre)
    log_in(page, centre, "clerk", next_path=f"/console/cases/{WITHOUT}")
    data = page.get_by_role("region", name="申请人与申请内容")
    expect(data.locator("p")).to_have_text(["认领该办件后可查看申请人信息。"])  # no word of pages
    page.get_by_role("button", name="认领此件").click()
    expect(page.get_by_role("status")).to_contain_text("已认领")
    expect(data.get_by_text("测试人")).to_be_visible()
    assert "材料照片" not in page.content()
    expect(data.get_by_role("list")).to_have_count(0)
    assert_accessible(page)
    save_screenshot(page, "case-without-pages")
    answer = page.goto(f"{centre.base_url}/console/cases/{WITHOUT}/pages/1")
    assert answer is not None and answer.status == 404
