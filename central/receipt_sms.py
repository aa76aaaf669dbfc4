"""Receipts by SMS (``contract.receipt_sms``): keep a kiosk's request, and text the case's phone
once the centre holds both the request and the case, whichever arrived second.

    ask ──▶ waiting ──(the case is here: claimed)──▶ sending ──▶ sent
     │                                                 ├──(the gateway failed)──▶ failed ──(a round)──▶ sending …
     │                                                 │                             └──(MAX_ATTEMPTS)──▶ gave_up
     │                                                 ├──(no mobile number in the phone answer)──▶ no_phone
     │                                                 └──(another kiosk's case, a link not the case's)──▶ refused
     └──(the case was already here)──▶ sending …

Three things try to send: the request itself (``ask``), the case's arrival (``case_arrived``,
after the kiosk's case is acknowledged) and the periodic ``round`` (failed sends that are due,
and requests whose case arrived while the other two missed each other). Each first claims the
row with one conditional update (``waiting``/due ``failed`` → ``sending``), so however many
processes try at once, one sends. A row left ``sending`` longer than ``STUCK_AFTER`` (its
process died mid-send) is claimed again: only then may a resident get the text twice.

The phone is read from the case's sealed payload (the answer the request's ``phone_field``
names), decrypted here as ``central.case_file`` does for a clerk, and the read is recorded in
``case_reads`` (reader ``receipt-sms``). It is never stored, logged or returned: rows and log
lines hold the masked form (138****5678) only, and no log line holds the SMS's text.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from pydantic import ValidationError
from sqlalchemy import ColumnElement, Engine, and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from central.auth import Caller
from central.case_keys import MOBILE
from central.cases import lookup_digest
from central.crypto import PayloadCipher, PayloadKeyError
from central.db import CaseReadRow, CaseRow, utcnow
from central.periodic import Periodic
from central.receipt_sms_rows import ReceiptSmsRow
from central.sms_notifiers import NotifyFailed, SmsMessage, SmsNotifier, mask_phone
from contract.receipt_sms import ReceiptSmsAck, ReceiptSmsRequest, ReceiptSmsStatus
from contract.wire import CaseSubmission

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # sends tried before giving up
RETRY_AFTER = timedelta(minutes=1)  # after the first failure; doubling after each further one
STUCK_AFTER = timedelta(minutes=5)  # a row ``sending`` this long was left by a process that died
RETENTION = timedelta(days=30)  # a settled request (or one whose case never came) is deleted after
ROUND_EVERY_S = 60.0
READER = "receipt-sms"  # as recorded in case_reads
_CONTEXT = "receipt-sms"  # the sealed link's associated data: the case number, then this
_S = ReceiptSmsStatus


class NotYourCase(Exception):
    """The case (or the request already held for it) is another terminal's (answered with 403)."""


SMS_WORDS: dict[str, str] = {  # by ``contract.receipt_sms.SmsLanguage``
    "zh-Hans": "您在政务服务自助终端提交的“{item}”申请已受理，受理编号：{number}。查询办理进度请打开：{link}",
    "zh-Hant": "您在政務服務自助終端提交的“{item}”申請已受理，受理編號：{number}。查詢辦理進度請打開：{link}",
    "en": ("Your application \"{item}\" made at a government self-service kiosk has been accepted. "
           "Case number: {number}. To check its progress, open: {link}"),
}


def sms_text(case_number: str, item_name: str, lookup_link: str, language: str = "zh-Hans") -> str:
    """What the resident reads, in the language they used the kiosk in: the case number, the item
    (named by the kiosk in that language) and the receipt QR's link."""
    words = SMS_WORDS.get(language, SMS_WORDS["zh-Hans"])
    return words.format(item=item_name, number=case_number, link=lookup_link)


def link_fits(lookup_link: str, case_number: str, token_sha256: str | None) -> bool:
    """Whether ``lookup_link`` names the case and carries the lookup token whose SHA-256 the case holds."""
    tokens = parse_qs(urlsplit(lookup_link).query).get("token", [])
    if token_sha256 is None or case_number not in lookup_link or len(tokens) != 1:
        return False
    return hmac.compare_digest(lookup_digest(tokens[0]).encode("ascii"), token_sha256.encode("ascii"))


@dataclass(frozen=True)
class _Draft:
    """What a claimed row turned into: an SMS to send, or a final status without one."""

    message: SmsMessage | None
    status: ReceiptSmsStatus
    attempts: int
    problem: str | None = None  # the case or the link cannot be read: a failure, tried again later


class ReceiptSms:
    """Requests in, texts out: ``ask`` (the kiosk route), ``case_arrived`` (intake), ``round`` (periodic)."""

    def __init__(self, engine: Engine, cipher: PayloadCipher, notifier: SmsNotifier, *,
                 every_s: float = ROUND_EVERY_S, max_attempts: int = MAX_ATTEMPTS,
                 retry_after: timedelta = RETRY_AFTER) -> None:
        self.engine, self.cipher, self.notifier = engine, cipher, notifier
        self.max_attempts, self.retry_after = max_attempts, retry_after
        self.rounds = Periodic("receipt-sms", every_s, self.round)

    def start(self) -> None:
        self.rounds.start()

    def stop(self) -> None:
        self.rounds.stop()

    # --- the three ways in ---------------------------------------------------------------

    def ask(self, case_number: str, request: ReceiptSmsRequest, caller: Caller,
            now: datetime | None = None) -> tuple[ReceiptSmsAck, bool]:
        """Keep the request (once per case) and send at once if the case is here; return where it
        stands and whether it is new. ``NotYourCase`` for another terminal's case or request."""
        now = now or utcnow()
        with Session(self.engine.execution_options(readonly=True)) as session:
            terminal = session.scalar(select(CaseRow.terminal_id).where(CaseRow.case_number == case_number))
        if terminal is not None and not caller.may_act_for(terminal):
            raise NotYourCase(case_number)
        created = self._keep(case_number, request, caller.name, now)
        if not created:
            with Session(self.engine.execution_options(readonly=True)) as session:
                asker = session.scalar(select(ReceiptSmsRow.terminal_id)
                                       .where(ReceiptSmsRow.case_number == case_number))
            if asker is None or not caller.may_act_for(asker):
                raise NotYourCase(case_number)
        else:
            log.info("receipt SMS asked for case %s by %s", case_number, caller.name)
        self.deliver(case_number, now)
        return ReceiptSmsAck(case_number=case_number, status=self.status(case_number)), created

    def case_arrived(self, case_number: str) -> None:
        """A case was stored: text it now if its request came first. Runs after the reply, so a
        failure here (the database gone a moment) is logged and left to the next round."""
        try:
            self.deliver(case_number)
        except SQLAlchemyError as err:
            log.warning("receipt SMS of case %s left to the next round: %s", case_number, type(err).__name__)

    def round(self, now: datetime | None = None) -> int:
        """Send what is due (failed sends, requests whose case came meanwhile, stuck sends) and
        purge old requests; return how many were sent."""
        now = now or utcnow()
        with Session(self.engine.execution_options(readonly=True)) as session:
            due = list(session.scalars(select(ReceiptSmsRow.case_number).where(self._due(now))
                                       .order_by(ReceiptSmsRow.id).limit(100)))
        sent = sum(self.deliver(number, now) is _S.SENT for number in due)
        self.purge(now)
        return sent

    # --- sending ----------------------------------------------------------------------------

    def deliver(self, case_number: str, now: datetime | None = None) -> ReceiptSmsStatus | None:
        """Claim the case's request if it is due and its case is here, and send it; return the
        outcome, or None when there was nothing to do (or another process is on it)."""
        now = now or utcnow()
        if not self._claim(case_number, now):
            return None
        draft = self._draft(case_number, now)
        if draft.problem is not None:
            return self._failed(case_number, draft.attempts, draft.problem, now)
        if draft.message is None:
            self._settle(case_number, draft.status, now)
            return draft.status
        try:
            self.notifier.send(draft.message)
        except NotifyFailed as err:  # its text says why, never what was sent
            return self._failed(case_number, draft.attempts, str(err)[:120], now)
        except Exception as err:  # noqa: BLE001 - whatever the gateway does, the row must move on
            return self._failed(case_number, draft.attempts, type(err).__name__, now)
        self._settle(case_number, _S.SENT, now)
        log.info("receipt SMS of case %s sent to %s", case_number, draft.message.masked)
        return _S.SENT

    def _due(self, now: datetime) -> ColumnElement[bool]:
        """The SQL condition of a request that may be claimed now: its case is here, and it waits or is due."""
        case_here = select(CaseRow.id).where(CaseRow.case_number == ReceiptSmsRow.case_number).exists()
        return and_(case_here, or_(
            ReceiptSmsRow.status == _S.WAITING.value,
            and_(ReceiptSmsRow.status == _S.FAILED.value, ReceiptSmsRow.next_attempt_at <= now),
            and_(ReceiptSmsRow.status == _S.SENDING.value, ReceiptSmsRow.attempted_at < now - STUCK_AFTER)))

    def _claim(self, case_number: str, now: datetime) -> bool:
        with Session(self.engine) as session, session.begin():
            claimed = session.execute(
                update(ReceiptSmsRow).where(ReceiptSmsRow.case_number == case_number, self._due(now))
                .values(status=_S.SENDING.value, attempted_at=now, attempts=ReceiptSmsRow.attempts + 1)
                .execution_options(synchronize_session=False))
            return bool(claimed.rowcount)  # type: ignore[attr-defined]

    def _draft(self, case_number: str, now: datetime) -> _Draft:
        """Read the claimed request and its case (recording the read of the phone): the SMS, or why none."""
        with Session(self.engine) as session, session.begin():
            row = session.scalars(select(ReceiptSmsRow).where(ReceiptSmsRow.case_number == case_number)).one()
            case = session.scalars(select(CaseRow).where(CaseRow.case_number == case_number)).one()
            if row.terminal_id != "*" and row.terminal_id != case.terminal_id:
                log.warning("receipt SMS of case %s refused: asked by %s, not the case's kiosk",
                            case_number, row.terminal_id)
                return _Draft(None, _S.REFUSED, row.attempts)
            try:
                link = self.cipher.open(row.lookup_link, case_number=case_number, idempotency_key=_CONTEXT)
                answers = CaseSubmission.model_validate_json(self.cipher.open(
                    case.payload, case_number=case_number, idempotency_key=case.idempotency_key)).answers
            except (PayloadKeyError, ValidationError) as err:
                return _Draft(None, _S.FAILED, row.attempts, f"unreadable: {type(err).__name__}")
            if not link_fits(link, case_number, case.lookup_token_sha256):
                log.warning("receipt SMS of case %s refused: the link is not the case's", case_number)
                return _Draft(None, _S.REFUSED, row.attempts)
            session.add(CaseReadRow(case_id=case.id, reader=READER, role="system", at=now, what="phone"))
            phone = answers.get(row.phone_field, "").strip()
            if not MOBILE.fullmatch(phone):
                log.info("receipt SMS of case %s not sent: no mobile number in the case", case_number)
                return _Draft(None, _S.NO_PHONE, row.attempts)
            row.masked_phone = mask_phone(phone)
            return _Draft(SmsMessage(case_number, phone, sms_text(case_number, row.item_name, link, row.language)),
                          _S.SENDING, row.attempts)

    def _failed(self, case_number: str, attempts: int, why: str, now: datetime) -> ReceiptSmsStatus:
        final = attempts >= self.max_attempts
        status = _S.GAVE_UP if final else _S.FAILED
        with Session(self.engine) as session, session.begin():
            session.execute(update(ReceiptSmsRow).where(ReceiptSmsRow.case_number == case_number).values(
                status=status.value, last_error=why,
                next_attempt_at=None if final else now + self.retry_after * 2 ** (attempts - 1),
                settled_at=now if final else None, lookup_link="" if final else ReceiptSmsRow.lookup_link))
        log.warning("receipt SMS of case %s not sent (try %d of %d): %s", case_number, attempts,
                    self.max_attempts, why)
        return status

    def _settle(self, case_number: str, status: ReceiptSmsStatus, now: datetime) -> None:
        """A final status: the link (and its token) is forgotten."""
        with Session(self.engine) as session, session.begin():
            session.execute(update(ReceiptSmsRow).where(ReceiptSmsRow.case_number == case_number).values(
                status=status.value, settled_at=now, next_attempt_at=None, lookup_link="", last_error=None))

    # --- keeping ----------------------------------------------------------------------------

    def _keep(self, case_number: str, request: ReceiptSmsRequest, terminal_id: str, now: datetime) -> bool:
        row = ReceiptSmsRow(
            case_number=case_number, terminal_id=terminal_id, phone_field=request.phone_field,
            item_name=request.item_name, language=request.language, status=_S.WAITING.value, attempts=0,
            lookup_link=self.cipher.seal(request.lookup_link, case_number=case_number, idempotency_key=_CONTEXT),
            requested_at=request.requested_at, received_at=now)
        try:
            with Session(self.engine) as session, session.begin():
                session.add(row)
        except IntegrityError:  # held already (asked again, or by two connections at once)
            return False
        return True

    def status(self, case_number: str) -> ReceiptSmsStatus:
        """Where the case's request stands (``KeyError`` when there is none)."""
        with Session(self.engine.execution_options(readonly=True)) as session:
            found = session.scalar(select(ReceiptSmsRow.status).where(ReceiptSmsRow.case_number == case_number))
        if found is None:
            raise KeyError(case_number)
        return ReceiptSmsStatus(found)

    def purge(self, now: datetime | None = None) -> int:
        """Delete requests settled (or received and never answered by a case) more than ``RETENTION`` ago."""
        cutoff = (now or utcnow()) - RETENTION
        with Session(self.engine) as session, session.begin():
            gone = session.execute(delete(ReceiptSmsRow).where(or_(
                ReceiptSmsRow.settled_at < cutoff,
                and_(ReceiptSmsRow.status == _S.WAITING.value, ReceiptSmsRow.received_at < cutoff))))
            return int(gone.rowcount)  # type: ignore[attr-defined]

