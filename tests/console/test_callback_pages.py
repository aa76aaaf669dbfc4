"""The call-back page (回电) in a browser: a clerk sees the night's requests with masked
numbers, opens one to call it, marks it done; a technician is kept out."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.console.console_support import LiveCentre, assert_accessible, live_centre, log_in, save_screenshot
from tests.support import wait_for

PHONE = "13812345678"
SITE_NAME = "江北新区浦珠社区便民服务中心"


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[LiveCentre]:
    """A live centre holding one call-back request from T001 (its site known from a heartbeat)."""
    running = live_centre(f"sqlite:///{tmp_path / 'centre.db'}")
    centre = next(running)
    kiosk = centre.kiosk()
    beat = {"terminal_id": "T001", "site_id": "demo-site", "sent_at": datetime.now(UTC).isoformat(),
            "software_version": "0.1.0", "paper": "ok", "outbox_depth": 0}
    assert kiosk.post("/api/v1/heartbeats", json=beat).status_code == 200
    request = {"idempotency_key": uuid.uuid4().hex, "phone": PHONE, "consent": True, "site_name": SITE_NAME,
               "requested_at": datetime.now(UTC).isoformat()}
    wait_for(lambda: kiosk.post("/api/v1/kiosk/callbacks", json=request).status_code in (200, 201), 10)
    yield centre
    running.close()


def test_a_clerk_calls_back_and_marks_it_done(page: Page, centre: LiveCentre) -> None:
    log_in(page, centre, "clerk", next_path="/console/callbacks")
    expect(page.get_by_role("heading", name="回电请求")).to_be_visible()
    row = page.get_by_role("row", name="1")
    expect(row).to_contain_text("138****5678")
    expect(row).to_contain_text(SITE_NAME)
    assert PHONE not in page.content()
    assert_accessible(page)
    save_screenshot(page, "callbacks-open")

    row.get_by_role("link", name="查看号码").click()
    expect(page.get_by_text(PHONE)).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "callback-one")
    page.get_by_role("button", name="已回电").click()
    expect(page.get_by_text("没有待回电的请求。")).to_be_visible()
    page.get_by_role("link", name="已回电").click()
    expect(page.get_by_role("row", name="1")).to_contain_text("138****5678")
    assert_accessible(page)


def test_a_technician_is_kept_out(page: Page, centre: LiveCentre) -> None:
    log_in(page, centre, "technician", next_path="/console/callbacks")
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    assert PHONE not in page.content() and "138****5678" not in page.content()
