"""The fleet side of the kiosk API over real HTTP, on SQLite and PostgreSQL: what a beat now
stores (faults, service state, counters, history), remote commands offered until answered,
the kiosks' audit logs, and uploads answering screenshot and log commands."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from centre_support import KIOSK, OTHER_KIOSK, Api, build_app
from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from central import remote_commands
from central.auth import Clerk, Role
from central.daily_counters import daily_counters
from central.db import KioskRow
from central.fleet_rows import ConsoleAuditRow, DeviceEventRow, KioskBeatRow, RemoteCommandRow
from central.server import serve_in_thread
from contract.fleet import UPLOAD_MAX_BYTES, RemoteCommandKind

TECH = Clerk("zhou", Role.TECHNICIAN)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NOW = datetime.now(UTC)


@pytest.fixture
def centre(database_url: str) -> Iterator[tuple[Api, FastAPI]]:
    running = serve_in_thread(build_app(database_url))
    with Api(running.base_url) as api:
        yield api, running.app
    running.stop()


def beat(terminal: str = "T001", **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "terminal_id": terminal, "site_id": "demo-site", "sent_at": NOW.isoformat(),
        "software_version": "1.2.0", "devices": {"printer": "online", "id_card": "online"},
        "paper": "ok", "outbox_depth": 0,
    }
    body.update(changes)
    return body


def send(api: Api, body: dict[str, object], headers: dict[str, str] = KIOSK) -> dict[str, Any]:
    answer = api.post("/api/v1/heartbeats", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()
    return data


def engine_of(app: FastAPI) -> Engine:
    engine: Engine = app.state.engine
    return engine


def test_a_beat_keeps_faults_service_paper_counters_and_history(centre: tuple[Api, FastAPI]
                                                                ) -> None:
    api, app = centre
    today = NOW.strftime("%Y%m%d")
    send(api, beat())
    app.state.beats.flush()
    fault = {"code": "paper_out", "message": "打印机缺纸：请更换纸卷", "since": NOW.isoformat()}
    send(api, beat(devices={"printer": "hardware_error", "id_card": "online"},
                   faults={"printer": fault}, paper="out", paper_left_estimate=0,
                   service={"in_service": False, "reason": "更换打印机"},
                   counters=[{"day": today, "sessions_started": 7, "prints": 5,
                              "cases_by_item": {"residence-permit": 3},
                              "ratings": {"satisfied": 2}}]))
    app.state.beats.flush()
    engine = engine_of(app)
    with Session(engine) as session:
        row = session.get(KioskRow, "T001")
        assert row is not None
        assert (row.in_service, row.service_reason, row.paper_left_estimate, row.degraded) == \
            (False, "更换打印机", 0, True)
        assert json.loads(row.faults)["printer"]["code"] == "paper_out"
        events = session.scalars(select(DeviceEventRow).order_by(DeviceEventRow.id)).all()
        samples = session.scalars(select(KioskBeatRow)).all()
    # first sight of both devices, then the printer's failure
    assert [(e.device, e.status, e.fault_code) for e in events] == [
        ("id_card", "online", ""), ("printer", "online", ""),
        ("printer", "hardware_error", "paper_out")]
    assert [s.degraded for s in samples] == [False, True]  # the change is sampled at once
    [day] = daily_counters(engine, date.today() - timedelta(days=1), date.today() + timedelta(days=1))
    assert (day.terminal_id, day.site_id, day.counters.sessions_started,
            day.counters.cases_by_item) == ("T001", "demo-site", 7, {"residence-permit": 3})
    assert daily_counters(engine, date.today(), date.today(), site="elsewhere") == []


def test_an_unchanged_beat_adds_no_history(centre: tuple[Api, FastAPI]) -> None:
    api, app = centre
    for _ in range(3):
        send(api, beat())
        app.state.beats.flush()
    with Session(engine_of(app)) as session:
        assert len(session.scalars(select(KioskBeatRow)).all()) == 1
        assert len(session.scalars(select(DeviceEventRow)).all()) == 2


def test_a_command_is_offered_until_the_kiosk_reports_it(centre: tuple[Api, FastAPI]) -> None:
    api, app = centre
    engine = engine_of(app)
    command = remote_commands.issue(engine, "T001", RemoteCommandKind.OUT_OF_SERVICE, by=TECH,
                                    reason="更换打印机")
    assert send(api, beat())["commands"] == []  # not yet known to this process's board...
    app.state.open_commands.refresh()  # ...until its next refresh (every second)
    first = send(api, beat())["commands"]
    assert [(c["id"], c["kind"], c["reason"], c["issued_by"]) for c in first] == [
        (command, "out_of_service", "更换打印机", "zhou")]
    assert [c["id"] for c in send(api, beat())["commands"]] == [command]
    # another kiosk's report of it changes nothing
    result = {"command_id": command, "outcome": "done", "finished_at": NOW.isoformat()}
    send(api, beat("T002", command_results=[result]), headers=OTHER_KIOSK)
    assert [c["id"] for c in send(api, beat())["commands"]] == [command]
    assert send(api, beat(command_results=[result]))["commands"] == []
    assert send(api, beat(command_results=[result]))["commands"] == []  # reported twice: harmless
    [view] = remote_commands.for_kiosk(engine, "T001")
    assert (view.status, view.status_label) == ("done", "已完成")
    with Session(engine) as session:
        audit = session.scalars(select(ConsoleAuditRow)).all()
    assert [(a.actor, a.role, a.action, a.terminal_id) for a in audit] == [
        ("zhou", "technician", "command.out_of_service", "T001")]


def test_out_of_service_needs_a_reason(centre: tuple[Api, FastAPI]) -> None:
    with pytest.raises(remote_commands.CommandRefused, match="原因"):
        remote_commands.issue(engine_of(centre[1]), "T001", RemoteCommandKind.OUT_OF_SERVICE,
                              by=TECH, reason="  ")


def test_audit_entries_are_kept_once_each(centre: tuple[Api, FastAPI]) -> None:
    api, _app = centre
    entries = [{"seq": n, "at": NOW.isoformat(), "actor": "pin", "action": "maintenance.enter"}
               for n in (1, 2, 3)]
    batch = {"terminal_id": "T001", "entries": entries}
    for _ in range(2):
        answer = api.post("/api/v1/terminals/self/audit", json=batch, headers=KIOSK)
        assert answer.status_code == 200 and answer.json() == {"stored_through": 3}
    changed = {"terminal_id": "T001", "entries": [{**entries[0], "action": "tampered"}]}
    assert api.post("/api/v1/terminals/self/audit", json=changed, headers=KIOSK).json() == \
        {"stored_through": 3}
    from central.kiosk_audit import for_kiosk
    lines = for_kiosk(engine_of(centre[1]), "T001")
    assert [(line.seq, line.action) for line in lines] == [
        (3, "maintenance.enter"), (2, "maintenance.enter"), (1, "maintenance.enter")]


@pytest.mark.parametrize("batch, status", [
    ({"terminal_id": "T002", "entries": [{"seq": 1, "at": NOW.isoformat(), "actor": "pin",
                                          "action": "x"}]}, 403),
    ({"terminal_id": "T001", "entries": []}, 422),
    ({"terminal_id": "T001", "entries": [{"seq": 0, "at": NOW.isoformat(), "actor": "pin",
                                          "action": "x"}]}, 422),
    ({"terminal_id": "T001", "entries": [{"seq": 1, "at": "2026-01-01T00:00:00", "actor": "pin",
                                          "action": "x"}]}, 422),
    ({"terminal_id": "T001", "entries": [{"seq": 1, "at": NOW.isoformat(), "actor": "pin",
                                          "action": "DROP TABLE"}]}, 422),
    ({"terminal_id": "T001", "entries": [{"seq": 1, "at": NOW.isoformat(), "actor": "pin",
                                          "action": "x", "detail": "x" * 201}]}, 422),
])
def test_hostile_audit_batches_are_refused_in_words(centre: tuple[Api, FastAPI],
                                                    batch: dict[str, object], status: int) -> None:
    answer = centre[0].post("/api/v1/terminals/self/audit", json=batch, headers=KIOSK)
    assert answer.status_code == status and answer.json()["detail"]


def _command(app: FastAPI, kind: RemoteCommandKind, terminal: str = "T001") -> int:
    return remote_commands.issue(engine_of(app), terminal, kind, by=TECH)


def put(api: Api, command: int, body: bytes, media_type: str = "image/png",
        headers: dict[str, str] = KIOSK) -> tuple[int, str]:
    answer = api.put(f"/api/v1/terminals/self/uploads/{command}", data=body,
                     headers={**headers, "Content-Type": media_type})
    return answer.status_code, answer.text


def test_a_screenshot_and_logs_answer_their_commands(centre: tuple[Api, FastAPI]) -> None:
    api, app = centre
    shot = _command(app, RemoteCommandKind.SCREENSHOT)
    logs = _command(app, RemoteCommandKind.UPLOAD_LOGS)
    assert put(api, shot, PNG)[0] == 204
    assert put(api, shot, PNG + b"again")[0] == 204  # sent again: replaces
    assert put(api, logs, gzip.compress(b'{"msg": "ok"}\n'), "application/gzip")[0] == 204
    from central import uploads
    latest = uploads.latest(engine_of(app), "T001")
    assert latest is not None and (latest.command_id, latest.size) == (shot, len(PNG) + 5)


def test_uploads_are_refused_unless_right(centre: tuple[Api, FastAPI]) -> None:
    api, app = centre
    shot = _command(app, RemoteCommandKind.SCREENSHOT)
    restart = _command(app, RemoteCommandKind.RESTART_APP)
    theirs = _command(app, RemoteCommandKind.SCREENSHOT, terminal="T002")
    assert put(api, 999, PNG)[0] == 404
    status, text = put(api, theirs, PNG)
    assert status == 404 and "no command" in text  # exactly like an unknown command
    assert put(api, restart, PNG)[0] == 409
    assert put(api, shot, PNG, "image/jpeg")[0] == 415
    assert put(api, shot, b"<svg/>")[0] == 422
    assert put(api, shot, b"")[0] == 422
    assert put(api, shot, PNG, "application/gzip")[0] == 415
    assert put(api, shot, PNG + b"\x00" * UPLOAD_MAX_BYTES)[0] == 413
    assert api.put("/api/v1/terminals/self/uploads/abc", data=PNG, headers=KIOSK).status_code == 422
    assert api.put(f"/api/v1/terminals/self/uploads/{shot}", data=PNG,
                   headers={"Content-Type": "image/png"}).status_code == 401
    with Session(engine_of(app)) as session:
        assert session.scalar(select(RemoteCommandRow.status).where(
            RemoteCommandRow.id == shot)) == "pending"
