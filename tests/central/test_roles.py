"""Who may do what: case numbers belong to their terminal, clerks see their department's
cases, claims are released, reassigned and expire, and every read of personal data is recorded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from centre_support import (
    CLERK,
    ELSEWHERE_CLERK,
    KIOSK,
    OTHER_CLERK,
    OTHER_KIOSK,
    SUPERVISOR,
    Api,
    build_app,
)

from central.auth import TokenFileError, clerk_identities, kiosk_identities
from central.routes_kiosk import REFUSED
from central.samples import sample_submission
from central.server import serve_in_thread

CLAIM = "/api/v1/clerk/cases/claim"
ROOT = Path(__file__).resolve().parents[2]


def case(sequence: int, *, terminal: int = 1, item_id: str = "sample-item") -> dict[str, object]:
    return sample_submission(sequence, terminal=terminal, item_id=item_id).model_dump(mode="json")


def test_a_kiosk_cannot_take_another_terminals_case_number(client: Api) -> None:
    # T002's token, its own terminal id, but terminal 1's number: refused, and T001's own
    # case with that number is then stored as usual.
    stolen = {**case(1), "terminal_id": "T002"}
    answer = client.post("/api/v1/cases", json=stolen, headers=OTHER_KIOSK)
    assert answer.status_code == 403
    assert answer.json() == {"detail": REFUSED}
    assert client.post("/api/v1/cases", json=case(1), headers=KIOSK).status_code == 201


def test_every_refusal_for_another_terminal_looks_the_same(client: Api) -> None:
    assert client.post("/api/v1/cases", json=case(1), headers=KIOSK).status_code == 201
    beat = {"terminal_id": "T001", "site_id": "demo-site", "sent_at": datetime.now(UTC).isoformat(),
            "software_version": "0.1.0", "paper": "ok", "outbox_depth": 0}
    refusals = [
        client.post("/api/v1/cases", json=case(1, terminal=2) | {"terminal_id": "T001"},
                    headers=KIOSK),  # its own terminal id, another terminal's number
        client.post("/api/v1/cases", json=case(2), headers=OTHER_KIOSK),
        client.post("/api/v1/cases/202611230010001/rating", json={"level": "satisfied"},
                    headers=OTHER_KIOSK),
        client.post("/api/v1/heartbeats", json=beat, headers=OTHER_KIOSK),
    ]
    assert [(r.status_code, r.json()) for r in refusals] == [(403, {"detail": REFUSED})] * 4


def test_the_centre_tells_a_terminal_its_last_case_number_of_the_day(client: Api) -> None:
    url = "/api/v1/terminals/self/last-case-number"
    for n in (1, 2, 7):
        assert client.post("/api/v1/cases", json=case(n), headers=KIOSK).status_code == 201
    assert client.post("/api/v1/cases", json=case(9, terminal=2),
                       headers=OTHER_KIOSK).status_code == 201
    assert client.get(url, params={"day": "20261123"}, headers=KIOSK).json() == {
        "day": "20261123", "case_number": "202611230010007"}
    assert client.get(url, params={"day": "20261123"}, headers=OTHER_KIOSK).json() == {
        "day": "20261123", "case_number": "202611230020009"}
    assert client.get(url, params={"day": "20261124"}, headers=KIOSK).json()[
        "case_number"] is None
    assert client.get(url, params={"day": "2026-11-23"}, headers=KIOSK).status_code == 422


@pytest.fixture
def two_departments(database_url: str) -> Iterator[Api]:
    catalog = {"demo-site": {"items": [{"id": "sample-item", "department": "区民政局"},
                                       {"id": "medical", "department": "区医疗保障局"},
                                       {"id": "orphan"}]}}
    running = serve_in_thread(build_app(database_url, catalog=catalog))
    with Api(running.base_url) as api:
        yield api
    running.stop()


def test_clerks_see_and_claim_only_their_departments_cases(two_departments: Api) -> None:
    api = two_departments
    for n, item in ((1, "orphan"), (2, "medical"), (3, "sample-item")):
        assert api.post("/api/v1/cases", json=case(n, item_id=item), headers=KIOSK
                        ).status_code == 201
    assert api.post(CLAIM, headers=CLERK).json()["case_number"] == "202611230010003"
    assert api.post(CLAIM, headers=CLERK).status_code == 204
    assert api.post(CLAIM, headers=ELSEWHERE_CLERK).json()["case_number"] == "202611230010002"
    # The case with no department is the supervisor's alone.
    assert api.get("/api/v1/clerk/cases/202611230010001/history", headers=CLERK
                   ).status_code == 404
    assert api.get("/api/v1/clerk/cases/202611230010002/history", headers=CLERK
                   ).status_code == 404
    assert api.post(CLAIM, headers=SUPERVISOR).json()["case_number"] == "202611230010001"


def test_a_claim_is_released_by_its_holder_and_reassigned_by_a_supervisor(client: Api) -> None:
    assert client.post("/api/v1/cases", json=case(1), headers=KIOSK).status_code == 201
    number = client.post(CLAIM, headers=CLERK).json()["case_number"]
    release = f"/api/v1/clerk/cases/{number}/release"
    assert client.post(release, headers=OTHER_CLERK).status_code == 409
    assert client.post(release, headers=CLERK).json()["status"] == "received"
    assert client.post(CLAIM, headers=OTHER_CLERK).json()["claimed_by"] == "li"
    reassign = f"/api/v1/clerk/cases/{number}/reassign"
    assert client.post(reassign, json={"clerk": "wang"}, headers=CLERK).status_code == 403
    assert client.post(reassign, json={"clerk": "sun"}, headers=SUPERVISOR).status_code == 409
    assert client.post(reassign, json={"clerk": "nobody"}, headers=SUPERVISOR
                       ).status_code == 422
    assert client.post(reassign, json={"clerk": "wang"}, headers=SUPERVISOR).status_code == 200
    moved = client.post(f"/api/v1/clerk/cases/{number}/transitions",
                        json={"status": "accepted"}, headers=CLERK)
    assert moved.status_code == 200
    history = client.get(f"/api/v1/clerk/cases/{number}/history", headers=CLERK).json()
    assert [(e["status"], e["actor"]) for e in history["events"]] == [
        ("received", "T001"), ("claimed", "wang"), ("received", "wang"), ("claimed", "li"),
        ("claimed", "zhao"), ("accepted", "wang")]


def test_an_expired_claim_can_be_claimed_by_another_clerk(database_url: str) -> None:
    running = serve_in_thread(build_app(database_url, claim_minutes=0.001))  # 60 ms
    try:
        with Api(running.base_url) as api:
            assert api.post("/api/v1/cases", json=case(1), headers=KIOSK).status_code == 201
            first = api.post(CLAIM, headers=CLERK).json()
            assert first["claimed_by"] == "wang" and first["claim_expires_at"]
            for _ in range(100):  # expires in 60 ms; allow a slow machine a while
                second = api.post(CLAIM, headers=OTHER_CLERK)
                if second.status_code == 200:
                    break
            assert second.json()["claimed_by"] == "li"
            moved = api.post("/api/v1/clerk/cases/202611230010001/transitions",
                             json={"status": "accepted"}, headers=CLERK)
            assert moved.status_code == 409  # wang's claim has passed to li
    finally:
        running.stop()


def test_every_read_of_personal_data_is_recorded_for_supervisors(client: Api) -> None:
    assert client.post("/api/v1/cases", json=case(1), headers=KIOSK).status_code == 201
    number = client.post(CLAIM, headers=CLERK).json()["case_number"]
    client.post(f"/api/v1/clerk/cases/{number}/release", headers=CLERK)
    client.post(CLAIM, headers=SUPERVISOR)
    reads = f"/api/v1/clerk/cases/{number}/reads"
    assert client.get(reads, headers=CLERK).status_code == 403
    listed = client.get(reads, headers=SUPERVISOR).json()
    assert listed["case_number"] == number
    assert [(r["reader"], r["role"], r["what"]) for r in listed["reads"]] == [
        ("wang", "clerk", "submission"), ("zhao", "supervisor", "submission")]
    assert all(r["at"] for r in listed["reads"])


def test_token_files_must_name_terminal_numbers_and_departments() -> None:
    with pytest.raises(TokenFileError, match="terminal_number"):
        kiosk_identities({"k" * 20: "T001"})
    with pytest.raises(TokenFileError, match="already 'T001'"):
        kiosk_identities({"k" * 20: {"terminal_id": "T001", "terminal_number": 1},
                          "j" * 20: {"terminal_id": "T009", "terminal_number": 1}})
    with pytest.raises(TokenFileError, match="department"):
        clerk_identities({"c" * 20: "wang"})
    with pytest.raises(TokenFileError, match="department"):
        clerk_identities({"c" * 20: {"name": "wang"}})
    assert clerk_identities({"c" * 20: {"name": "zhao", "role": "supervisor"}})


def _central(tmp_path: Path, *args: str, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CENTRAL_")}
    return subprocess.run(
        [sys.executable, "-m", "central.cli", "--port", "1",
         "--database", f"sqlite:///{tmp_path / 'c.db'}", *args],
        cwd=ROOT, env={**clean, **(env or {})}, capture_output=True, text=True, timeout=120)


def test_the_centre_refuses_to_start_without_kiosk_tokens(tmp_path: Path) -> None:
    refused = _central(tmp_path)
    assert refused.returncode == 2
    assert "no CENTRAL_KIOSK_TOKENS" in refused.stderr and "--dev" in refused.stderr
    old = tmp_path / "tokens.json"
    old.write_text(json.dumps({"k" * 20: "T001"}), encoding="utf-8")
    refused = _central(tmp_path, env={"CENTRAL_KIOSK_TOKENS": str(old)})
    assert refused.returncode == 2 and "terminal_number" in refused.stderr


def test_an_unreadable_case_is_set_aside_and_the_queue_goes_on(database_url: str) -> None:
    """A payload that no longer opens (another master key, a damaged row) never blocks the queue."""
    from sqlalchemy import update

    from central.db import CaseRow, make_engine

    running = serve_in_thread(build_app(database_url))
    try:
        with Api(running.base_url) as api:
            for sequence in (1, 2):
                assert api.post("/api/v1/cases", json=case(sequence), headers=KIOSK).status_code == 201
            engine = make_engine(database_url)
            with engine.begin() as conn:
                conn.execute(update(CaseRow).where(CaseRow.case_number == "202611230010001")
                             .values(payload="enc1:damaged"))
            engine.dispose()
            claimed = api.post(CLAIM, headers=CLERK)
            assert claimed.status_code == 200 and claimed.json()["case_number"] == "202611230010002"
            history = api.get("/api/v1/clerk/cases/202611230010001/history", headers=SUPERVISOR).json()
            assert history["events"][-1]["status"] == "quarantined"
            assert api.post(CLAIM, headers=CLERK).status_code == 204  # nothing else waits
    finally:
        running.stop()
