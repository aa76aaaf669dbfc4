"""The machine's health on the console's fleet pages, in a real browser: a running kiosk (the
real ``Terminal`` beating to this centre) shows its disk, memory, load and temperature; a
kiosk whose disk is nearly full is yellow and its row says so."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from central.fleet_board import kiosk
from kiosk.cli.embedded_centre import centre_connector
from kiosk.machine_health import read_temperature
from kiosk.terminal import Terminal
from tests.central.centre_support import KIOSK_TOKEN
from tests.console.console_support import LiveCentre, assert_accessible, log_in
from tests.console.test_fleet_pages import beat, engine, row
from tests.kiosk.kiosk_support import MakeConfig
from tests.support.waiting import wait_for


@pytest.fixture
def running_kiosk(centre: LiveCentre, kiosk_config: MakeConfig) -> Iterator[Terminal]:
    """The real terminal on simulated devices, beating to ``centre`` as T001 every second."""
    config = dataclasses.replace(kiosk_config(centre_url=centre.base_url, centre_token=KIOSK_TOKEN),
                                 terminal_id="T001", terminal_number=1)
    terminal = Terminal(config, clock=time.monotonic, centre=centre_connector(config))
    terminal.heartbeat_interval = 1  # seconds, for the real 30
    terminal.start()
    try:
        yield terminal
    finally:
        terminal.stop()


def test_a_running_kiosk_s_machine_is_on_its_page(page: Page, centre: LiveCentre,
                                                  running_kiosk: Terminal) -> None:
    def reported() -> bool:
        tile = kiosk(engine(centre), "T001", datetime.now(UTC))
        return tile is not None and tile.machine is not None
    wait_for(reported, 15)
    log_in(page, centre, "technician", next_path="/console/fleet/kiosks/T001")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("磁盘剩 ")
    expect(facts).to_contain_text("内存可用 ")
    expect(facts).to_contain_text("程序占用内存")
    expect(facts).to_contain_text("负载")
    temperature = read_temperature()  # None on a VM: the page says the board does not report one
    expect(facts).to_contain_text("温度主板未报告" if temperature is None else f"温度{temperature:.1f} °C")
    assert_accessible(page)


def test_a_nearly_full_disk_shows_yellow_with_its_reason(page: Page, centre: LiveCentre) -> None:
    gb = 1024**3
    beat(centre, "T001", machine={"disk_free_bytes": 20 * gb, "disk_total_bytes": 32 * gb})
    beat(centre, "T002", machine={"disk_free_bytes": 300 * 1024**2, "disk_total_bytes": 32 * gb})
    log_in(page, centre, "technician", next_path="/console/fleet")
    t001, t002 = row(page, "T001"), row(page, "T002")
    expect(t001).to_contain_text("正常")
    expect(t001).to_contain_text("磁盘剩 20.0 GB / 共 32.0 GB")
    expect(t002).to_contain_text("需处理")
    expect(t002).to_contain_text("磁盘空间不足：剩 300 MB（共 32.0 GB）")
    page.get_by_role("link", name="T002", exact=True).click()
    expect(page.locator("ul.reasons")).to_contain_text("磁盘空间不足")
    expect(page.locator("dl.facts")).to_contain_text("磁盘剩 300 MB / 共 32.0 GB")
    assert_accessible(page)
