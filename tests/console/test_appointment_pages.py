"""The appointments page (预约) in a browser: a clerk reads a day's counter appointments per
site with masked names only, filters by site and moves a day on; technicians are kept out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from central import appointments
from central.counter_hours import counter_hours
from central.work_calendar import CENTRE_ZONE
from tests.central.appointment_support import ID_NUMBER, NAME, OTHER_SITE, SITE, WEEKDAYS, booking
from tests.console.console_support import LiveCentre, assert_accessible, live_centre, log_in, save_screenshot

HOURS = counter_hours({"sites": {SITE: {"hours": WEEKDAYS, "place": "一楼 3号窗口"},
                                 OTHER_SITE: {"hours": WEEKDAYS, "place": "二楼 8号窗口"}}})
MONDAY = "2026-12-07"


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[LiveCentre]:
    """A live centre with counter hours and four appointments on Monday 7 December 2026."""
    running = live_centre(f"sqlite:///{tmp_path / 'centre.db'}", counter_hours=HOURS)
    centre = next(running)
    app = centre.running.app
    booked_on = datetime(2026, 12, 4, 12, 0, tzinfo=CENTRE_ZONE)
    for site, hour, name in ((SITE, 9, NAME), (SITE, 9, "张三"), (SITE, 14, "李四光"),
                             (OTHER_SITE, 10, "王五")):
        slot = datetime(2026, 12, 7, hour, 0, tzinfo=CENTRE_ZONE)
        appointments.book(app.state.engine, booking(slot, name=name), site_id=site, terminal_id="T001",
                          hours=HOURS.of(site), calendar=app.state.work_calendar, cipher=app.state.cipher,
                          known_item=True, now=booked_on)
    yield centre
    running.close()


def test_a_clerk_reads_the_days_appointments_with_masked_names(page: Page, centre: LiveCentre) -> None:
    log_in(page, centre, "clerk", next_path=f"/console/appointments?day={MONDAY}")
    expect(page.get_by_role("heading", name="窗口预约")).to_be_visible()
    expect(page.get_by_text("2026年12月7日，共 4 个预约。")).to_be_visible()
    ours = page.get_by_role("region", name=f"{SITE}（3 个）")
    expect(ours.get_by_role("row")).to_have_count(4)  # the header and three appointments
    first = ours.get_by_role("row", name="Y20261207-0001")
    expect(first).to_contain_text("09:00–09:30")
    expect(first).to_contain_text("欧**丰")
    expect(ours.get_by_role("row", name="Y20261207-0002")).to_contain_text("张*")
    expect(ours.get_by_role("row", name="Y20261207-0003")).to_contain_text("14:00–14:30")
    content = page.content()
    for secret in (NAME, "张三", "李四光", ID_NUMBER):
        assert secret not in content
    assert_accessible(page)
    save_screenshot(page, "appointments-day")

    page.get_by_label("站点", exact=True).select_option(OTHER_SITE)
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_text("共 1 个预约")).to_be_visible()
    expect(page.get_by_role("row", name="Y20261207-0001")).to_contain_text("王*")

    page.get_by_role("link", name="后一天").click()
    expect(page.get_by_text("这一天没有预约。")).to_be_visible()


def test_a_bad_day_shows_today_and_technicians_are_kept_out(page: Page, centre: LiveCentre) -> None:
    log_in(page, centre, "supervisor", next_path="/console/appointments?day=2026-13-45")
    expect(page.get_by_role("alert")).to_contain_text("日期格式应为")
    page.context.clear_cookies()
    log_in(page, centre, "technician", next_path="/console/appointments")
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
