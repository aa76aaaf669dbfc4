"""Face check (人脸核验): the notice and consent beside the other ways, then the camera's hints.

The notice (who sees the picture, why, that it is deleted) and the other ways (QR login,
staff help) are shown and said before the camera starts; it starts only on the consent
button. While it runs the hint is shown large and spoken (``instruction``). A time-out offers
to try again; a lost camera, a site without one and a child's card offer the other ways only.
The logic is ``kiosk.face_checking`` (``terminal.applying.face``) and ``kiosk.session.face_step``.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.face_checking import FaceChecking
from kiosk.messages import MessageId
from kiosk.session.face_step import FaceState, OtherWay
from kiosk.session.session import Step
from screens.base import KioskScreen


class FaceScreen(KioskScreen):
    state = StringProperty("")  # a FaceState value
    words = StringProperty("")  # the notice, the hint, or what happened
    other_ways = StringProperty("")  # the alternatives said before asking (the notice only)
    can_start = BooleanProperty(False)  # the consent button, or 再试一次
    guiding = BooleanProperty(False)  # the camera runs
    problem = BooleanProperty(False)  # timed out, camera lost, unavailable, a child's card
    offer_qr = BooleanProperty(True)  # QR login is offered (not to a child, not with the scanner down)

    @property
    def face(self) -> FaceChecking:
        return self.terminal.applying.face

    def instruction(self) -> str:
        """The notice with the other ways before consent; then the hint; then what happened."""
        if self.state == FaceState.NOTICE.value:
            return f"{self.words}{self.other_ways}"
        return self.words

    def refresh(self) -> None:
        progress = self.face.progress
        if progress is None or self.session.step is not Step.FACE:
            return
        state = progress.state
        self.state = state.value
        self.words = self.session.say(progress.words)
        self.other_ways = self.say(MessageId.FACE_OTHER_WAYS) if state is FaceState.NOTICE else ""
        self.can_start = progress.can_start
        self.guiding = state is FaceState.GUIDING
        self.problem = state in (FaceState.TIMED_OUT, FaceState.CAMERA_LOST, FaceState.UNAVAILABLE, FaceState.CHILD)
        availability = self.terminal.availability
        qr_works = availability is None or availability.qr
        self.offer_qr = OtherWay.QR_LOGIN in progress.ways and qr_works

    def consent(self) -> None:
        self.face.consent()

    def use_qr(self) -> None:
        self.face.other_way(OtherWay.QR_LOGIN)

    def use_staff(self) -> None:
        self.face.other_way(OtherWay.ASSISTED)

    def clear(self) -> None:
        self.state = self.words = self.other_ways = ""
        self.can_start = self.guiding = self.problem = False
