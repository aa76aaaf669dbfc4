"""One resident's session as a state machine, with no UI in it.

    attract → identify → choose → guide → [face] → [documents] → form (one question a step) → review
            → [submit] → receipt → rating → farewell → (wipe) → attract

Screens observe a session (``subscribe``) and call its actions; the terminal feeds it
device events and the outcome of submitting and printing. Every action runs on one
thread (the UI's, or a test's). ``wipe`` drops every piece of personal data and returns to
attract; inactivity leads there too, after a visible countdown that a tap extends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from contract.vocabulary import Delivery
from kiosk.catalog.application import Application, application_for
from kiosk.catalog.fields import check_answer
from kiosk.catalog.model import Catalog, Channel, Field, Item
from kiosk.config.settings import Timeouts
from kiosk.errors import SessionError
from kiosk.messages import DEFAULT_LANGUAGE, LANGUAGES, CatalogText, Message, MessageId, message, say
from kiosk.session.assistance import NOT_ASSISTED, Assistance
from kiosk.session.booking import AppointmentBooking, BookingKeys, BookingState, SlotChoice
from kiosk.session.identity import Identity
from kiosk.session.inactivity import Idle
from kiosk.session.outcome import RATINGS, PrintState, Rating, ReviewRow, SmsState, SubmittedCase
from kiosk.session.questions import asked_questions, review_rows
from kiosk.session.steps import Step

FAREWELL_SECONDS = 8


Listener = Callable[["Session"], None]


@dataclass
class Session:
    """The resident session. Read its fields; change it only through its methods."""

    catalog: Catalog  # what this site offers now (switched only between sessions)
    timeouts: Timeouts
    clock: Callable[[], float] = time.monotonic
    step: Step = Step.ATTRACT
    identity: Identity | None = None
    item: Application | None = None  # what is applied for: an item or a bundle
    usage: dict[str, int] = field(default_factory=dict)  # cases per item here lately (ranking)
    answers: dict[str, str] = field(default_factory=dict)
    form_index: int = 0
    editing_from_review: bool = False
    commitments: list[bool] = field(default_factory=list)
    error_message: Message | None = None  # what to fix on the current step ("请检查以下内容")
    notice_message: Message | None = None  # an informational line for the current step
    language: str = DEFAULT_LANGUAGE
    case: SubmittedCase | None = None
    rating: Rating | None = None
    booking: AppointmentBooking | None = None  # a counter-only item's slot being booked
    booking_keys: BookingKeys = field(default_factory=BookingKeys)  # a counter slot's idempotency keys
    elder_mode: bool = False
    assistance: Assistance = NOT_ASSISTED  # 帮办: the member of staff helping (``kiosk.session.assistance``)
    _idle: Idle = field(init=False)
    _listeners: list[Listener] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self._idle = Idle(self.clock())

    @property
    def items(self) -> tuple[Item, ...]:
        return self.catalog.items

    def switch_catalog(self, catalog: Catalog) -> bool:
        """Use a newer catalogue from the next session on; never in the middle of one."""
        if self.step is not Step.ATTRACT:
            return False
        self.catalog = catalog
        return True

    @property
    def error(self) -> str:
        """The current step's error, in the resident's words ("" when there is none)."""
        return say(self.error_message, self.language)

    @property
    def notice(self) -> str:
        """The current step's notice, in the resident's words ("" when there is none)."""
        return say(self.notice_message, self.language)

    def say(self, msg: Message | MessageId | None) -> str:
        """Any message in this session's language."""
        return say(msg, self.language)

    # --- observation ---------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    def _go(self, step: Step) -> None:
        self.step = step
        self.error_message = None
        self.notice_message = None
        self._idle = Idle(self.clock())
        self._changed()

    # --- the flow ------------------------------------------------------------------

    def begin(self) -> None:
        """The resident touched the attract screen."""
        self._require(Step.ATTRACT)
        self._go(Step.IDENTIFY)

    def identified(self, identity: Identity) -> None:
        """A card or login code proved who the resident is."""
        self._require(Step.ATTRACT, Step.IDENTIFY)
        self.identity = identity
        self._go(Step.CHOOSE)

    def identification_failed(self, problem: Message) -> None:
        """A card or code could not be used; say why on the identify screen."""
        if self.step is Step.ATTRACT:
            self._go(Step.IDENTIFY)
        if self.step is Step.IDENTIFY:
            self.error_message = problem
            self._changed()

    def open_lookup(self) -> None:
        """The attract screen's 办件查询 tile, or a receipt's QR before anyone identified."""
        self._require(Step.ATTRACT, Step.IDENTIFY)
        self._go(Step.LOOKUP)

    def assisted(self, assistance: Assistance, notice: Message | None = None, problem: Message | None = None) -> None:
        """Assisted mode moved on (on the identify step): waiting for a staff code, or staff known."""
        if self.step is Step.ATTRACT:
            self._go(Step.IDENTIFY)
        if self.step is Step.IDENTIFY:
            self.assistance = assistance
            self.notice_message, self.error_message = notice, problem
            self._touch()
            self._changed()

    def choose(self, item_id: str) -> None:
        """An item or a bundle was chosen: show its guide."""
        self._require(Step.CHOOSE)
        try:
            self.item = application_for(self.catalog, item_id)
        except KeyError:
            raise SessionError(MessageId.ITEM_NOT_OFFERED) from None
        self.answers = {}
        self.commitments = [False] * len(self.item.commitments)
        self._go(Step.GUIDE)

    def start_appointment(self) -> None:
        """A counter-only item: book a slot at the counter instead of filling in a form."""
        self._require(Step.GUIDE)
        if self.item is None or self.item.channel is not Channel.COUNTER:
            raise SessionError(MessageId.ITEM_NOT_OFFERED)
        self.booking = AppointmentBooking()
        self._go(Step.APPOINTMENT)

    def slots_arrived(self, slots: tuple[SlotChoice, ...], problem: Message | None = None) -> None:
        """The centre answered with the counter's free slots (or could not)."""
        if self.step is Step.APPOINTMENT and self.booking is not None:
            self.booking.slots_arrived(slots, problem)
            self._changed()

    def pick_slot(self, slot: SlotChoice) -> None:
        """The resident tapped a slot; the terminal books it."""
        self._require(Step.APPOINTMENT)
        assert self.booking is not None
        self._touch()
        self.booking.pick(slot.start)
        self._changed()

    def booking_refused(self, problem: Message, slot_full: bool) -> None:
        if self.step is Step.APPOINTMENT and self.booking is not None:
            self.booking.refused(problem, slot_full)
            self._changed()

    def appointment_booked(self, slip: SubmittedCase) -> None:
        """The slot is booked: show (and print) the slip."""
        if self.step is Step.APPOINTMENT:
            self.case = slip
            self._go(Step.RECEIPT)

    def certificate_update(self, state: PrintState, problem: Message | None = None) -> None:
        """The A4 printer started, finished or failed an instant-print certificate."""
        if self.case is None or self.step is not Step.RECEIPT:
            return
        self.case.certificate_state = state
        self.case.certificate_problem = problem
        self._idle = Idle(self.clock())
        self._changed()

    def before_form(self, step: Step) -> None:
        """A step before the form: the face check (``face_step``) or papers to photograph (``document_step``)."""
        self._require(Step.GUIDE, Step.FACE, Step.DOCUMENTS)
        self._go(step)

    def identify_again(self, notice: Message | None = None) -> None:
        """Prove who one is another way (QR login, or staff, instead of the face check): to identify."""
        self._require(Step.FACE)
        self.identity, self.item, self.answers = None, None, {}
        self._go(Step.IDENTIFY)
        self.notice_message = notice
        self._changed()

    def start_form(self) -> None:
        """The resident read the guide (passed the face check, photographed the papers) and applies."""
        self._require(Step.GUIDE, Step.FACE, Step.DOCUMENTS)
        self.form_index = 0
        self.editing_from_review = False
        if self.questions:
            self._go(Step.FORM)
        else:
            self._go(Step.REVIEW)

    @property
    def questions(self) -> tuple[Field, ...]:
        """The fields asked one per step, as the answers so far call for them."""
        return asked_questions(self.item, self.answers, self.language) if self.item is not None else ()

    def submitted_answers(self) -> dict[str, str]:
        """The answers to the questions asked now (an answer a later change made moot is left out)."""
        asked = {q.id for q in self.questions}
        return {key: value for key, value in self.answers.items() if key in asked and key != "delivery"}

    def _unanswered(self) -> int | None:
        for index, question in enumerate(self.questions):
            if question.id not in self.answers and question.required:
                return index
        return None

    @property
    def question(self) -> Field:
        self._require(Step.FORM)
        return self.questions[self.form_index]

    def answer(self, value: str) -> bool:
        """Record the answer to the current question; move on when it is acceptable."""
        self._require(Step.FORM)
        question = self.question
        self._touch()
        problem = check_answer(question, value)
        if problem:
            self.error_message = problem
            self._changed()
            return False
        self.answers[question.id] = value.strip()
        if self.editing_from_review:
            # A changed answer can call for questions not asked before: ask those, then review.
            pending = self._unanswered()
            if pending is not None:
                self.form_index = pending
                self._go(Step.FORM)
            else:
                self.editing_from_review = False
                self._go(Step.REVIEW)
        elif self.form_index >= len(self.questions) - 1:
            self._go(Step.REVIEW)
        else:
            self.form_index += 1
            self._go(Step.FORM)
        return True

    def change(self, field_id: str) -> None:
        """From the review: answer one question again, then come back."""
        self._require(Step.REVIEW)
        ids = [q.id for q in self.questions]
        if field_id not in ids:
            raise SessionError(MessageId.FIELD_FROM_CARD)
        self.form_index = ids.index(field_id)
        self.editing_from_review = True
        self._go(Step.FORM)

    def set_commitment(self, index: int, accepted: bool) -> None:
        self._require(Step.REVIEW)
        self.commitments[index] = accepted
        self.error_message = None
        self._touch()
        self._changed()

    def accept_commitments(self, accepted: bool) -> None:
        """One tick for every commitment the application holds: one signature, as a bundle takes."""
        self._require(Step.REVIEW)
        self.commitments = [accepted] * len(self.commitments)
        self.error_message = None
        self._touch()
        self._changed()

    def rows(self) -> list[ReviewRow]:
        """The review's rows: the card's values, then each question asked, then delivery."""
        if self.item is None or self.identity is None:
            return []
        return review_rows(self.item, self.identity, self.answers, self.language)

    def ready_to_submit(self) -> bool:
        """True when every question is answered and every commitment accepted."""
        if self.step is not Step.REVIEW or self.item is None or self.identity is None:
            return False
        missing = [q for q in self.questions if check_answer(q, self.answers.get(q.id, ""))]
        if missing:
            self.error_message = message(MessageId.REVIEW_MISSING, label=CatalogText(missing[0].label))
        elif not all(self.commitments):
            self.error_message = message(MessageId.REVIEW_COMMITMENTS)
        else:
            return True
        self._changed()
        return False

    def refuse(self, problem: Message) -> None:
        """The case could not be taken (e.g. the disk is full); say so on the review."""
        self.error_message = problem
        self.notice_message = None
        self._changed()

    @property
    def delivery(self) -> Delivery:
        if self.item is None:
            raise SessionError(MessageId.STEP_EXPIRED)
        if len(self.item.delivery) == 1:
            return self.item.delivery[0]
        try:
            return Delivery(self.answers.get("delivery", ""))
        except ValueError:
            raise SessionError(MessageId.CHOOSE_DELIVERY) from None

    def submitted(self, case: SubmittedCase) -> None:
        """The case is safe in the outbox; show its receipt."""
        self._require(Step.REVIEW)
        self.case = case
        self._go(Step.RECEIPT)

    def print_update(self, state: PrintState, problem: Message | None = None) -> None:
        """The printer started, finished or failed the receipt."""
        if self.case is None or self.step is not Step.RECEIPT:
            return
        self.case.print_state = state
        self.case.print_problem = problem
        self._idle = Idle(self.clock())
        self._changed()

    def case_sent(self, case_number: str) -> None:
        """The centre acknowledged the case shown on this session's receipt."""
        if self.case is not None and self.case.case_number == case_number:
            self.case.sent_to_centre = True
            self._changed()

    def receipt_sms(self, case_number: str, state: SmsState) -> None:
        """Texting the receipt of the case shown moved on (``kiosk.applying``)."""
        if self.case is not None and self.case.case_number == case_number:
            self.case.sms = state
            self._changed()

    def to_rating(self) -> None:
        self._require(Step.RECEIPT)
        self._go(Step.RATING)

    def rate(self, level: int | None, reasons: tuple[str, ...] = ()) -> None:
        """One rating per case (1 = 非常满意 … 5 = 非常不满意), or None to skip."""
        self._require(Step.RATING)
        if level is not None:
            if not 1 <= level <= len(RATINGS):
                raise SessionError(MessageId.CHOOSE_RATING)
            self.rating = Rating(level, reasons if level >= 4 else ())
        self._go(Step.FAREWELL)

    def back(self) -> None:
        """The footer's Back: one step back, or home where there is nothing behind."""
        self._touch()
        if self.step is Step.FORM:
            if self.editing_from_review:
                self.editing_from_review = False
                self._go(Step.REVIEW)
            elif self.form_index > 0:
                self.form_index -= 1
                self._go(Step.FORM)
            else:
                self._go(Step.GUIDE)
        elif self.step is Step.REVIEW:
            if self.questions:
                self.form_index = len(self.questions) - 1
                self._go(Step.FORM)
            else:
                self._go(Step.GUIDE)
        elif self.step is Step.APPOINTMENT:
            if self.booking is None or self.booking.state is not BookingState.BOOKING:
                self.booking = None
                self._go(Step.GUIDE)
        elif self.step in (Step.FACE, Step.DOCUMENTS):
            self._go(Step.GUIDE)
        elif self.step is Step.GUIDE:
            self.item, self.answers = None, {}
            self._go(Step.CHOOSE)
        elif self.step is Step.RATING:
            self._go(Step.RECEIPT)
        elif self.step is Step.RECEIPT and self.printing:
            return
        else:
            self.wipe()

    @property
    def printing(self) -> bool:
        """A receipt or a certificate is coming out: the session must not end under it."""
        if self.case is None:
            return False
        return PrintState.PRINTING in (self.case.print_state, self.case.certificate_state)

    def home(self) -> None:
        """The footer's Home: end the session (not while a receipt is printing)."""
        if self.printing:
            return
        self.wipe()

    def wipe(self) -> None:
        """Forget everything about the resident and return to attract."""
        self.identity = None
        self.item = None
        self.answers = {}
        self.form_index = 0
        self.editing_from_review = False
        self.commitments = []
        self.case = None
        self.rating = None
        self.booking = None
        self.booking_keys = BookingKeys()
        self.assistance = NOT_ASSISTED
        self.elder_mode = False
        self.language = DEFAULT_LANGUAGE
        self._go(Step.ATTRACT)

    def set_language(self, language: str) -> None:
        """Show the session in ``language`` from now on: the step and the answers stay as they are."""
        if language not in LANGUAGES:
            raise ValueError(f"language {language!r}: use one of {', '.join(LANGUAGES)}")
        self.language = language
        self._touch()
        self._changed()

    def toggle_elder_mode(self) -> None:
        self.elder_mode = not self.elder_mode
        self._touch()
        self._changed()

    # --- inactivity ------------------------------------------------------------------

    def touched(self) -> None:
        """Any tap on the screen: it extends the countdown if one is running."""
        if self.countdown() is not None:
            if self._idle.extensions >= self.timeouts.max_extensions:
                return
            self._idle = Idle(self.clock(), self._idle.extensions + 1)
            self._changed()
        else:
            self._touch()

    def _touch(self) -> None:
        self._idle = Idle(self.clock(), self._idle.extensions)

    def idle_limit(self) -> float | None:
        """Seconds of inactivity allowed on this step before the countdown, or None."""
        if self.step is Step.ATTRACT or self.printing:
            return None
        if self.step is Step.FAREWELL:
            return 0
        return self.timeouts.idle_limit(self.step.value)

    def countdown(self) -> int | None:
        """Whole seconds left before the wipe while the countdown shows, else None."""
        limit = self.idle_limit()
        if limit is None or self.step is Step.FAREWELL:
            return None
        idle = self.clock() - self._idle.last_activity
        if idle < limit:
            return None
        return max(0, int(limit + self.timeouts.warning - idle + 0.999))

    def tick(self) -> None:
        """Called about once a second: wipe an abandoned session."""
        limit = self.idle_limit()
        if limit is None:
            return
        idle = self.clock() - self._idle.last_activity
        grace = FAREWELL_SECONDS if self.step is Step.FAREWELL else self.timeouts.warning
        if idle >= limit + grace:
            self.wipe()
        elif idle >= limit:
            self._changed()  # the countdown's number changed

    def _require(self, *steps: Step) -> None:
        if self.step not in steps:
            raise SessionError(MessageId.STEP_EXPIRED)

