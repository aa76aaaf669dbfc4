"""Who may see and command which kiosks on the fleet pages, and hostile page addresses: a
technician of one site sees only its kiosks (another's is a 404 page, its commands and
uploads too), clerks are refused, odd query values give a page, never a 422 or a 500."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from central import remote_commands
from central.auth import Clerk, Role
from central.fleet_rows import RemoteCommandRow
from central.server import ServerThread, create_app, serve_in_thread

NORTH_TECH = "fleet-tech-north-0123456789"
CLERK = "fleet-clerk-wang-0123456789"
KIOSKS = {"fleet-kiosk-north-0123456789": {"terminal_id": "N1", "terminal_number": 1},
          "fleet-kiosk-south-0123456789": {"terminal_id": "S1", "terminal_number": 2}}


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[ServerThread]:
    app = create_app(f"sqlite:///{tmp_path / 'c.db'}", KIOSKS, clerk_tokens={
        NORTH_TECH: {"name": "li", "role": "technician", "sites": ["north"]},
        CLERK: {"name": "wang", "department": "区民政局"}}, console_key=b"k" * 32)
    running = serve_in_thread(app)
    for token, who in KIOSKS.items():
        site = "north" if who["terminal_id"] == "N1" else "south"
        answer = requests.post(f"{running.base_url}/api/v1/heartbeats", timeout=10, json={
            "terminal_id": who["terminal_id"], "site_id": site,
            "sent_at": datetime.now(UTC).isoformat(), "software_version": "1", "outbox_depth": 0,
        }, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
    app.state.beats.flush()
    yield running
    running.stop()


def browser(centre: ServerThread, token: str) -> requests.Session:
    """A logged-in session, as a browser holds it (cookie and the page's CSRF token)."""
    session = requests.Session()
    session.trust_env = False
    answer = session.post(f"{centre.base_url}/console/login", data={"token": token}, timeout=10)
    assert answer.status_code == 200, answer.text
    return session


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_a_technician_sees_and_commands_only_their_sites_kiosks(centre: ServerThread) -> None:
    tech = browser(centre, NORTH_TECH)
    fleet = tech.get(f"{centre.base_url}/console/fleet", timeout=10)
    assert fleet.status_code == 200 and ">N1</a>" in fleet.text and ">S1</a>" not in fleet.text
    assert tech.get(f"{centre.base_url}/console/fleet/kiosks/S1", timeout=10).status_code == 404
    token = csrf(fleet.text)
    refused = tech.post(f"{centre.base_url}/console/fleet/kiosks/S1/commands",
                        data={"csrf": token, "kind": "restart_app"}, timeout=10)
    assert refused.status_code == 404
    theirs = remote_commands.issue(centre.app.state.engine, "S1",
                                   remote_commands.RemoteCommandKind.SCREENSHOT,
                                   by=Clerk("zhou", Role.TECHNICIAN))
    assert tech.get(f"{centre.base_url}/console/fleet/uploads/{theirs}", timeout=10
                    ).status_code == 404
    done = tech.post(f"{centre.base_url}/console/fleet/kiosks/N1/commands",
                     data={"csrf": token, "kind": "restart_app"}, timeout=10)
    assert done.status_code == 200 and "已排队" in done.text
    with Session(centre.app.state.engine) as session:
        issued = session.scalars(select(RemoteCommandRow.terminal_id)).all()
    assert sorted(issued) == ["N1", "S1"]  # S1's only from the test itself


def test_forms_need_the_session_token_and_clerks_are_refused(centre: ServerThread) -> None:
    tech = browser(centre, NORTH_TECH)
    forged = tech.post(f"{centre.base_url}/console/fleet/kiosks/N1/commands",
                       data={"kind": "restart_app"}, timeout=10)
    assert forged.status_code == 403
    unknown = tech.post(f"{centre.base_url}/console/fleet/kiosks/N1/commands",
                        data={"csrf": csrf(tech.get(f"{centre.base_url}/console/fleet",
                                                    timeout=10).text), "kind": "format_disk"},
                        timeout=10)
    assert unknown.status_code == 422 and "请选择一个指令" in unknown.text
    clerk = browser(centre, CLERK)
    assert clerk.get(f"{centre.base_url}/console/fleet", timeout=10).status_code == 403


@pytest.mark.parametrize("path", [
    "/console/fleet?page=abc", "/console/fleet?page=%C2%B2", "/console/fleet?page=99999999",
    "/console/fleet?page=0", "/console/fleet?colour=purple", "/console/fleet?site=%3Cscript%3E",
    "/console/fleet/kiosks/" + "x" * 300, "/console/fleet/kiosks/N1?issued=-1",
    "/console/fleet/kiosks/N1?issued=%EF%BC%91", "/console/fleet/uploads/abc",
    "/console/fleet/uploads/99999999999999999999999",
])
def test_odd_addresses_give_a_page_in_words(centre: ServerThread, path: str) -> None:
    answer = browser(centre, NORTH_TECH).get(f"{centre.base_url}{path}", timeout=10)
    assert answer.status_code in (200, 404), answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert "<script>" not in answer.text
