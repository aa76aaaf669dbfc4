"""The statistics page in a real browser: cases and ratings sent through the kiosk API are
counted per day, month, site and item, charted as SVG, and downloaded as CSV files that Excel
reads (a BOM) and that hold no personal data; a beating kiosk's uptime is shown."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import Engine, update

from central.db import CaseRow
from central.samples import sample_submission
from central.work_calendar import CENTRE_ZONE
from tests.console.console_support import LiveCentre, assert_accessible, log_in, save_screenshot

TODAY = datetime.now(CENTRE_ZONE).date()


def seed(centre: LiveCentre) -> None:
    """Six cases at two sites (three of them rated), two days back; a kiosk with unsent cases."""
    plan = [(1, 1, "demo-site", "sample-item", 0, "very_satisfied"),
            (2, 1, "demo-site", "sample-item", 0, "dissatisfied"),
            (3, 1, "demo-site", "residence-permit", 1, None),
            (4, 1, "demo-site", "sample-item", 2, None),
            (1, 2, "east-site", "sample-item", 0, "satisfied"),
            (2, 2, "east-site", "residence-permit", 1, None)]
    engine: Engine = centre.running.app.state.engine
    for sequence, terminal, site, item, days_ago, rating in plan:
        kiosk = centre.kiosk(f"T{terminal:03d}")
        body = sample_submission(sequence, terminal=terminal, site_id=site, item_id=item)
        assert kiosk.post("/api/v1/cases", json=body.model_dump(mode="json")).status_code == 201
        if rating:
            assert kiosk.post(f"/api/v1/cases/{body.case_number}/rating",
                              json={"level": rating}).status_code == 201
        if days_ago:  # the centre stamps arrival itself; move it back to the day under test
            with engine.begin() as conn:
                conn.execute(update(CaseRow).where(CaseRow.case_number == body.case_number)
                             .values(received_at=datetime.now(UTC) - timedelta(days=days_ago)))
    beat = {"terminal_id": "T002", "site_id": "east-site", "software_version": "1.4.2",
            "sent_at": datetime.now(UTC).isoformat(), "outbox_depth": 4, "oldest_unsent_age_s": 5400.0}
    assert centre.kiosk("T002").post("/api/v1/heartbeats", json=beat).status_code == 200
    centre.running.app.state.beats.flush()


def test_a_supervisor_reads_the_counts_sees_the_charts_and_downloads_csv(
        page: Page, centre: LiveCentre, tmp_path: Path) -> None:
    seed(centre)
    log_in(page, centre, "supervisor", next_path="/console/stats")
    expect(page.get_by_role("heading", name="统计", exact=True)).to_be_visible()
    expect(page.get_by_text("共受理 6 件")).to_be_visible()
    daily_chart = page.get_by_role("img", name="每日办件量")
    expect(daily_chart).to_be_visible()
    assert daily_chart.locator("circle").count() == 30  # one point a day, empty days too
    expect(page.get_by_role("img", name="评价分布")).to_be_visible()
    expect(page.get_by_role("img", name="每月办件量")).to_be_visible()
    ratings = page.get_by_role("region", name="评价分布")
    expect(ratings.get_by_role("row").filter(has_text="不满意")).to_contain_text("1")
    expect(page.get_by_role("region", name="终端未上传办件")).to_contain_text("T002")
    uptime = page.get_by_role("region", name="设备在线率")
    expect(uptime.get_by_role("img", name="设备在线率")).to_be_visible()
    expect(uptime.get_by_role("row").filter(has_text="T002")).to_contain_text("100.0%")
    assert_accessible(page)
    save_screenshot(page, "stats")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载日统计 CSV").click()
    saved = tmp_path / "daily.csv"
    info.value.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 Chinese only with the BOM
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["日期", "站点", "事项", "办件量"]
    counted = {(r[0], r[1], r[2]): int(r[3]) for r in rows[1:]}
    assert counted[(TODAY.isoformat(), "demo-site", "sample-item")] == 2
    assert counted[(TODAY.isoformat(), "east-site", "sample-item")] == 1
    assert sum(counted.values()) == 6
    assert info.value.suggested_filename.startswith("cases-daily-")
    for name in ("monthly", "ratings", "uptime", "unsent"):
        answer = page.request.get(f"{centre.base_url}/console/stats/{name}.csv")
        assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
        text = answer.body().decode("utf-8-sig")
        assert "测试人" not in text and "110101190001011237" not in text and "13800000000" not in text
    unsent = list(csv.reader(io.StringIO(
        page.request.get(f"{centre.base_url}/console/stats/unsent.csv").body().decode("utf-8-sig"))))
    assert unsent[1][0] == "T002" and unsent[1][3] == "4" and int(unsent[1][4]) >= 90


def test_a_narrow_range_a_bad_date_and_a_phone(phone_page: Page, centre: LiveCentre) -> None:
    seed(centre)
    log_in(phone_page, centre, "supervisor", next_path=f"/console/stats?from={TODAY}&to={TODAY}")
    expect(phone_page.get_by_text("共受理 3 件")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    assert_accessible(phone_page)
    save_screenshot(phone_page, "stats-phone")
    answer = phone_page.goto(f"{centre.base_url}/console/stats?from=2026-12-09&to=2026-12-01")
    assert answer is not None and answer.status == 422
    expect(phone_page.get_by_role("alert")).to_contain_text("结束日期早于开始日期")


def test_clerks_and_technicians_see_no_statistics(page: Page, centre: LiveCentre) -> None:
    for role in ("clerk", "technician"):
        page.context.clear_cookies()
        log_in(page, centre, role)
        for path in ("/console/stats", "/console/stats/daily.csv"):
            answer = page.goto(f"{centre.base_url}{path}")
            assert answer is not None and answer.status == 403, (role, path)
