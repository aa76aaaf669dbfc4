"""The face check step (人证比对) as the resident sees it: whether it is offered, and where it stands.

No threads, no camera, no OpenCV here: ``kiosk.face_checking`` runs the camera and feeds this.

When (``face_gate``): only an item that asks for it (``face_check = true`` in the catalogue),
only for a resident who put an ID card on the reader (a QR login from the government app
already verified the person; in assisted mode a member of staff sees them). Then:

- ``OFFER``: the notice, the consent button and the other ways, side by side;
- ``CHILD``: a card holder under 14 is never offered the camera (a guardian's consent cannot be
  taken at an unattended kiosk): assisted mode;
- ``UNAVAILABLE``: no face camera at this site, or the card's photo cannot be read here: the
  other ways only (never a dead end).

Where it stands (``FaceState``)::

    NOTICE --consent--> GUIDING --captured--> CAPTURED (the form follows)
                          |--timed out--> TIMED_OUT --try again--> GUIDING
                          '--camera lost--> CAMERA_LOST
    UNAVAILABLE, CHILD: the other ways only        any --another way--> (identify)

The capture and the card's photo are held here, in memory only, until the case is at the
centre (``Delivery``) or the session ends: ``wipe`` drops them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from kiosk.catalog.application import Application
from kiosk.messages import Message, MessageId, message
from kiosk.session.assistance import Assistance
from kiosk.session.identity import Identity

CONSENT_AGE = 14  # below it a guardian consents (the 2025 rules): not at an unattended kiosk


class FaceGate(enum.StrEnum):
    NOT_ASKED = "not_asked"  # the item does not ask, or the person is verified already
    OFFER = "offer"
    CHILD = "child"
    UNAVAILABLE = "unavailable"


class FaceState(enum.StrEnum):
    NOTICE = "notice"  # the notice, consent and the other ways: the camera is off
    GUIDING = "guiding"  # the camera runs; ``hint`` says what to do
    CAPTURED = "captured"
    TIMED_OUT = "timed_out"
    CAMERA_LOST = "camera_lost"
    UNAVAILABLE = "unavailable"
    CHILD = "child"


class Delivery(enum.StrEnum):
    """The capture after the case was submitted."""

    WAITING = "waiting"  # until the case is at the centre
    SENT = "sent"
    NOT_SENT = "not_sent"  # dropped: staff verify at the counter


class OtherWay(enum.StrEnum):
    QR_LOGIN = "qr_login"  # 政务服务App: back to identify's QR way
    ASSISTED = "assisted"  # 工作人员协助: back to identify, waiting for the staff code


STATE_WORDS = {
    FaceState.NOTICE: MessageId.FACE_NOTICE,
    FaceState.CAPTURED: MessageId.FACE_CAPTURED,
    FaceState.TIMED_OUT: MessageId.FACE_TIMED_OUT,
    FaceState.CAMERA_LOST: MessageId.FACE_CAMERA_LOST,
    FaceState.UNAVAILABLE: MessageId.FACE_UNAVAILABLE,
    FaceState.CHILD: MessageId.FACE_CHILD,
}
DELIVERY_WORDS = {
    Delivery.WAITING: MessageId.FACE_SENDING,
    Delivery.SENT: MessageId.FACE_SENT,
    Delivery.NOT_SENT: MessageId.FACE_NOT_SENT,
}


def age_on(birth_date: str, today: date) -> int | None:
    """Whole years from a card's ``YYYYMMDD`` birth date to ``today`` (None if it is unreadable)."""
    try:
        born = date(int(birth_date[:4]), int(birth_date[4:6]), int(birth_date[6:8]))
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def face_gate(application: Application | None, identity: Identity | None, assistance: Assistance,
              today: date, *, camera: bool) -> FaceGate:
    """Whether (and how) the face step comes before the form (``camera``: this site has one).

    ``OFFER`` still needs the card's photo read here (``FaceProgress.begin``)."""
    if application is None or identity is None or not application.face_check:
        return FaceGate.NOT_ASKED
    if not identity.from_card or assistance.staff_no is not None:
        return FaceGate.NOT_ASKED  # a QR login verified the person; a member of staff sees them
    age = age_on(identity.birth_date, today)
    if age is None or age < CONSENT_AGE:
        return FaceGate.CHILD
    if not camera or not identity.card_photo:
        return FaceGate.UNAVAILABLE
    return FaceGate.OFFER


@dataclass
class FaceProgress:
    """One session's face step: its state, the current hint, and (once captured) the pictures."""

    state: FaceState
    item_id: str  # the application it was taken for: another one starts again
    hint: MessageId | None = None
    attempts: int = 0  # times the camera was opened
    capture: bytes | None = field(default=None, repr=False)  # the JPEG, in memory only
    card_photo: bytes | None = field(default=None, repr=False)  # decoded from the card, in memory only
    delivery: Delivery | None = None

    @classmethod
    def begin(cls, gate: FaceGate, item_id: str, card_photo: bytes | None = None) -> FaceProgress:
        """The step as it opens: an offer without the card's photo decoded is unavailable."""
        if gate is FaceGate.OFFER and card_photo is not None:
            return cls(FaceState.NOTICE, item_id, card_photo=card_photo)
        return cls(FaceState.CHILD if gate is FaceGate.CHILD else FaceState.UNAVAILABLE, item_id)

    @property
    def can_start(self) -> bool:
        """Whether the camera may be opened now (after the notice, or again after a time-out)."""
        return self.state in (FaceState.NOTICE, FaceState.TIMED_OUT) and self.card_photo is not None

    @property
    def ways(self) -> tuple[OtherWay, ...]:
        """The other ways offered now: a child's is assisted mode only."""
        return (OtherWay.ASSISTED,) if self.state is FaceState.CHILD else (OtherWay.QR_LOGIN, OtherWay.ASSISTED)

    def started(self) -> None:
        """The resident consented (or asked to try again): the camera opens."""
        self.state, self.hint = FaceState.GUIDING, MessageId.FACE_LOOK_AT_SCREEN
        self.attempts += 1

    def hinted(self, hint: MessageId) -> bool:
        """A new hint from the camera; False if it is not for now."""
        if self.state is not FaceState.GUIDING or hint == self.hint:
            return False
        self.hint = hint
        return True

    def captured(self, jpeg: bytes) -> None:
        self.state, self.hint, self.capture = FaceState.CAPTURED, None, jpeg

    def failed(self, camera_lost: bool) -> None:
        """The check timed out (try again), or the camera is gone (the other ways only)."""
        self.state = FaceState.CAMERA_LOST if camera_lost else FaceState.TIMED_OUT
        self.hint = None

    def take_pair(self) -> tuple[bytes, bytes] | None:
        """The capture and the card's photo, to send; this progress keeps neither any more."""
        pair = (self.capture, self.card_photo) if self.capture is not None and self.card_photo is not None else None
        self.capture = self.card_photo = None
        self.delivery = Delivery.WAITING if pair is not None else None
        return pair

    def delivered(self, ok: bool) -> None:
        self.delivery = Delivery.SENT if ok else Delivery.NOT_SENT

    def wipe(self) -> None:
        """Drop both pictures (the session ended, or another way was chosen)."""
        self.capture = self.card_photo = None

    @property
    def words(self) -> Message:
        """What the screen shows large and says: the hint while the camera runs, else the state's words."""
        if self.state is FaceState.GUIDING:
            return message(self.hint or MessageId.FACE_LOOK_AT_SCREEN)
        return message(STATE_WORDS[self.state])

    @property
    def receipt_line(self) -> Message | None:
        """The receipt's line about the capture, once the case was submitted."""
        return message(DELIVERY_WORDS[self.delivery]) if self.delivery is not None else None
