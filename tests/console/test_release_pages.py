"""The releases page (版本) in a browser: a technician uploads a signed bundle, starts a pilot
rollout to one kiosk, sees it counted as offered, pauses it; a forged bundle is refused in
plain words; supervisors only look, clerks are kept out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from playwright.sync_api import Page, expect

from kiosk.delivery.outbox_format import SCHEMA_VERSION
from kiosk.updates.bundle import make_bundle
from tests.console.console_support import LiveCentre, assert_accessible, live_centre, log_in, save_screenshot
from tests.kiosk.updates_support import fake_wheel

KEY = Ed25519PrivateKey.generate()


def bundle(tmp_path: Path, key: Ed25519PrivateKey, version: str = "0.2.0") -> Path:
    out = tmp_path / f"gov-kiosk-{version}.bundle"
    make_bundle([fake_wheel(tmp_path / f"wheels-{version}", version)], key, out,
                outbox_schema=SCHEMA_VERSION, now=datetime.now(UTC))
    return out


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[LiveCentre]:
    """A live centre that trusts ``KEY`` for releases."""
    yield from live_centre(f"sqlite:///{tmp_path / 'centre.db'}", release_keys=[KEY.public_key()],
                           release_dir=tmp_path / "releases")


def beat(centre: LiveCentre, terminal: str, version: str = "0.1.0") -> None:
    body = {"terminal_id": terminal, "site_id": "demo-site", "sent_at": datetime.now(UTC).isoformat(),
            "software_version": version, "outbox_depth": 0}
    assert centre.kiosk(terminal).post("/api/v1/heartbeats", json=body).status_code == 200
    centre.running.app.state.beats.flush()


def test_upload_a_bundle_and_roll_it_out_to_a_pilot(page: Page, centre: LiveCentre, tmp_path: Path) -> None:
    beat(centre, "T001")
    beat(centre, "T002")
    log_in(page, centre, "technician", next_path="/console/releases")
    expect(page.get_by_role("heading", name="版本", exact=True)).to_be_visible()

    page.get_by_label("已签名的更新包").set_input_files(str(bundle(tmp_path / "forged", Ed25519PrivateKey.generate())))
    page.get_by_role("button", name="上传并验证签名").click()
    expect(page.get_by_role("alert")).to_contain_text("更新包未通过签名验证，未保存")

    page.get_by_label("已签名的更新包").set_input_files(str(bundle(tmp_path, KEY)))
    page.get_by_role("button", name="上传并验证签名").click()
    expect(page.get_by_role("status")).to_contain_text("更新包已验证并保存：版本 0.2.0")

    page.get_by_label("终端编号或站点编号").fill("T001")
    page.get_by_role("button", name="开始推送").click()
    expect(page.get_by_role("status")).to_contain_text("已开始推送版本 0.2.0")
    row = page.get_by_role("row", name="0.2.0")
    expect(row.locator("td.offered")).to_have_text("1 台")  # T001 only: T002 is not in the pilot
    expect(row).to_contain_text("#1 指定终端（试点）：T001 — 推送中")
    assert_accessible(page)
    save_screenshot(page, "releases-pilot")

    page.get_by_role("button", name="暂停 #1").click()
    expect(row).to_contain_text("已暂停")
    expect(row.locator("td.offered")).to_have_text("0 台")


def test_a_rollout_without_targets_is_asked_for_in_words(page: Page, centre: LiveCentre, tmp_path: Path) -> None:
    log_in(page, centre, "technician", next_path="/console/releases")
    page.get_by_label("已签名的更新包").set_input_files(str(bundle(tmp_path, KEY)))
    page.get_by_role("button", name="上传并验证签名").click()
    page.get_by_role("button", name="开始推送").click()
    expect(page.get_by_role("alert")).to_contain_text("请填写终端编号（试点）或站点编号")


def test_supervisors_only_look_and_clerks_are_kept_out(page: Page, centre: LiveCentre) -> None:
    log_in(page, centre, "supervisor", next_path="/console/releases")
    expect(page.get_by_role("heading", name="版本", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="开始推送")).to_have_count(0)
    page.context.clear_cookies()
    log_in(page, centre, "clerk", next_path="/console/releases")
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()


def test_the_releases_page_on_a_phone(phone_page: Page, centre: LiveCentre, tmp_path: Path) -> None:
    beat(centre, "T001")
    log_in(phone_page, centre, "technician", next_path="/console/releases")
    phone_page.get_by_label("已签名的更新包").set_input_files(str(bundle(tmp_path, KEY)))
    phone_page.get_by_role("button", name="上传并验证签名").click()
    phone_page.get_by_label("全部终端").check()
    phone_page.get_by_role("button", name="开始推送").click()
    expect(phone_page.get_by_role("status")).to_contain_text("已开始推送版本 0.2.0")
    assert_accessible(phone_page)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    save_screenshot(phone_page, "releases-phone")
