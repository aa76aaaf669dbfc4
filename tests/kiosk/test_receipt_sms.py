"""A receipt by SMS (短信回执) end to end: the kiosk on simulated devices, its printer out or
failing, a real centre whose SMS gateway is a recording stand-in. The resident's own phone
answer is texted once, with the case number and the receipt QR's link, even when the outbox is
behind; a case without a phone keeps the "photograph it" words; no log line holds the phone."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import get_args

import pytest

from central.server import EmbeddedCentre, start_embedded
from contract.receipt_sms import ReceiptSmsAck, ReceiptSmsRequest, ReceiptSmsStatus, SmsLanguage
from contract.wire import CaseAck, CaseSubmission
from drivers.device import DeviceState
from kiosk.cli.embedded_centre import development_catalogs
from kiosk.config.settings import KioskConfig
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.endpoint import CentreEndpoint
from kiosk.delivery.receipt_sms import ReceiptSmsAsker
from kiosk.errors import CentreError, CentreRejected, CentreUnavailable
from kiosk.messages import LANGUAGES, catalog_text, say
from kiosk.session.outcome import PrintState, SmsState, SubmittedCase
from kiosk.session.receipt_sms import qr_hint, sms_state
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import MakeConfig
from tests.kiosk.terminal_support import pump_until, walk_to_review
from tests.support import wait_for
from tests.support.recorded_sms import RecordedSms

PHONE = "13812345678"  # what ``walk_to_review`` answers the phone question with
SENT_WORDS = "受理编号和查询方式已通过短信发送到 138****5678"
PHOTO_WORDS = "请用手机拍下受理编号和二维码"


@dataclass
class RunningCentre:
    """A ``CentreConnector`` for a centre the test started itself (with its SMS stand-in)."""

    centre: EmbeddedCentre

    def open(self) -> CentreEndpoint:
        return CentreEndpoint(self.centre.base_url, self.centre.token)

    def close(self) -> None:
        """The test stops the centre."""


@contextmanager
def kiosk_and_centre(config: KioskConfig, sms: RecordedSms) -> Iterator[tuple[Terminal, EmbeddedCentre]]:
    centre = start_embedded(f"sqlite:///{config.data_dir.parent / 'central.sqlite3'}",
                            terminal_id=config.terminal_id, terminal_number=config.terminal_number,
                            site_id=config.site.id, catalog=development_catalogs(config), sms_notifier=sms)
    terminal = Terminal(config, centre=RunningCentre(centre))
    terminal.start()
    try:
        yield terminal, centre
    finally:
        terminal.stop()
        centre.stop()


def shown(terminal: Terminal) -> SubmittedCase:
    case = terminal.session.case
    assert case is not None
    return case


def centre_status(centre: EmbeddedCentre, case_number: str) -> ReceiptSmsStatus | None:
    try:
        status: ReceiptSmsStatus = centre.app.state.receipt_sms.status(case_number)
    except KeyError:
        return None
    return status


def out_of_paper(terminal: Terminal) -> None:
    terminal.devices.printer.set_paper(0)  # type: ignore[attr-defined]
    terminal.pump()
    assert terminal.availability is not None and not terminal.availability.printer


def cover_opens_mid_job(terminal: Terminal) -> None:
    terminal.devices.printer.set_cover_open(True)  # type: ignore[attr-defined]
    terminal.devices.printer._set_status(state=DeviceState.ONLINE)  # type: ignore[attr-defined]  # the sensor lags


@pytest.mark.parametrize("printer_fault", [out_of_paper, cover_opens_mid_job])
def test_an_unprinted_receipt_is_texted_once_to_the_residents_phone(
        kiosk_config: MakeConfig, caplog: pytest.LogCaptureFixture, printer_fault: object) -> None:
    caplog.set_level(logging.DEBUG)
    sms = RecordedSms()
    with kiosk_and_centre(kiosk_config(), sms) as (terminal, centre):
        walk_to_review(terminal)
        printer_fault(terminal)  # type: ignore[operator]
        assert terminal.submit()
        case = shown(terminal)
        pump_until(terminal, lambda: case.print_state is PrintState.FAILED)
        assert case.sms in (SmsState.ASKING, SmsState.SENT) and case.sms_to == "138****5678"
        pump_until(terminal, lambda: case.sms is SmsState.SENT, timeout=30)
        assert terminal.session.say(qr_hint(case)) == SENT_WORDS
        [message] = sms.sent
        assert message.phone == PHONE and message.case_number == case.case_number
        assert case.case_number in message.text and case.lookup_text in message.text
        assert case.item_name in message.text
        assert centre_status(centre, case.case_number) is ReceiptSmsStatus.SENT
        terminal.print_receipt()  # tried again, and failing again: still one SMS
        pump_until(terminal, lambda: case.print_state is PrintState.FAILED)
        assert len(sms.sent) == 1
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert case.case_number in logged and "138****5678" in logged
    assert PHONE not in logged and case.lookup_text not in logged


@pytest.mark.parametrize("language", ["en", "zh-Hant"])
def test_the_sms_is_in_the_language_the_resident_used(kiosk_config: MakeConfig, language: str) -> None:
    sms = RecordedSms()
    with kiosk_and_centre(kiosk_config(), sms) as (terminal, _centre):
        walk_to_review(terminal)
        terminal.session.set_language(language)
        out_of_paper(terminal)
        assert terminal.submit()
        case = shown(terminal)
        pump_until(terminal, lambda: case.sms is SmsState.SENT, timeout=30)
        [message] = sms.sent
        assert catalog_text(case.item_name, language) in message.text and case.item_name not in message.text
        assert case.case_number in message.text and case.lookup_text in message.text
        assert message.text.startswith("Your application" if language == "en" else "您在政務服務自助終端")


def test_the_contract_knows_every_language_of_the_kiosk() -> None:
    assert set(get_args(SmsLanguage)) == set(LANGUAGES)


class HeldBack:
    """The outbox's way to the centre, held until ``release``: the case arrives after the SMS request."""

    def __init__(self, client: CentreClient) -> None:
        self.client = client
        self.gate = threading.Event()

    def submit(self, submission: CaseSubmission) -> CaseAck:
        self.gate.wait(30)
        return self.client.submit(submission)


def test_a_request_that_overtakes_its_case_is_texted_when_the_case_arrives(kiosk_config: MakeConfig) -> None:
    sms = RecordedSms()
    with kiosk_and_centre(kiosk_config(), sms) as (terminal, centre):
        link = terminal.link
        assert link is not None
        held = HeldBack(link.client)
        link.sender.client = held
        try:
            out_of_paper(terminal)
            walk_to_review(terminal)
            assert terminal.submit()
            case = shown(terminal)
            pump_until(terminal, lambda: centre_status(centre, case.case_number) is ReceiptSmsStatus.WAITING)
            assert case.sms is SmsState.ASKING and sms.sent == [] and not case.sent_to_centre
        finally:
            held.gate.set()  # the outbox catches up
        pump_until(terminal, lambda: case.sms is SmsState.SENT and case.sent_to_centre, timeout=40)
        [message] = sms.sent
        assert message.phone == PHONE and case.lookup_text in message.text


def test_a_case_without_a_phone_question_keeps_the_photograph_words(kiosk_config: MakeConfig) -> None:
    sms = RecordedSms()
    with kiosk_and_centre(kiosk_config(), sms) as (terminal, centre):
        out_of_paper(terminal)
        # An instant-print item asks no phone; walk_to_review answers its text questions with a
        # mobile-shaped text all the same: the question's kind decides, not the answer's shape.
        walk_to_review(terminal, "social-insurance-certificate")
        assert terminal.submit()
        case = shown(terminal)
        pump_until(terminal, lambda: case.print_state is PrintState.FAILED and case.sent_to_centre)
        assert case.sms is None and case.sms_to == ""
        assert terminal.session.say(qr_hint(case)) == PHOTO_WORDS
        assert centre_status(centre, case.case_number) is None and sms.sent == []


@dataclass
class Answers:
    """A stand-in centre client: answers each ask with the next status, or raises it."""

    replies: list[ReceiptSmsStatus | CentreError]
    asked: list[str] = field(default_factory=list)

    def ask_receipt_sms(self, case_number: str, request: ReceiptSmsRequest) -> ReceiptSmsAck:
        self.asked.append(case_number)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, CentreError):
            raise reply
        return ReceiptSmsAck(case_number=case_number, status=reply)


def settle(client: Answers | None, delays: tuple[float, ...] = (0.01,) * 4) -> ReceiptSmsStatus | None:
    outcome: list[ReceiptSmsStatus | None] = []
    request = ReceiptSmsRequest(phone_field="phone", item_name="居住证申领", requested_at="2026-11-23T09:30:00+08:00",
                                lookup_link="https://zwfw.example.gov.cn/case/202611230010001?token=" + "A" * 22)
    ReceiptSmsAsker(lambda: client, delays).ask("202611230010001", request, outcome.append)
    wait_for(lambda: outcome, 10)
    return outcome[0]


def test_the_asker_retries_while_it_may_help_and_reports_honestly() -> None:
    waiting_then_sent = Answers([CentreUnavailable(), ReceiptSmsStatus.WAITING, ReceiptSmsStatus.SENT])
    assert settle(waiting_then_sent) is ReceiptSmsStatus.SENT and len(waiting_then_sent.asked) == 3
    never_arrives = Answers([ReceiptSmsStatus.WAITING])
    assert settle(never_arrives) is ReceiptSmsStatus.WAITING and len(never_arrives.asked) == 5
    refused = Answers([CentreRejected(status_code=403)])
    assert settle(refused) is None and len(refused.asked) == 1
    unreachable = Answers([CentreUnavailable()])
    assert settle(unreachable) is None and len(unreachable.asked) == 5
    assert settle(None) is None  # never connected
    assert settle(Answers([ReceiptSmsStatus.NO_PHONE])) is ReceiptSmsStatus.NO_PHONE
    assert [sms_state(s) for s in (ReceiptSmsStatus.SENT, ReceiptSmsStatus.WAITING, ReceiptSmsStatus.FAILED,
                                   ReceiptSmsStatus.NO_PHONE, ReceiptSmsStatus.REFUSED, None)] == \
        [SmsState.SENT, SmsState.PROMISED, SmsState.PROMISED, SmsState.NOT_POSSIBLE, SmsState.NOT_POSSIBLE,
         SmsState.NOT_POSSIBLE]


def test_the_receipt_screen_words_follow_the_sms() -> None:
    case = SubmittedCase("202611230010001", "居住证申领", "2026-11-23 09:30", None, "https://x/", sms_to="138****5678")
    assert say(qr_hint(case)) == "扫码查询办理进度"  # printing: the QR is on the paper
    case.print_state = PrintState.FAILED
    assert say(qr_hint(case)) == PHOTO_WORDS  # no SMS asked (no phone)
    case.sms = SmsState.ASKING
    assert say(qr_hint(case)) == "正在发送短信……"
    case.sms = SmsState.SENT
    assert say(qr_hint(case)) == SENT_WORDS
    case.sms = SmsState.PROMISED
    assert say(qr_hint(case)) == "受理编号和查询方式将通过短信发送到 138****5678"
    case.sms = SmsState.NOT_POSSIBLE
    assert say(qr_hint(case)) == PHOTO_WORDS
