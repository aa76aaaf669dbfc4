"""Heartbeats and the fleet view, ratings, catalogues with ETags, and signed codes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from centre_support import CLERK, KIOSK, OTHER_KIOSK, Api, build_app

from central.samples import sample_submission
from central.server import serve_in_thread
from contract import qr_codes

CATALOGS = {
    "community-1": {"version": "2026.11.1", "items": [{"id": "a", "name": "社保参保证明"}]},
    "bank-1": {"items": []},
}


@pytest.fixture
def full_client(database_url: str) -> Iterator[Api]:
    running = serve_in_thread(build_app(database_url, catalog=CATALOGS))
    with Api(running.base_url) as api:
        yield api
    running.stop()


def beat(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "terminal_id": "T001", "site_id": "community-1",
        "sent_at": datetime.now(UTC).isoformat(), "software_version": "0.1.0",
        "catalog_version": "2026.11.1", "devices": {"printer": "online", "id_reader": "online"},
        "paper": "ok", "outbox_depth": 0, "oldest_unsent_age_s": None,
    }
    data.update(changes)
    return data


def test_heartbeats_show_in_the_fleet_view(full_client: Api) -> None:
    answer = full_client.post("/api/v1/heartbeats", json=beat(), headers=KIOSK)
    assert answer.status_code == 200
    assert answer.json()["catalog_version"] == "2026.11.1"
    [kiosk] = full_client.get("/api/v1/clerk/kiosks", headers=CLERK).json()
    assert kiosk["terminal_id"] == "T001" and kiosk["online"] and kiosk["colour"] == "green"
    full_client.post("/api/v1/heartbeats", json=beat(paper="low", outbox_depth=3),
                     headers=KIOSK)
    [kiosk] = full_client.get("/api/v1/clerk/kiosks", headers=CLERK).json()
    assert kiosk["colour"] == "yellow" and kiosk["outbox_depth"] == 3


def test_a_kiosk_beats_only_for_itself_and_beats_are_validated(full_client: Api) -> None:
    assert full_client.post("/api/v1/heartbeats", json=beat(),
                            headers=OTHER_KIOSK).status_code == 403
    assert full_client.post("/api/v1/heartbeats", json=beat(outbox_depth=-1),
                            headers=KIOSK).status_code == 422
    assert full_client.post("/api/v1/heartbeats", json=beat(devices={"printer": "on fire"}),
                            headers=KIOSK).status_code == 422
    assert full_client.post("/api/v1/heartbeats", json=beat(sent_at="2026-11-23T10:00:00"),
                            headers=KIOSK).status_code == 422  # no time zone


def test_one_rating_per_case(full_client: Api) -> None:
    full_client.post("/api/v1/cases", json=sample_submission(1).model_dump(mode="json"),
                     headers=KIOSK)
    url = "/api/v1/cases/202611230010001/rating"
    first = full_client.post(url, json={"level": "very_satisfied"}, headers=KIOSK)
    assert first.status_code == 201
    again = full_client.post(url, json={"level": "very_satisfied"}, headers=KIOSK)
    assert again.status_code == 200 and again.json() == first.json()
    other = full_client.post(url, json={"level": "dissatisfied", "reasons": ["等待太久"]},
                             headers=KIOSK)
    assert other.status_code == 409


def test_ratings_are_validated_and_bound_to_the_case(full_client: Api) -> None:
    full_client.post("/api/v1/cases", json=sample_submission(1).model_dump(mode="json"),
                     headers=KIOSK)
    url = "/api/v1/cases/202611230010001/rating"
    assert full_client.post(url, json={"level": "meh"}, headers=KIOSK).status_code == 422
    assert full_client.post(url, json={"level": "satisfied"},
                            headers=OTHER_KIOSK).status_code == 403
    assert full_client.post("/api/v1/cases/202611230019999/rating", json={"level": "satisfied"},
                            headers=KIOSK).status_code == 404


def test_catalogue_with_version_and_etag(full_client: Api) -> None:
    answer = full_client.get("/api/v1/sites/community-1/catalog", headers=KIOSK)
    assert answer.status_code == 200
    document = answer.json()
    assert document["version"] == "2026.11.1"
    assert document["catalog"] == CATALOGS["community-1"]
    etag = answer.headers["ETag"]
    unchanged = full_client.get("/api/v1/sites/community-1/catalog",
                                headers={**KIOSK, "If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.headers["ETag"] == etag
    bank = full_client.get("/api/v1/sites/bank-1/catalog", headers=KIOSK)
    assert bank.json()["version"] == bank.headers["ETag"].strip('"')  # no own version: digest
    assert full_client.get("/api/v1/sites/nowhere/catalog", headers=KIOSK).status_code == 404


def test_catalogues_from_a_folder(tmp_path: Path, sqlite_url: str) -> None:
    folder = tmp_path / "catalogs"
    folder.mkdir()
    (folder / "site-a.json").write_text('{"version": "7", "items": []}', encoding="utf-8")
    running = serve_in_thread(build_app(sqlite_url, catalog=folder))
    try:
        with Api(running.base_url) as api:
            assert api.get("/api/v1/sites/site-a/catalog", headers=KIOSK).json()["version"] == "7"
    finally:
        running.stop()


def test_issued_codes_verify_with_the_published_key(full_client: Api) -> None:
    answer = full_client.post("/api/v1/qr-codes", json={
        "kind": "appointment", "data": {"item": "社保", "slot": "2026-11-24 09:00"},
        "valid_for_s": 3600}, headers=KIOSK)
    assert answer.status_code == 201
    issued = answer.json()
    keys = full_client.get("/api/v1/qr-keys", headers=KIOSK).json()["keys"]
    trust = qr_codes.CodeTrust.for_kiosk(
        qr_codes.KIOSK_AUDIENCE, centre_keys=[qr_codes.load_public_key(k) for k in keys],
        identity_keys=[])
    code = qr_codes.verify_code(issued["code"], trust)
    assert code.kind == "appointment" and code.code_id == issued["code_id"]
    assert code.data["item"] == "社保"
    assert code.expires_at == datetime.fromisoformat(issued["expires_at"])


def test_codes_that_break_the_format_are_422(full_client: Api) -> None:
    for body in ({"kind": "appointment", "data": {"Bad Key": "x"}},
                 {"kind": "appointment", "data": {"k": "x" * 300}},
                 {"kind": "certificate"},
                 {"kind": "appointment", "valid_for_s": 1}):
        assert full_client.post("/api/v1/qr-codes", json=body,
                                headers=KIOSK).status_code == 422
