"""A bundle's case page in a real browser: "同一件事：<bundle> 共N件" with links to the other
cases of it that the reader may see; another department's case is counted, never linked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from central.samples import sample_submission
from contract.wire import CaseSubmission
from tests.central.centre_support import DEPARTMENT
from tests.console.console_support import LiveCentre, assert_accessible, live_centre, log_in, save_screenshot

CATALOG = {"demo-site": {
    "items": [{"id": "sample-item", "department": DEPARTMENT}, {"id": "other-item", "department": "区医疗保障局"}],
    "bundles": [{"id": "newborn", "name": "新生儿出生一件事"}],
}}
WELFARE, INSURANCE, WELFARE_TOO = "202611230010001", "202611230010002", "202611230010003"


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[LiveCentre]:
    """A live centre whose catalogue names the bundle and two departments."""
    yield from live_centre(f"sqlite:///{tmp_path / 'centre.db'}", catalog=CATALOG)


def submit_bundle(centre: LiveCentre) -> None:
    items = ("sample-item", "other-item", "sample-item")
    cases = [sample_submission(n + 1, item_id=item) for n, item in enumerate(items)]
    numbers = [case.case_number for case in cases]
    kiosk = centre.kiosk()
    for case in cases:
        linked = CaseSubmission.model_validate({**case.model_dump(), "bundle_id": "newborn", "bundle_cases": numbers})
        answer = kiosk.post("/api/v1/cases", json=linked.model_dump(mode="json"))
        assert answer.status_code == 201, answer.text


def test_a_clerk_sees_the_bundle_and_follows_a_link_to_a_sibling_of_their_department(
        page: Page, centre: LiveCentre) -> None:
    submit_bundle(centre)
    log_in(page, centre, "clerk", next_path=f"/console/cases/{WELFARE}")
    facts = page.get_by_role("region", name="概况")
    bundle = facts.locator("[data-test=bundle]")
    expect(bundle).to_contain_text("同一件事：新生儿出生一件事 共3件")
    expect(bundle).to_contain_text("另有 1 件由其他部门办理或尚未送达")
    expect(bundle.get_by_role("link")).to_have_count(1)
    assert INSURANCE not in bundle.inner_text()  # another department's case is never named
    assert_accessible(page)
    save_screenshot(page, "case-bundle-clerk")

    bundle.get_by_role("link", name=f"办件 {WELFARE_TOO}").click()
    expect(page.get_by_role("heading", name=f"办件 {WELFARE_TOO}")).to_be_visible()
    back = page.get_by_role("region", name="概况").locator("[data-test=bundle]")
    expect(back.get_by_role("link", name=f"办件 {WELFARE}")).to_be_visible()


def test_a_supervisor_sees_every_case_of_the_bundle_linked(page: Page, centre: LiveCentre) -> None:
    submit_bundle(centre)
    log_in(page, centre, "supervisor", next_path=f"/console/cases/{INSURANCE}")
    bundle = page.get_by_role("region", name="概况").locator("[data-test=bundle]")
    expect(bundle).to_contain_text("同一件事：新生儿出生一件事 共3件")
    expect(bundle.get_by_role("link")).to_have_count(2)
    expect(bundle.get_by_role("link", name=f"办件 {WELFARE}")).to_be_visible()
    expect(bundle.get_by_role("link", name=f"办件 {WELFARE_TOO}")).to_be_visible()
    expect(bundle).not_to_contain_text("另有")
    save_screenshot(page, "case-bundle-supervisor")


def test_a_clerk_of_another_department_gets_no_link_to_a_case_they_may_not_see(
        page: Page, centre: LiveCentre) -> None:
    submit_bundle(centre)
    log_in(page, centre, "elsewhere_clerk", next_path=f"/console/cases/{INSURANCE}")
    bundle = page.get_by_role("region", name="概况").locator("[data-test=bundle]")
    expect(bundle).to_contain_text("共3件")
    expect(bundle).to_contain_text("另有 2 件由其他部门办理或尚未送达")
    expect(bundle.get_by_role("link")).to_have_count(0)
    for number in (WELFARE, WELFARE_TOO):
        assert number not in page.content()
