"""The case pages in a real browser: a clerk claims a case from the queue, reads it (the read
recorded), asks for more materials with a list (the resident's view lists them), accepts and
completes it; a technician is refused; a supervisor reassigns."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from central.samples import sample_submission
from tests.console.console_support import LiveCentre, assert_accessible, log_in, save_screenshot

FIRST = "202611230010001"


def submit(centre: LiveCentre, *sequences: int, item: str = "sample-item") -> None:
    kiosk = centre.kiosk()
    for n in sequences:
        body = sample_submission(n, item_id=item).model_dump(mode="json")
        answer = kiosk.post("/api/v1/cases", json=body)
        assert answer.status_code == 201, answer.text


def test_a_clerk_claims_asks_for_materials_accepts_and_completes(page: Page, centre: LiveCentre
                                                                  ) -> None:
    submit(centre, 1, 2, 3)
    log_in(page, centre, "clerk", next_path="/console/cases")
    expect(page.get_by_role("heading", name="办件队列")).to_be_visible()
    expect(page.get_by_text("共 3 件")).to_be_visible()
    assert "测试人" not in page.content()  # the queue holds no personal data
    assert_accessible(page)
    save_screenshot(page, "cases-queue")

    page.get_by_role("button", name="认领下一件").click()
    expect(page.get_by_role("heading", name=f"办件 {FIRST}")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("已认领")
    expect(page.get_by_text("测试人")).to_be_visible()  # the holder reads the data
    expect(page.get_by_text("110101190001011237")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "case-claimed")

    # More materials: nothing ticked is refused in plain words, with the form kept.
    materials = page.get_by_role("form", name="要求补充材料")
    expect(materials.get_by_text("需要补充材料", exact=True)).to_be_visible()  # the preview
    materials.get_by_label("其他材料").fill("联系电话 139 0000 0000")
    materials.get_by_role("button", name="要求补充材料").click()
    materials = page.get_by_role("form", name="要求补充材料")
    expect(materials.get_by_role("alert")).to_contain_text("像证件号或电话")
    assert_accessible(page)
    save_screenshot(page, "case-materials-error")
    materials.get_by_label("户口簿原件及复印件").check()
    materials.get_by_label("近期一寸免冠照片").check()
    materials.get_by_label("其他材料").fill("社区出具的居住证明（盖章）")
    materials.get_by_label("内部备注").fill("已电话告知")
    materials.get_by_role("button", name="要求补充材料").click()
    expect(page.get_by_role("status")).to_contain_text("办件状态已更新")
    history = page.get_by_role("region", name="经办记录")
    expect(history.get_by_text("社区出具的居住证明（盖章）")).to_be_visible()
    view = centre.kiosk().get(f"/api/v1/cases/{FIRST}").json()
    assert view["missing"] == ["户口簿原件及复印件", "近期一寸免冠照片", "社区出具的居住证明（盖章）"]

    page.get_by_role("form", name="受理", exact=True).get_by_role("button", name="受理", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("办件状态已更新")
    done = page.get_by_role("form", name="办结")
    expect(done.get_by_text("已办结", exact=True)).to_be_visible()  # the resident's words previewed
    expect(done.get_by_label("就近自领")).to_be_checked()  # as the resident chose at the kiosk
    done.get_by_label("快递送达").check()
    done.get_by_role("button", name="办结").click()
    expect(page.get_by_role("status")).to_contain_text("办件状态已更新")
    expect(page.get_by_role("region", name="概况")).to_contain_text("已办结")
    expect(history.get_by_text("送达方式：快递送达")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "case-completed")

    events = centre.staff("clerk").get(f"/api/v1/clerk/cases/{FIRST}/history").json()["events"]
    assert [e["status"] for e in events] == [
        "received", "claimed", "more_materials_needed", "accepted", "completed"]
    assert events[-1]["delivery"] == "express"
    reads = centre.staff("supervisor").get(f"/api/v1/clerk/cases/{FIRST}/reads").json()["reads"]
    assert reads and {(r["reader"], r["what"]) for r in reads} == {("wang", "submission")}
    assert len(reads) >= 5  # each page view of the data, recorded


def test_a_clerk_claims_named_cases_rejects_one_releases_another_and_other_departments_see_none(
        page: Page, centre: LiveCentre) -> None:
    submit(centre, 1, 2)
    second = "202611230010002"
    log_in(page, centre, "clerk", next_path="/console/cases")
    page.get_by_role("button", name=f"认领 {second}").click()
    expect(page.get_by_role("heading", name=f"办件 {second}")).to_be_visible()
    reject = page.get_by_role("form", name="不予受理")
    reject.get_by_label("不予受理的理由").fill("不属于本区户籍")
    reject.get_by_role("button", name="不予受理").click()
    expect(page.get_by_role("region", name="经办记录")).to_contain_text("理由：不属于本区户籍")

    page.goto(f"{centre.base_url}/console/cases/{FIRST}")
    page.get_by_role("button", name="认领此件").click()
    page.get_by_role("button", name="放回队列").click()
    expect(page.get_by_role("status")).to_contain_text("已放回队列")
    page.goto(f"{centre.base_url}/console/cases/{FIRST}")
    expect(page.get_by_role("region", name="经办记录")).to_contain_text("备注：放回队列")
    expect(page.get_by_text("认领该办件后可查看申请人信息")).to_be_visible()  # no longer the holder

    page.goto(f"{centre.base_url}/console/cases?status=all")
    expect(page.get_by_text("共 2 件")).to_be_visible()

    other = page.context.browser.new_context(locale="zh-CN").new_page()  # type: ignore[union-attr]
    log_in(other, centre, "elsewhere_clerk", next_path="/console/cases")
    expect(other.get_by_text("共 0 件")).to_be_visible()
    answer = other.goto(f"{centre.base_url}/console/cases/{second}")
    assert answer is not None and answer.status == 404
    other.context.close()


def test_a_technician_is_refused_every_case_page(page: Page, centre: LiveCentre) -> None:
    submit(centre, 1)
    log_in(page, centre, "technician")
    for path in ("/console/cases", f"/console/cases/{FIRST}"):
        answer = page.goto(f"{centre.base_url}{path}")
        assert answer is not None and answer.status == 403
        expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    assert "测试人" not in page.content()
    assert_accessible(page)
    save_screenshot(page, "cases-technician-refused")
    reads = centre.staff("supervisor").get(f"/api/v1/clerk/cases/{FIRST}/reads").json()["reads"]
    assert reads == []


def test_a_supervisor_reassigns_and_the_case_page_fits_a_phone(phone_page: Page,
                                                               centre: LiveCentre) -> None:
    submit(centre, 1)
    assert centre.staff("clerk").post(f"/api/v1/clerk/cases/{FIRST}/claim").status_code == 200
    log_in(phone_page, centre, "supervisor", next_path=f"/console/cases/{FIRST}")
    expect(phone_page.get_by_text("测试人")).to_be_visible()  # supervisors read every case
    phone_page.get_by_label("转交给").select_option("li")
    phone_page.get_by_role("button", name="转交").click()
    expect(phone_page.get_by_role("status")).to_contain_text("已转交")
    expect(phone_page.get_by_role("region", name="概况")).to_contain_text("li")
    expect(phone_page.get_by_role("region", name="经办记录")).to_contain_text("备注：转交给 li")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    assert_accessible(phone_page)
    save_screenshot(phone_page, "case-phone")
