"""The ratings pages in a real browser: low ratings (given through the kiosk API) open follow-ups;
a supervisor sees the overdue one highlighted, records the 整改 and the 回访, and closes one;
clerks are refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select, update

from central.db import CaseRow
from central.followup_rows import FollowUpRow
from central.samples import sample_submission
from central.work_calendar import WorkCalendar
from tests.console.console_support import LiveCentre, assert_accessible, log_in, save_screenshot


def rated(centre: LiveCentre, sequence: int, level: str, comment: str = "") -> str:
    kiosk = centre.kiosk()
    body = sample_submission(sequence).model_dump(mode="json")
    assert kiosk.post("/api/v1/cases", json=body).status_code == 201
    answer = kiosk.post(f"/api/v1/cases/{body['case_number']}/rating",
                        json={"level": level, "reasons": ["等候时间长", "态度不好"], "comment": comment})
    assert answer.status_code == 201, answer.text
    return str(body["case_number"])


def make_overdue(centre: LiveCentre, case_number: str) -> None:
    """As if the rating had been given four weeks ago: its deadline has passed (the centre
    stamps a rating with the time it arrives, which a test cannot choose)."""
    engine: Engine = centre.running.app.state.engine
    opened = datetime.now(UTC) - timedelta(days=28)
    due = WorkCalendar().due_on(opened)
    assert due < date.today()
    case_id = _case_id(engine, case_number)
    with engine.begin() as conn:
        conn.execute(update(FollowUpRow).where(FollowUpRow.case_id == case_id)
                     .values(opened_at=opened, due_on=due))


def _case_id(engine: Engine, case_number: str) -> int:
    with engine.connect() as conn:
        found: int = conn.execute(select(CaseRow.id).where(CaseRow.case_number == case_number)
                                  ).scalar_one()
    return found


def test_a_supervisor_follows_a_low_rating_up_to_its_close(page: Page, centre: LiveCentre) -> None:
    first = rated(centre, 1, "very_dissatisfied", "等了四十分钟没人处理")
    rated(centre, 2, "satisfied")
    late = rated(centre, 3, "dissatisfied")
    make_overdue(centre, late)

    log_in(page, centre, "supervisor", next_path="/console/ratings")
    expect(page.get_by_role("heading", name="好差评整改回访")).to_be_visible()
    expect(page.get_by_text("共 2 条")).to_be_visible()  # the good rating opened nothing
    expect(page.get_by_role("alert")).to_contain_text("有 1 条已逾期未办结")
    overdue_row = page.get_by_role("row").filter(has_text=late)
    expect(overdue_row).to_contain_text("已逾期")
    expect(overdue_row).to_have_class("overdue")
    assert_accessible(page)
    save_screenshot(page, "ratings-list")

    page.get_by_label("只看逾期").check()
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_text("共 1 条")).to_be_visible()
    expect(page.get_by_role("link", name=late)).to_be_visible()

    page.goto(f"{centre.base_url}/console/ratings")
    page.get_by_role("link", name=first).click()
    expect(page.get_by_role("heading", name=f"整改回访：办件 {first}")).to_be_visible()
    expect(page.get_by_text("等了四十分钟没人处理")).to_be_visible()
    expect(page.get_by_text("剩 ")).to_be_visible()
    page.get_by_role("button", name="办结整改回访").click()
    expect(page.get_by_role("alert")).to_contain_text("办结前请先登记整改情况和回访记录")

    page.get_by_label("整改情况").fill("高峰时段增派一名工作人员值守自助区")
    page.get_by_role("button", name="登记整改情况").click()
    expect(page.get_by_role("status")).to_contain_text("整改情况已登记")

    now_local = datetime.now(WorkCalendar().zone).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("回访时间").fill(now_local)
    page.get_by_label("回访结果").fill("已电话回访，群众认可整改措施")
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="登记回访").click()
    expect(page.get_by_role("status")).to_contain_text("回访记录已登记")
    shown = now_local.replace("T", " ")
    expect(page.get_by_role("region", name="回访")).to_contain_text(f"回访时间{shown}")
    assert_accessible(page)
    save_screenshot(page, "rating-follow-up-recorded")

    page.get_by_role("button", name="办结整改回访").click()
    expect(page.get_by_role("status")).to_contain_text("已办结这条整改回访")
    expect(page.get_by_role("region", name="评价")).to_contain_text("已办结（zhao")
    expect(page.get_by_role("region", name="回访")).to_contain_text("已电话回访，群众认可整改措施")
    expect(page.get_by_role("button", name="登记回访")).to_have_count(0)
    assert_accessible(page)
    save_screenshot(page, "rating-follow-up-closed")

    page.goto(f"{centre.base_url}/console/ratings?status=closed")
    expect(page.get_by_role("link", name=first)).to_be_visible()


def test_clerks_do_not_see_ratings(page: Page, centre: LiveCentre) -> None:
    rated(centre, 1, "dissatisfied")
    log_in(page, centre, "clerk")
    answer = page.goto(f"{centre.base_url}/console/ratings")
    assert answer is not None and answer.status == 403
    answer = page.goto(f"{centre.base_url}/console/ratings/1")
    assert answer is not None and answer.status == 403
