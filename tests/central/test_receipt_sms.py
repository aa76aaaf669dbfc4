"""Receipts by SMS at the centre: a kiosk asks for its own case only; the SMS goes once, when
both the request and the case are there, whichever came second; the phone comes from the case,
never from the request, and never reaches a log line or a reply."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from centre_support import KIOSK, OTHER_KIOSK, Api, build_app
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from central import cases
from central.crypto import KeyFileMasterKey, PayloadCipher
from central.db import CaseReadRow
from central.receipt_sms import MAX_ATTEMPTS, ReceiptSms
from central.receipt_sms_rows import ReceiptSmsRow
from central.samples import sample_submission
from central.server import serve_in_thread
from central.sms_notifiers import NotifyFailed, SmsMessage, WebhookSmsNotifier, sms_notifier_from_env
from contract.wire import CaseSubmission
from tests.support import wait_for
from tests.support.recorded_sms import RecordedSms

PHONE = "13912345678"
TOKEN = "3q2-7wAAAAAAAAAAAAAAAA"
LOOKUP_BASE = "https://zwfw.example.gov.cn/case/"


@dataclass
class ServedCentre:
    api: Api
    engine: Engine
    app: FastAPI


def served_centre(database_url: str, sms_notifier: RecordedSms | None) -> Iterator[ServedCentre]:
    """The test centre with ``sms_notifier`` (None: the log-only default) until the generator closes."""
    running = serve_in_thread(build_app(database_url, sms_notifier=sms_notifier))
    try:
        with Api(running.base_url) as api:
            yield ServedCentre(api, running.app.state.engine, running.app)
    finally:
        running.stop()


@pytest.fixture
def sms() -> RecordedSms:
    return RecordedSms()


@pytest.fixture
def centre(database_url: str, sms: RecordedSms) -> Iterator[ServedCentre]:
    yield from served_centre(database_url, sms)


def submission(sequence: int = 1, *, terminal: int = 1, answers: dict[str, str] | None = None) -> CaseSubmission:
    base = sample_submission(sequence, terminal=terminal)
    return base.model_copy(update={"answers": {"reason": "样例", "phone": PHONE} if answers is None else answers,
                                   "lookup_token_sha256": cases.lookup_digest(TOKEN)})


def link(case_number: str, token: str = TOKEN) -> str:
    return f"{LOOKUP_BASE}{case_number}?token={token}"


def submit(api: Api, case: CaseSubmission, headers: dict[str, str] = KIOSK) -> None:
    answer = api.post("/api/v1/cases", json=case.model_dump(mode="json"), headers=headers)
    assert answer.status_code in (200, 201), answer.text


def ask(api: Api, case_number: str, headers: dict[str, str] = KIOSK, **changes: str) -> requests.Response:
    body = {"phone_field": "phone", "item_name": "居住证申领", "lookup_link": link(case_number),
            "requested_at": datetime.now(UTC).isoformat(), **changes}
    return api.post(f"/api/v1/cases/{case_number}/receipt-sms", json=body, headers=headers)


def row(centre: ServedCentre, case_number: str) -> ReceiptSmsRow:
    with Session(centre.engine) as session:
        return session.scalars(select(ReceiptSmsRow).where(ReceiptSmsRow.case_number == case_number)).one()


def desk(centre: ServedCentre) -> ReceiptSms:
    running: ReceiptSms = centre.app.state.receipt_sms
    return running


def test_a_held_case_is_texted_once_however_often_asked(centre: ServedCentre, sms: RecordedSms) -> None:
    case = submission()
    submit(centre.api, case)
    first = ask(centre.api, case.case_number)
    assert first.status_code == 201 and first.json() == {"case_number": case.case_number, "status": "sent"}
    again = ask(centre.api, case.case_number)
    assert again.status_code == 200 and again.json()["status"] == "sent"
    [message] = sms.sent
    assert (message.case_number, message.phone) == (case.case_number, PHONE)
    assert case.case_number in message.text and link(case.case_number) in message.text
    assert "居住证申领" in message.text
    assert PHONE not in first.text + again.text
    held = row(centre, case.case_number)
    assert (held.status, held.masked_phone, held.lookup_link, held.attempts) == ("sent", "139****5678", "", 1)
    assert held.settled_at is not None
    with Session(centre.engine) as session:  # reading the phone is a recorded read of the case
        [read] = session.scalars(select(CaseReadRow)).all()
    assert (read.reader, read.role, read.what) == ("receipt-sms", "system", "phone")


def test_the_text_is_in_the_language_asked_for_and_zh_hans_without_one(centre: ServedCentre,
                                                                          sms: RecordedSms) -> None:
    english, old_kiosk = submission(5), submission(6)
    for case in (english, old_kiosk):
        submit(centre.api, case)
    assert ask(centre.api, english.case_number, language="en", item_name="Residence permit").status_code == 201
    assert ask(centre.api, old_kiosk.case_number).status_code == 201  # a kiosk from before languages
    texts = {message.case_number: message.text for message in sms.sent}
    assert texts[english.case_number].startswith('Your application "Residence permit"')
    assert texts[old_kiosk.case_number].startswith("您在政务服务自助终端提交的“居住证申领”")
    unknown = submission(7).case_number
    assert ask(centre.api, unknown, language="fr").status_code == 422 and unknown not in row_numbers(centre)


def row_numbers(centre: ServedCentre) -> set[str]:
    with Session(centre.engine) as session:
        return set(session.scalars(select(ReceiptSmsRow.case_number)).all())


def test_a_request_before_its_case_is_sent_when_the_case_arrives(centre: ServedCentre, sms: RecordedSms) -> None:
    case = submission(2)
    waiting = ask(centre.api, case.case_number)
    assert waiting.status_code == 201 and waiting.json()["status"] == "waiting"
    assert sms.sent == [] and row(centre, case.case_number).masked_phone is None
    submit(centre.api, case)  # the outbox caught up
    wait_for(lambda: row(centre, case.case_number).status == "sent", 10)
    submit(centre.api, case)  # the same case again (a lost acknowledgement): no second SMS
    assert ask(centre.api, case.case_number).json()["status"] == "sent"
    assert len(sms.sent) == 1 and sms.sent[0].phone == PHONE


def test_a_kiosk_may_ask_only_for_its_own_cases(centre: ServedCentre, sms: RecordedSms) -> None:
    case = submission(3)
    submit(centre.api, case)
    assert ask(centre.api, case.case_number, OTHER_KIOSK).status_code == 403  # another terminal's number
    # A case whose number carries T002's number but which T001 submitted (stored directly):
    # the case's own terminal decides, not its number alone.
    odd = submission(4, terminal=2).model_copy(update={"terminal_id": "T001"})
    cases.submit(centre.engine, odd, kiosk_id="T001", cipher=_cipher(centre))
    refused = ask(centre.api, odd.case_number, OTHER_KIOSK)
    assert refused.status_code == 403
    # A request held for T002 is T002's: T001's case of that number is not texted for it.
    early = submission(5, terminal=2).model_copy(update={"terminal_id": "T001"})
    assert ask(centre.api, early.case_number, OTHER_KIOSK).json()["status"] == "waiting"
    cases.submit(centre.engine, early, kiosk_id="T001", cipher=_cipher(centre))
    desk(centre).case_arrived(early.case_number)
    assert row(centre, early.case_number).status == "refused"
    assert sms.sent == []


def test_a_case_without_a_mobile_number_is_recorded_and_not_texted(centre: ServedCentre, sms: RecordedSms) -> None:
    case = submission(6, answers={"reason": "样例", "phone": "010-12345678"})
    other = submission(7, answers={"reason": "13912345678"})  # a mobile-shaped answer, but not the phone's
    for sent in (case, other):
        submit(centre.api, sent)
        # the reply says where the request stands: "sending" while intake's own delivery of the
        # case (after its reply) has it in hand, then no_phone
        assert ask(centre.api, sent.case_number).json()["status"] in ("no_phone", "sending")
        wait_for(lambda n=sent.case_number: row(centre, n).status == "no_phone", 10)
    assert sms.sent == [] and row(centre, case.case_number).settled_at is not None


def test_a_link_that_is_not_the_cases_is_refused(centre: ServedCentre, sms: RecordedSms) -> None:
    case = submission(8)
    submit(centre.api, case)
    wrong = ask(centre.api, case.case_number, lookup_link=link(case.case_number, "A" * 22))
    assert wrong.json()["status"] == "refused" and sms.sent == []
    assert ask(centre.api, "202611230010009", lookup_link="ftp://x/").status_code == 422


def test_a_failed_send_is_retried_on_the_rounds_then_given_up(database_url: str) -> None:
    flaky = RecordedSms(failures=1)
    for centre in served_centre(database_url, flaky):
        case = submission(10)
        submit(centre.api, case)
        assert ask(centre.api, case.case_number).json()["status"] == "failed"
        held = row(centre, case.case_number)
        assert (held.attempts, held.last_error) == (1, "SMS webhook: HTTP 503 after 1 attempts")
        assert held.lookup_link.startswith("enc1:")  # kept, sealed, for the next try
        rounds = desk(centre)
        assert rounds.round() == 0  # not due yet
        assert rounds.round(datetime.now(UTC) + timedelta(minutes=2)) == 1
        assert row(centre, case.case_number).status == "sent" and len(flaky.sent) == 1
        assert ask(centre.api, case.case_number).json()["status"] == "sent"
    broken = RecordedSms(failures=100)
    for centre in served_centre(database_url, broken):
        case = submission(11)
        submit(centre.api, case)
        ask(centre.api, case.case_number)
        later = datetime.now(UTC)
        for _ in range(MAX_ATTEMPTS):
            later += timedelta(hours=1)
            desk(centre).round(later)
        held = row(centre, case.case_number)
        assert (held.status, held.attempts, held.lookup_link) == ("gave_up", MAX_ATTEMPTS, "")
        assert broken.tries == MAX_ATTEMPTS


def test_no_log_line_holds_the_phone_or_the_text(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for sequence, sms in ((12, RecordedSms(failures=1)), (13, None)):  # a failing gateway, then the log only
        for centre in served_centre(database_url, sms):
            case = submission(sequence)
            ask(centre.api, case.case_number)
            submit(centre.api, case)
            wait_for(lambda c=centre, n=case.case_number: row(c, n).status in ("sent", "failed"), 10)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "202611230010012" in logged and "202611230010013" in logged and "139****5678" in logged
    assert PHONE not in logged and TOKEN not in logged and "申请已受理" not in logged


def test_the_webhook_posts_json_and_only_web_urls_are_webhooks(monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204 if len(received) > 1 else 502)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sms"
        message = SmsMessage("202611230010001", PHONE, "您的申请已受理")
        WebhookSmsNotifier(url, pause_s=0.01).send(message)  # 502, then 204
        assert received[-1] == {"phone": PHONE, "text": "您的申请已受理", "case_number": "202611230010001"}
        assert PHONE not in repr(message) and "受理" not in repr(message)
        with pytest.raises(NotifyFailed, match="after 1 attempts") as failed:
            WebhookSmsNotifier("http://127.0.0.1:9/sms", attempts=1, timeout_s=1).send(message)
        assert PHONE not in str(failed.value)
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(ValueError, match="http"):
        WebhookSmsNotifier("file:///etc/passwd")
    monkeypatch.setenv("CENTRAL_SMS_WEBHOOK", "gopher://sms")
    with pytest.raises(ValueError, match="CENTRAL_SMS_WEBHOOK"):
        sms_notifier_from_env()
    monkeypatch.setenv("CENTRAL_SMS_WEBHOOK", "https://sms.example/send")
    assert isinstance(sms_notifier_from_env(), WebhookSmsNotifier)


def _cipher(centre: ServedCentre) -> PayloadCipher:
    cipher: PayloadCipher = centre.app.state.cipher
    return cipher


def test_a_database_gone_when_a_case_arrives_leaves_the_text_to_the_next_round(
        tmp_path: Path, sms: RecordedSms, caplog: pytest.LogCaptureFixture) -> None:
    """``case_arrived`` runs after the intake reply: raising there would drop the kiosk's
    keep-alive connection mid-stream (seen while PostgreSQL restarted), so it logs instead."""
    gone = create_engine(f"sqlite:///{tmp_path / 'no-tables.db'}")  # every query fails
    desk_without_database = ReceiptSms(gone, PayloadCipher(KeyFileMasterKey(tmp_path / "data.key")), sms)
    with caplog.at_level(logging.WARNING, logger="central.receipt_sms"):
        desk_without_database.case_arrived("202612030010001")
    assert sms.sent == []
    assert "left to the next round: OperationalError" in caplog.text
