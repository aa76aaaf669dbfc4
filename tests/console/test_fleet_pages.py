"""The fleet pages in a real browser: a technician sees every kiosk with its colour and why,
watches one go red when its beats stop, and sends commands that a running kiosk (the real
``Terminal`` on simulated devices, beating to this centre) carries out."""

from __future__ import annotations

import dataclasses
import io
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import Engine, insert, update

from central.alerts import PAGE_EVALUATES_EVERY_S
from central.db import KioskRow
from central.fleet_board import kiosk
from central.fleet_rows import DeviceEventRow, KioskBeatRow
from kiosk.cli.embedded_centre import centre_connector
from kiosk.terminal import Terminal
from tests.central.centre_support import KIOSK_TOKEN
from tests.console.console_support import LiveCentre, assert_accessible, log_in, save_screenshot
from tests.kiosk.kiosk_support import MakeConfig
from tests.support.waiting import wait_for


def beat(centre: LiveCentre, terminal: str = "T001", **changes: object) -> None:
    body: dict[str, object] = {
        "terminal_id": terminal, "site_id": "demo-site", "sent_at": datetime.now(UTC).isoformat(),
        "software_version": "1.4.2", "catalog_version": "2026.11",
        "devices": {"printer": "online", "id_card": "online", "qr": "online"},
        "paper": "ok", "outbox_depth": 0,
    }
    body.update(changes)
    answer = centre.kiosk(terminal).post("/api/v1/heartbeats", json=body)
    assert answer.status_code == 200, answer.text
    centre.running.app.state.beats.flush()


def engine(centre: LiveCentre) -> Engine:
    found: Engine = centre.running.app.state.engine
    return found


def silence(centre: LiveCentre, terminal: str, minutes: float) -> None:
    """As if ``terminal`` had not beaten for ``minutes``: its last beat, and the history
    written with it, moved back."""
    back = timedelta(minutes=minutes)
    with engine(centre).begin() as conn:
        conn.execute(update(KioskRow).where(KioskRow.terminal_id == terminal).values(
            received_at=datetime.now(UTC) - back))
        for table in (KioskBeatRow, DeviceEventRow):  # (a second old, in this test)
            conn.execute(update(table).where(table.terminal_id == terminal).values(
                at=datetime.now(UTC) - back))


def paper_out(centre: LiveCentre, terminal: str = "T002") -> None:
    now = datetime.now(UTC).isoformat()
    beat(centre, terminal, devices={"printer": "hardware_error", "id_card": "online"},
         faults={"printer": {"code": "paper_out", "message": "打印机缺纸：请更换纸卷",
                             "since": now}},
         paper="out", paper_left_estimate=0, outbox_depth=2, oldest_unsent_age_s=120.0)


def row(page: Page, terminal: str) -> Locator:
    return page.locator("table.fleet tr", has=page.get_by_role("link", name=terminal, exact=True))


def test_a_kiosk_goes_red_when_its_beats_stop_and_the_row_says_why(page: Page,
                                                                    centre: LiveCentre) -> None:
    beat(centre, "T001")
    paper_out(centre)
    log_in(page, centre, "technician", next_path="/console/fleet")
    expect(page.get_by_role("heading", name="设备")).to_be_visible()
    t001, t002 = row(page, "T001"), row(page, "T002")
    expect(t001).to_contain_text("正常")
    expect(t002).to_contain_text("需处理")
    expect(t002).to_contain_text("打印机：打印机缺纸：请更换纸卷")
    assert_accessible(page)
    save_screenshot(page, "fleet")

    silence(centre, "T001", minutes=14)  # its beats stopped 14 minutes ago
    time.sleep(PAGE_EVALUATES_EVERY_S)  # a page load evaluates alerts at most this often
    page.reload()
    # Why it is red, on the row itself: no click needed.
    expect(t001).to_contain_text("离线")
    expect(t001).to_contain_text("失联 14 分钟")
    expect(page.locator("ul.alerts")).to_contain_text("T001 终端失联")
    assert page.locator("table.fleet tbody tr").first.get_by_role("link").inner_text() == "T001"
    assert_accessible(page)
    save_screenshot(page, "fleet-red")

    page.get_by_role("link", name="T001", exact=True).first.click()  # one click: the kiosk
    expect(page.get_by_role("heading", name="终端 T001 离线")).to_be_visible()
    expect(page.locator("ul.reasons")).to_contain_text("失联 14 分钟")
    assert_accessible(page)
    save_screenshot(page, "fleet-kiosk-red")

    beat(centre, "T001")  # it beats again
    time.sleep(PAGE_EVALUATES_EVERY_S)
    page.goto(f"{centre.base_url}/console/fleet")
    expect(t001).to_contain_text("正常")
    expect(page.locator("ul.alerts")).to_have_count(0)


def test_filters_and_pages(page: Page, centre: LiveCentre) -> None:
    with engine(centre).begin() as conn:  # 120 kiosks at two sites, one of them silent
        now = datetime.now(UTC)
        conn.execute(insert(KioskRow), [{
            "terminal_id": f"K{n:04d}", "site_id": "north" if n % 2 else "south",
            "received_at": now - timedelta(minutes=10 if n == 77 else 0),
            "software_version": "1", "catalog_version": "", "outbox_depth": 0,
            "oldest_unsent_age_s": None, "paper": "ok", "devices": "{}", "faults": "{}",
            "in_service": True, "service_reason": "", "paper_left_estimate": None,
            "degraded": False, "sampled_at": None} for n in range(120)])
    log_in(page, centre, "technician", next_path="/console/fleet")
    expect(page.locator("table.fleet caption")).to_contain_text("第 1 / 3 页，共 120 台")
    expect(page.locator("table.fleet tbody tr").first).to_contain_text("K0077")  # red first
    page.get_by_role("link", name="下一页").click()
    expect(page.locator("table.fleet caption")).to_contain_text("第 2 / 3 页")
    page.get_by_label("站点").select_option("north")
    page.get_by_label("状态").select_option("red")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.fleet tbody tr")).to_have_count(1)
    expect(page.locator("table.fleet tbody tr")).to_contain_text("K0077")
    page.get_by_label("站点").select_option("south")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_text("没有符合条件的终端。")).to_be_visible()
    assert_accessible(page)


def test_clerks_are_kept_out_and_supervisors_only_look(page: Page, centre: LiveCentre) -> None:
    beat(centre, "T001")
    log_in(page, centre, "clerk", next_path="/console/fleet")
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    page.context.clear_cookies()
    log_in(page, centre, "supervisor", next_path="/console/fleet/kiosks/T001")
    expect(page.get_by_role("heading", name="终端 T001 正常")).to_be_visible()
    expect(page.get_by_text("只有运维人员可以发送指令。")).to_be_visible()
    expect(page.get_by_role("button", name="截屏")).to_have_count(0)
    page.goto(f"{centre.base_url}/console/fleet/kiosks/NOPE")
    expect(page.get_by_role("heading", name="没有这台终端")).to_be_visible()


def test_the_fleet_on_a_phone(phone_page: Page, centre: LiveCentre) -> None:
    beat(centre, "T001")
    paper_out(centre)
    silence(centre, "T001", minutes=3)
    log_in(phone_page, centre, "technician", next_path="/console/fleet")
    expect(phone_page.get_by_text("失联 3 分钟")).to_be_visible()
    assert_accessible(phone_page)
    save_screenshot(phone_page, "fleet-phone")


def attract_png() -> bytes:
    """What the kiosk app's screenshot hook returns: a PNG of its screen (here drawn by hand:
    no Kivy window in this test)."""
    image = Image.new("RGB", (540, 960), (244, 246, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 540, 90), fill=(31, 78, 156))
    draw.text((24, 30), "T001 attract screen", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def running_kiosk(centre: LiveCentre, kiosk_config: MakeConfig) -> Iterator[Terminal]:
    """The real terminal on simulated devices, beating to ``centre`` as T001 every second."""
    config = dataclasses.replace(kiosk_config(centre_url=centre.base_url, centre_token=KIOSK_TOKEN),
                                 terminal_id="T001", terminal_number=1)
    terminal = Terminal(config, clock=time.monotonic, centre=centre_connector(config))
    terminal.heartbeat_interval = 1  # seconds, for the real 30
    terminal.screenshot = attract_png
    terminal.start()
    try:
        yield terminal
    finally:
        terminal.stop()


def until_page_shows(page: Page, terminal: Terminal, check: Callable[[], bool],
                     timeout: float = 20.0) -> None:
    """Let the terminal run (its events pumped, as its UI clock does) and reload the page
    until ``check`` holds."""
    def holds() -> bool:
        terminal.pump()
        terminal.tick()
        page.wait_for_load_state()  # a reload in the middle of a form's navigation is refused
        page.reload()
        return check()
    wait_for(holds, timeout)


def test_a_remote_command_reaches_a_running_kiosk(page: Page, centre: LiveCentre,
                                                  running_kiosk: Terminal) -> None:
    terminal = running_kiosk
    wait_for(lambda: kiosk(engine(centre), "T001", datetime.now(UTC)) is not None, 10)  # it beats
    log_in(page, centre, "technician", next_path="/console/fleet/kiosks/T001")
    expect(page.get_by_role("heading", name="终端 T001")).to_be_visible()

    page.get_by_role("button", name="截屏").click()
    expect(page.get_by_role("status")).to_contain_text("已排队")
    commands = page.locator("section", has=page.get_by_role("heading", name="远程指令"))
    until_page_shows(page, terminal, lambda: page.locator("img.screenshot").count() == 1
                     and "已完成" in commands.inner_text())
    size = page.locator("img.screenshot").evaluate("img => img.naturalWidth")
    assert size == 540  # the kiosk's PNG, shown inline

    page.get_by_label("暂停服务的原因（终端屏幕会显示）").fill("更换打印机")
    page.get_by_role("button", name="暂停服务").click()
    expect(page.get_by_role("status")).to_contain_text("#2 已排队")  # the post has landed
    until_page_shows(page, terminal,
                     lambda: "暂停服务：更换打印机" in page.locator("dl.facts").inner_text())
    assert not terminal.records.service.in_service
    expect(page.locator("h1")).to_contain_text("需处理")
    expect(page.get_by_role("heading", name="中心操作记录")).to_be_visible()
    expect(page.locator("section", has=page.get_by_role("heading", name="中心操作记录"))
           ).to_contain_text("zhou（运维人员）发出指令：暂停服务 #2 更换打印机")
    kiosk_log = page.locator("section", has=page.get_by_role("heading", name="终端操作日志"))
    until_page_shows(page, terminal, lambda: "centre:zhou" in kiosk_log.inner_text())
    expect(kiosk_log).to_contain_text("service.out")
    assert_accessible(page)
    save_screenshot(page, "fleet-kiosk-commands")

    page.get_by_role("button", name="恢复服务").click()
    expect(page.get_by_role("status")).to_contain_text("#3 已排队")
    until_page_shows(page, terminal, lambda: "服务中" in page.locator("dl.facts").inner_text())


def test_a_missing_reason_is_asked_for_in_words(page: Page, centre: LiveCentre) -> None:
    beat(centre, "T001")
    log_in(page, centre, "technician", next_path="/console/fleet/kiosks/T001")
    page.get_by_role("button", name="暂停服务").click()
    expect(page.get_by_role("alert")).to_contain_text("暂停服务需要填写原因")
    assert_accessible(page)
