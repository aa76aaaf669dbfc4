"""The console's front door, in a real browser: login, roles, logout, and the guards."""

from __future__ import annotations

import requests
from playwright.sync_api import Page, expect

from tests.console.console_support import (
    STAFF_TOKENS,
    LiveCentre,
    assert_accessible,
    log_in,
    save_screenshot,
)


def test_a_page_without_a_session_leads_to_the_login_page_and_back(page: Page,
                                                                    centre: LiveCentre) -> None:
    page.goto(f"{centre.base_url}/console/")
    expect(page).to_have_url(f"{centre.base_url}/console/login?next=/console/")
    expect(page.get_by_role("heading", name="登录控制台")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "login")
    log_in(page, centre, "supervisor")
    expect(page.get_by_text("zhao（主管）")).to_be_visible()
    assert_accessible(page)


def test_a_wrong_token_says_so_and_keeps_the_browser_out(page: Page, centre: LiveCentre) -> None:
    page.goto(f"{centre.base_url}/console/login")
    page.get_by_label("工作令牌").fill("not-a-token-at-all-000")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("令牌无效")
    save_screenshot(page, "login-wrong-token")
    page.goto(f"{centre.base_url}/console/")
    expect(page.get_by_role("heading", name="登录控制台")).to_be_visible()


def test_a_kiosk_token_does_not_open_the_console(page: Page, centre: LiveCentre) -> None:
    page.goto(f"{centre.base_url}/console/login")
    page.get_by_label("工作令牌").fill(centre.kiosk().headers["Authorization"].split()[1])
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("令牌无效")


def test_logging_out_ends_the_session(page: Page, centre: LiveCentre) -> None:
    log_in(page, centre, "supervisor")
    cookie = next(c for c in page.context.cookies() if c["name"] == "console_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert STAFF_TOKENS["supervisor"] not in cookie["value"]  # the token never sits in the browser
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", name="登录控制台")).to_be_visible()
    page.goto(f"{centre.base_url}/console/")
    expect(page.get_by_role("heading", name="登录控制台")).to_be_visible()


def test_a_post_without_the_session_csrf_token_is_refused(page: Page, centre: LiveCentre) -> None:
    log_in(page, centre, "supervisor")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    answer = requests.post(f"{centre.base_url}/console/logout", cookies=cookies,
                           data={"csrf": "forged"}, allow_redirects=False, timeout=10)
    assert answer.status_code == 403
    assert "表单已过期" in answer.text
    # and a post from another site's page, even with the token, is refused
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    answer = requests.post(f"{centre.base_url}/console/logout", cookies=cookies,
                           data={"csrf": csrf}, headers={"Origin": "https://evil.example"},
                           allow_redirects=False, timeout=10)
    assert answer.status_code == 403


def test_console_pages_carry_security_headers(centre: LiveCentre) -> None:
    answer = requests.get(f"{centre.base_url}/console/login", timeout=10)
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_login_after_next_goes_only_to_console_pages(page: Page, centre: LiveCentre) -> None:
    page.goto(f"{centre.base_url}/console/login?next=//evil.example/")
    page.get_by_label("工作令牌").fill(STAFF_TOKENS["supervisor"])
    page.get_by_role("button", name="登录").click()
    assert page.url.startswith(centre.base_url + "/console/")


def test_the_login_page_works_on_a_phone(phone_page: Page, centre: LiveCentre) -> None:
    phone_page.goto(f"{centre.base_url}/console/login")
    button = phone_page.get_by_role("button", name="登录")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 390
    assert_accessible(phone_page)
    save_screenshot(phone_page, "login-phone")
