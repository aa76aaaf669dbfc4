"""The help call-back form (请工作人员回电): what "需要帮助" offers outside staffed hours.

Outside the site's staffed hours (``Site.staffed_at``) Help opens this form instead of the
"please ask at the desk" line: the resident gives a mobile number (typed on the number pad,
or the one this session already knows confirmed with one tap, shown masked), ticks the
consent, and sends; ``kiosk.delivery.callbacks`` delivers it. The form holds the number only
while it is open: closing it (or the session's end) forgets it.

    closed ──open──▶ editing ──send (number and consent ok)──▶ sending ──▶ sent | failed
       ▲                └─ send refused: a problem to show, still editing
       └──────────── close (any state) ──────────────────────────────────────────┘
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from datetime import datetime

from kiosk.catalog.fields import PHONE, FieldKind
from kiosk.config.settings import Site
from kiosk.delivery.callbacks import CallbackSender
from kiosk.messages import Message, MessageId, message
from kiosk.session.privacy import mask_phone
from kiosk.session.session import Session

Listener = Callable[["CallbackForm"], None]


class CallbackState(enum.StrEnum):
    CLOSED = "closed"
    EDITING = "editing"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


def known_phone(session: Session) -> str | None:
    """A mobile number the resident already gave in this session (a phone question's answer)."""
    for question in session.questions:
        answer = session.answers.get(question.id, "")
        if question.kind == FieldKind.PHONE and PHONE.match(answer):
            return answer
    return None


class CallbackForm:
    """The form's state and rules; the screen draws it and calls its actions (UI thread)."""

    def __init__(self, site: Site, sender: CallbackSender, now: Callable[[], datetime],
                 post: Callable[[Callable[[], None]], None]) -> None:
        self.site = site
        self.sender = sender
        self.now = now
        self.post = post  # runs a call on the UI thread (the sender answers on its own)
        self.state = CallbackState.CLOSED
        self.typed = ""
        self.known: str | None = None
        self.use_known = False
        self.consent = False
        self.problem: Message | None = None
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    @property
    def is_open(self) -> bool:
        return self.state is not CallbackState.CLOSED

    def offered(self) -> bool:
        """Whether Help offers a call-back now: the kiosk serves (a 24-hour site at night) but no
        one is at the desk."""
        moment = self.now().time()
        return self.site.open_at(moment) and not self.site.staffed_at(moment)

    @property
    def number(self) -> str:
        """The number staff will call: the known one if confirmed, else what was typed."""
        return self.known if self.use_known and self.known else self.typed

    @property
    def masked_known(self) -> str:
        return mask_phone(self.known) if self.known else ""

    @property
    def masked_number(self) -> str:
        return mask_phone(self.number) if self.number else ""

    def intro(self) -> Message:
        start, end = self.site.staffed
        return message(MessageId.CALLBACK_INTRO, hours=f"{start}-{end}", phone=self.site.contact_phone)

    def open(self, known: str | None) -> None:
        self.state, self.typed, self.known, self.use_known = CallbackState.EDITING, "", known, known is not None
        self.consent, self.problem = False, None
        self._changed()

    def close(self) -> None:
        """Forget the number and everything else."""
        if self.state is CallbackState.CLOSED:
            return
        self.state, self.typed, self.known, self.use_known = CallbackState.CLOSED, "", None, False
        self.consent, self.problem = False, None
        self._changed()

    def type(self, digits: str) -> None:
        if self.state is CallbackState.EDITING and digits != self.typed:
            self.typed, self.problem = digits[:11], None
            self._changed()

    def choose_known(self, use: bool) -> None:
        if self.state is CallbackState.EDITING:
            self.use_known, self.problem = use and self.known is not None, None
            self._changed()

    def set_consent(self, consent: bool) -> None:
        if self.state is CallbackState.EDITING:
            self.consent, self.problem = consent, None
            self._changed()

    def send(self) -> bool:
        """Send the request when the number and the consent are there; else say what is missing."""
        if self.state is not CallbackState.EDITING:
            return False
        if not PHONE.match(self.number):
            self.problem = message(MessageId.CALLBACK_PHONE_INVALID)
        elif not self.consent:
            self.problem = message(MessageId.CALLBACK_CONSENT_NEEDED)
        if self.problem is not None:
            self._changed()
            return False
        from contract.callbacks import CallbackRequest  # pydantic: off the start-up path

        request = CallbackRequest(idempotency_key=uuid.uuid4().hex, phone=self.number, consent=True,
                                  site_name=self.site.name, requested_at=self.now())
        self.state = CallbackState.SENDING
        self._changed()
        self.sender.send(request, lambda ok: self.post(lambda: self._answered(ok)))
        return True

    def _answered(self, ok: bool) -> None:
        if self.state is CallbackState.SENDING:  # not closed meanwhile
            self.state = CallbackState.SENT if ok else CallbackState.FAILED
            if not ok:
                self.problem = message(MessageId.CALLBACK_FAILED, phone=self.site.contact_phone)
            self._changed()
