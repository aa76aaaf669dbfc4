"""What the console's browser tests share: a live centre, logging in, the accessibility check
and screenshots.

The browser is Debian's chromium driven by Playwright (``CHROMIUM`` names another binary);
Playwright's own browser download is never used. Screenshots go to ``var/console-screens/``
(``CONSOLE_SCREENSHOT_DIR`` to change it); the ones kept in ``docs/console/`` are copied from
there after being looked at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from central.server import ServerThread, serve_in_thread
from tests.central.centre_support import (
    CLERK_TOKEN,
    ELSEWHERE_CLERK_TOKEN,
    KIOSK_TOKEN,
    OTHER_CLERK_TOKEN,
    OTHER_KIOSK_TOKEN,
    SUPERVISOR_TOKEN,
    TECHNICIAN_TOKEN,
    Api,
    build_app,
)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("CONSOLE_SCREENSHOT_DIR", ROOT / "var" / "console-screens"))

# Staff by role, as the test centre knows them (tests.central.centre_support.build_app).
STAFF_TOKENS = {
    "clerk": CLERK_TOKEN,  # wang, 区民政局
    "other_clerk": OTHER_CLERK_TOKEN,  # li, 区民政局 too
    "elsewhere_clerk": ELSEWHERE_CLERK_TOKEN,  # sun, 区医疗保障局
    "supervisor": SUPERVISOR_TOKEN,  # zhao
    "technician": TECHNICIAN_TOKEN,  # zhou
}
KIOSK_TOKENS = {"T001": KIOSK_TOKEN, "T002": OTHER_KIOSK_TOKEN}


def chromium_path() -> str:
    """The system chromium (``make test`` installs Debian's ``chromium`` package)."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError("no chromium found: install Debian's chromium package (make test does)")
    return found


@dataclass
class LiveCentre:
    """A centre served on 127.0.0.1 for a browser test, with API clients per caller."""

    base_url: str
    running: ServerThread

    def api(self, token: str) -> Api:
        """An API client sending ``token`` (a kiosk's or a member of staff's)."""
        client = Api(self.base_url)
        client.headers["Authorization"] = f"Bearer {token}"
        return client

    def kiosk(self, terminal_id: str = "T001") -> Api:
        return self.api(KIOSK_TOKENS[terminal_id])

    def staff(self, role: str) -> Api:
        return self.api(STAFF_TOKENS[role])

    def stop(self) -> None:
        self.running.stop()


def start_live_centre(database_url: str, **options: Any) -> LiveCentre:
    running = serve_in_thread(build_app(database_url, **options))
    return LiveCentre(running.base_url, running)


def live_centre(database_url: str, **options: Any) -> Iterator[LiveCentre]:
    centre = start_live_centre(database_url, **options)
    try:
        yield centre
    finally:
        centre.stop()


def log_in(page: Page, centre: LiveCentre, role: str, *, next_path: str = "/console/") -> None:
    """Log in through the login page as ``role`` (a key of ``STAFF_TOKENS``)."""
    page.goto(f"{centre.base_url}/console/login?next={next_path}")
    page.get_by_label("工作令牌").fill(STAFF_TOKENS[role])
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def assert_accessible(page: Page) -> int:
    """Run axe-core on the page; fail with each violation named. Returns the rules checked."""
    results = Axe().run(page, options={"resultTypes": ["violations", "passes"]})
    violations = results.response["violations"]
    assert not violations, "accessibility violations on " + page.url + ":\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in violations)
    return len(results.response["passes"])


def save_screenshot(page: Page, name: str) -> Path:
    """A full-page PNG of what the browser shows, to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
