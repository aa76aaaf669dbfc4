"""Fleet alerts open when a kiosk falls silent or holds a case too long, clear by themselves,
and are sent once through a webhook (a real HTTP server on loopback) or the log."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import Engine

from central import alerts, beat_history, fleet_board, remote_commands
from central.auth import Clerk, Role
from central.db import make_engine, migrate
from central.fleet import BeatBuffer
from central.notifiers import AlertMessage, LogNotifier, NotifyFailed, WebhookNotifier
from contract.fleet import RemoteCommandKind
from contract.wire import Heartbeat


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


class Hook:
    """A webhook receiver on 127.0.0.1: keeps what it is sent, answers ``status``."""

    def __init__(self, status: int = 204) -> None:
        self.status = status
        self.received: list[dict[str, object]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.received.append({"type": self.headers["Content-Type"],
                                      "json": json.loads(body)})
                self.send_response(hook.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/alerts"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook() -> Iterator[Hook]:
    receiver = Hook()
    yield receiver
    receiver.close()


def beat_now(engine: Engine, terminal: str = "T001", **changes: object) -> None:
    data: dict[str, object] = {"terminal_id": terminal, "site_id": "s1",
                               "sent_at": datetime.now(UTC), "software_version": "1",
                               "outbox_depth": 0}
    data.update(changes)
    buffer = BeatBuffer(engine)
    buffer.add(Heartbeat.model_validate(data))
    buffer.flush()


def test_a_silent_kiosk_opens_one_alert_sent_once_and_cleared_when_it_beats(
        engine: Engine, hook: Hook) -> None:
    beat_now(engine)
    assert alerts.evaluate(engine) == alerts.Changes(0, 0)
    later = datetime.now(UTC) + timedelta(minutes=3)
    assert alerts.evaluate(engine, later) == alerts.Changes(1, 0)
    assert alerts.evaluate(engine, later) == alerts.Changes(0, 0)  # one open alert, not two
    [alert] = alerts.active(engine)
    assert (alert.kind, alert.kind_label, alert.terminal_id, alert.notified) == \
        ("kiosk_red", "终端失联", "T001", False)
    notifier = WebhookNotifier(hook.url)
    assert alerts.notify(engine, notifier, later) == 1
    assert alerts.notify(engine, notifier, later) == 0  # sent once
    [sent] = hook.received
    assert sent["type"] == "application/json"
    assert sent["json"] == {"alert_id": alert.id, "kind": "kiosk_red", "state": "open",
                            "terminal_id": "T001", "site_id": "s1", "detail": alert.detail,
                            "opened_at": alert.opened_at.isoformat()}
    beat_now(engine)
    assert alerts.evaluate(engine) == alerts.Changes(0, 1)
    assert alerts.active(engine) == [] and alerts.count_active(engine) == 0


def test_a_case_unsent_too_long_opens_an_alert(engine: Engine) -> None:
    beat_now(engine, outbox_depth=3, oldest_unsent_age_s=7200.0)
    beat_now(engine, "T002", outbox_depth=1, oldest_unsent_age_s=60.0)
    assert alerts.evaluate(engine) == alerts.Changes(1, 0)
    [alert] = alerts.active(engine, sites=["s1"])
    assert (alert.kind, alert.terminal_id, alert.detail) == \
        ("case_unsent", "T001", "3 件未上传，最早已 2 小时 0 分")
    assert alerts.active(engine, sites=["elsewhere"]) == []


def test_a_failing_webhook_is_retried_then_left_for_the_next_round(engine: Engine) -> None:
    failing = Hook(status=500)
    try:
        beat_now(engine)
        later = datetime.now(UTC) + timedelta(minutes=3)
        alerts.evaluate(engine, later)
        notifier = WebhookNotifier(failing.url, attempts=3, pause_s=0.01)
        assert alerts.notify(engine, notifier, later) == 0
        assert len(failing.received) == 3
        failing.status = 200
        assert alerts.notify(engine, notifier, later) == 1  # the next round delivers it
        assert alerts.active(engine)[0].notified
    finally:
        failing.close()


def test_an_unreachable_webhook_says_why_without_the_payload() -> None:
    notifier = WebhookNotifier("http://127.0.0.1:9/alerts", attempts=2, pause_s=0.01,
                               timeout_s=1)
    message = AlertMessage(1, "kiosk_red", "open", "T001", "s1", "x", "2026-01-01T00:00:00+00:00")
    with pytest.raises(NotifyFailed, match="after 2 attempts"):
        notifier.send(message)


def test_only_web_urls_are_webhooks() -> None:
    with pytest.raises(ValueError, match="http"):
        WebhookNotifier("file:///etc/passwd")


def test_the_log_notifier_writes_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    LogNotifier().send(AlertMessage(1, "kiosk_red", "open", "T001", "s1", "x", "t"))
    assert "T001" in caplog.text


def test_the_hourly_round_expires_unanswered_commands_and_prunes_old_history(
        engine: Engine) -> None:
    beat_now(engine, devices={"printer": "online"})
    long_ago = datetime.now(UTC) - timedelta(days=2)
    command = remote_commands.issue(engine, "T001", RemoteCommandKind.RESTART_APP,
                                    by=Clerk("zhou", Role.TECHNICIAN), now=long_ago)
    later = datetime.now(UTC) + timedelta(days=beat_history.KEEP_DAYS + 1)
    alerts.AlertWatch(engine, LogNotifier()).round(later)
    [view] = remote_commands.for_kiosk(engine, "T001")
    assert (view.id, view.status, view.detail) == (command, "failed", "终端 24 小时内未回应")
    history = fleet_board.history(engine, "T001")
    assert history.samples == [] and history.device_changes == []
