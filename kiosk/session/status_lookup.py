"""Status lookup (办件查询): what a resident at the lookup screen sees, and how they got there.

Three ways to a case's status, each answering only the fixed words of its state
(``contract.resident_status``, here by message id so they translate) and what to do next:

- **The receipt's QR**, scanned while the attract, identify or lookup screen shows: the
  anonymous receipt lookup (``GET /api/v1/lookup/{n}``), the same a phone makes. The token
  printed in the code proves the holder, so nothing else is asked.
- **A typed case number** (15 digits on the numeric keypad, shown grouped 8-3-4 as the receipt
  prints it) and then the last 4 digits of the mobile number given on the case. The number
  alone would not do: it is a date, the terminal and a daily count from 0001, so anyone could
  list a day's cases and see what each neighbour applied for. The digits are checked at the
  centre against a keyed hash (``contract.status_lookup``), per kiosk and per case rate-limited.
  A case without a mobile number is found by its QR or the card only.
- **The ID card** placed on the reader while the lookup screen shows: the holder's own cases of
  the last 90 days, newest first, at most 10, a page at a time on the screen. The ID number
  goes to the centre in a request body (TLS), never a URL; the centre finds the cases by a
  keyed hash of it. The card is read for this lookup only: it starts no session.

Every failure says what happened and offers a way on (try again, another way, Home): the
centre unreachable, no such case (or other digits: one answer for both), too many tries, a
card that could not be read. The centre is asked on a thread of its own; its answer comes back
through the terminal's queue (``LookupAnswered``) and one that arrives after the resident left
is dropped. Nothing personal is logged: a failure logs its error type alone. Leaving the
lookup step (Home, Back, the inactivity countdown) forgets everything shown.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from contract.clock import CLOCK_TOLERANCE
from contract.materials import MATERIAL_LABELS
from contract.vocabulary import CaseState, IdType
from contract.wire import ResidentCaseView
from drivers.errors import DriverError
from drivers.idcard.record import IdCardRecord
from kiosk.errors import CardNotAccepted, CentreError, CentreRejected
from kiosk.events import LookupAnswered
from kiosk.messages import Message, MessageId, message
from kiosk.session.scanned_codes import ReceiptLookup, is_case_number
from kiosk.session.session import Session, Step

log = logging.getLogger(__name__)

CASE_NUMBER_DIGITS = 15
PHONE_TAIL_DIGITS = 4
CASE_STATES: dict[CaseState, tuple[MessageId, MessageId]] = {  # state -> (status words, next step)
    CaseState.RECEIVED: (MessageId.CASE_RECEIVED, MessageId.CASE_NEXT_RECEIVED),
    CaseState.CLAIMED: (MessageId.CASE_CLAIMED, MessageId.CASE_NEXT_CLAIMED),
    CaseState.ACCEPTED: (MessageId.CASE_ACCEPTED, MessageId.CASE_NEXT_ACCEPTED),
    CaseState.MORE_MATERIALS_NEEDED: (MessageId.CASE_MORE_MATERIALS_NEEDED, MessageId.CASE_NEXT_MORE_MATERIALS_NEEDED),
    CaseState.REJECTED: (MessageId.CASE_REJECTED, MessageId.CASE_NEXT_REJECTED),
    CaseState.COMPLETED: (MessageId.CASE_COMPLETED, MessageId.CASE_NEXT_COMPLETED),
    # The centre's matter, not the resident's: they wait as for any case.
    CaseState.QUARANTINED: (MessageId.CASE_RECEIVED, MessageId.CASE_NEXT_RECEIVED),
}


class StatusSource(Protocol):
    """What the lookup asks of the centre (``kiosk.delivery.centre_client.CentreClient``)."""

    def lookup(self, case_number: str, token: str) -> ResidentCaseView: ...

    def status_by_number(self, case_number: str, phone_tail: str) -> ResidentCaseView: ...

    def status_by_card(self, id_type: IdType, id_number: str) -> tuple[ResidentCaseView, ...]: ...


class View(enum.StrEnum):
    """What the lookup screen shows."""

    WAYS = "ways"  # the three ways in
    NUMBER = "number"  # typing the case number
    TAIL = "tail"  # typing the phone's last 4 digits
    WAITING = "waiting"
    CASE = "case"  # one case's status and next step
    LIST = "list"  # the card holder's cases
    PROBLEM = "problem"  # why not, and the ways on


LISTED_MATERIALS = frozenset(MATERIAL_LABELS.values())


@dataclass(frozen=True)
class FoundCase:
    """One case as the resident reads it: no name, no answers, only the item's public name."""

    case_number: str
    item_id: str
    status: MessageId
    next_step: MessageId
    missing: tuple[str, ...]
    updated: date


Answer = tuple[FoundCase, ...] | Message  # the cases found, or why none


def found(view: ResidentCaseView) -> FoundCase:
    status, next_step = CASE_STATES[view.status]
    return FoundCase(view.case_number, view.item_id, status, next_step, tuple(view.missing),
                     view.updated_at.astimezone().date())


def is_listed_material(line: str) -> bool:
    """Whether a line of what is missing is from the clerks' list of materials (words the kiosk
    translates) rather than a line a clerk wrote (shown as written)."""
    return line in LISTED_MATERIALS


def grouped_case_number(digits: str) -> str:
    """A case number as the receipt prints it: date, terminal, sequence (8-3-4)."""
    return " ".join(part for part in (digits[:8], digits[8:11], digits[11:]) if part)


@dataclass(frozen=True)
class _Request:
    serial: int
    ask: Callable[[StatusSource], Answer]
    by_card: bool


class StatusLookups:
    """The lookup screen's state; every method runs on the terminal's (UI) thread."""

    def __init__(self, session: Session, post: Callable[[LookupAnswered], None],
                 today: Callable[[], datetime]) -> None:
        self.session = session
        self.post = post
        self.today = today
        self.source: StatusSource | None = None  # the centre, once connected
        self.view = View.WAYS
        self.number = ""  # the case number typed so far (digits)
        self.cases: tuple[FoundCase, ...] = ()
        self.chosen: FoundCase | None = None
        self.problem: Message | None = None  # on PROBLEM: why; on NUMBER/TAIL: what to fix
        self.by_card = False  # the cases shown came from the card (a list to go back to)
        self._request: _Request | None = None
        self._serial = 0
        self._listeners: list[Callable[[StatusLookups], None]] = []
        session.subscribe(self._session_changed)

    def subscribe(self, listener: Callable[[StatusLookups], None]) -> None:
        self._listeners.append(listener)

    def _show(self, view: View, problem: Message | None = None) -> None:
        self.view, self.problem = view, problem
        for listener in list(self._listeners):
            listener(self)

    def _session_changed(self, session: Session) -> None:
        if session.step is not Step.LOOKUP and (self.view is not View.WAYS or self.cases or self.number):
            self.reset()

    def reset(self) -> None:
        """Forget everything shown; the three ways again."""
        self._serial += 1  # an answer still on its way is dropped
        self._request = None
        self.number, self.cases, self.chosen, self.by_card = "", (), None, False
        self._show(View.WAYS)

    # --- the three ways ---------------------------------------------------------------

    def type_number(self) -> None:
        self.number = ""
        self._show(View.NUMBER)

    def number_typed(self, digits: str) -> None:
        """The resident pressed Next under the case number."""
        if len(digits) != CASE_NUMBER_DIGITS or not is_case_number(digits):
            self._show(View.NUMBER, message(MessageId.LOOKUP_NUMBER_INCOMPLETE))
            return
        self.number = digits
        self._show(View.TAIL)

    def tail_typed(self, digits: str) -> None:
        """The resident pressed Search under the phone's last 4 digits."""
        if len(digits) != PHONE_TAIL_DIGITS or not digits.isdigit():
            self._show(View.TAIL, message(MessageId.LOOKUP_PHONE_TAIL_INCOMPLETE))
            return
        number = self.number
        self._ask(lambda source: (found(source.status_by_number(number, digits)),), by_card=False)

    def receipt_scanned(self, code: ReceiptLookup) -> None:
        """A receipt's QR on the attract, identify or lookup screen: its case, by its token."""
        if self.session.step is not Step.LOOKUP:
            self.session.open_lookup()
        self._ask(lambda source: (found(source.lookup(code.case_number, code.token)),), by_card=False)

    def card_placed(self, record: IdCardRecord) -> None:
        """A card on the reader while the lookup screen shows: the holder's own cases."""
        from kiosk.session.identity import identity_from_card

        try:
            identity = identity_from_card(record, (self.today() - CLOCK_TOLERANCE).date())  # a fast clock's midnight
        except CardNotAccepted as err:
            self._show(View.PROBLEM, err.message)
            return
        id_type, id_number = identity.id_type, identity.id_number
        self._ask(lambda source: tuple(found(view) for view in source.status_by_card(id_type, id_number)),
                  by_card=True)

    def card_failed(self, error: type[DriverError]) -> None:
        from kiosk.session.identification import reader_fault_message

        self._show(View.PROBLEM, message(reader_fault_message(error)))

    def code_refused(self, problem: Message) -> None:
        """A scanned code that is no receipt's (or is damaged): say so, stay on the lookup."""
        self._show(View.PROBLEM, problem)

    # --- what was found ------------------------------------------------------------------

    def choose(self, case: FoundCase) -> None:
        """One case of the card's list: its status and next step."""
        self.chosen = case
        self._show(View.CASE)

    def to_list(self) -> None:
        self.chosen = None
        self._show(View.LIST)

    def retry(self) -> None:
        """Ask the centre again (after it could not be reached, or was asked too often)."""
        if self._request is not None:
            self._ask(self._request.ask, self._request.by_card)
        else:
            self.reset()

    # --- asking the centre -----------------------------------------------------------------

    def _ask(self, ask: Callable[[StatusSource], Answer], by_card: bool) -> None:
        self._serial += 1
        request = self._request = _Request(self._serial, ask, by_card)
        self.cases, self.chosen = (), None
        self._show(View.WAITING)
        source = self.source
        if source is None:  # not connected yet: the centre cannot be asked
            self.answered(request.serial, message(MessageId.LOOKUP_UNREACHABLE))
            return
        threading.Thread(target=self._run, args=(request, source), name="status-lookup", daemon=True).start()

    def _run(self, request: _Request, source: StatusSource) -> None:
        """On a thread of its own: ask, then post the answer to the terminal's queue."""
        try:
            answer: Answer = request.ask(source)
        except CentreRejected as err:
            log.info("status lookup: nothing found (%s)", err.detail)
            answer = message(MessageId.LOOKUP_NOT_FOUND)
        except CentreError as err:
            log.info("status lookup failed: %s %s", type(err).__name__, err.detail)
            too_many = err.message.id is MessageId.LOOKUP_TOO_MANY
            answer = message(MessageId.LOOKUP_TOO_MANY if too_many else MessageId.LOOKUP_UNREACHABLE)
        self.post(LookupAnswered(request.serial, answer))

    def answered(self, serial: int, answer: Answer) -> None:
        """The centre's answer (on the terminal's thread); one for an older request is dropped."""
        request = self._request
        if request is None or serial != request.serial or self.session.step is not Step.LOOKUP:
            return
        self.by_card = request.by_card
        if isinstance(answer, Message):
            self._show(View.PROBLEM, answer)
        elif request.by_card:
            self.cases = answer
            self._show(View.LIST, None if answer else message(MessageId.LOOKUP_NONE_RECENT))
        else:
            self.cases = answer
            self.chosen = answer[0]
            self._show(View.CASE)

    def __repr__(self) -> str:
        return f"StatusLookups({self.view.value}, {len(self.cases)} cases)"


__all__ = ["FoundCase", "StatusLookups", "View", "found", "grouped_case_number"]
