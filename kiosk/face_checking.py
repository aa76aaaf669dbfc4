"""Face checks (人证比对) on the kiosk: the step before the form, the camera, and the one picture sent.

The guide's 我要办理 calls ``start_form``: an item that asks for a face check, for a resident
who put their ID card on the reader, goes to the face step first (``kiosk.session.face_step``
says when, and holds where it stands). The notice and the other ways show before anything
else; the camera (``kiosk.capture.face_camera``, built from ``[devices] face_camera`` on the
first consent: OpenCV is heavy) opens only on ``consent``. Its hints and its outcome come
from the camera's thread as ``FaceCameraEvent``s through the terminal's queue and are handled
here on the UI thread (``handle``):

- captured: the camera closes, the form follows; the JPEG stays in memory only;
- timed out: try again (``consent`` once more) or another way;
- camera lost (missing, unplugged, no frames): another way.

``other_way`` ends the step for QR login (identify, its notice saying how) or assisted mode
(identify, waiting for the staff code). After submit (``submitted``) a thread waits until the
outbox says the case is at the centre, then sends the capture with the card's decoded photo
(``CentreClient.send_face_check``) and drops both; if the case or the picture cannot get
there while the session lasts, the picture is dropped and the receipt says the staff will
check at the counter. The camera closes whenever the session leaves the face step, and the
session's end drops every picture. Nothing of a picture is ever logged or written to disk.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from drivers.errors import DriverError
from drivers.idcard.photo import decode_photo
from drivers.url import parse_device_url
from kiosk.camera_step import CameraRun, Observed
from kiosk.errors import CentreError
from kiosk.events import FaceCameraEvent, FaceCheckSent
from kiosk.messages import MessageId, message
from kiosk.session.face_step import FaceGate, FaceProgress, FaceState, OtherWay, face_gate
from kiosk.session.session import Session, Step

if TYPE_CHECKING:
    from drivers.device import DeviceEvent
    from kiosk.capture.face_camera import FaceCamera
    from kiosk.capture.face_check import FaceResult
    from kiosk.delivery.link import CentreLink
    from kiosk.events import TerminalEvent
    from kiosk.terminal import Terminal

log = logging.getLogger(__name__)

SEND_WAIT_S = 90.0  # how long the capture waits for its case to reach the centre
SEND_POLL_S = 0.25
SEND_RETRY_S = 2.0

class FaceChecking(Observed["FaceChecking"]):
    """The face step of the terminal's session; screens read ``progress`` and call the actions."""

    def __init__(self, terminal: Terminal, then: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.terminal = terminal
        self.session: Session = terminal.session
        self.then = then or self.session.start_form  # what follows the step: the papers, or the form
        self.progress: FaceProgress | None = None
        self.camera: CameraRun[FaceCamera] = CameraRun(self._make_camera, terminal.post, _tag)
        self._sending: tuple[str, threading.Event] | None = None  # the first case number, and its cancel
        self.session.subscribe(self._session_changed)

    @property
    def camera_configured(self) -> bool:
        return parse_device_url(self.terminal.config.devices.face_camera).scheme == "camera"

    # --- the resident's actions ------------------------------------------------------------

    def start_form(self) -> None:
        """The guide's 我要办理: the face step first when the item asks for it, else the form."""
        session, progress, item = self.session, self.progress, self.session.item
        if progress is not None and item is not None and progress.item_id == item.id \
                and progress.state is FaceState.CAPTURED:
            self.then()  # back from the form to the guide, and on again: captured already
            return
        gate = face_gate(item, session.identity, session.assistance, self.terminal.now().date(),
                         camera=self.camera_configured)
        self._drop()
        if gate is FaceGate.NOT_ASKED or item is None:
            self.then()
            return
        photo = self._card_photo() if gate is FaceGate.OFFER else None
        self.progress = FaceProgress.begin(gate, item.id, photo)
        log.info("face check: %s for %s", self.progress.state.value, item.id)
        session.before_form(Step.FACE)

    def consent(self) -> None:
        """The consent button, or 再试一次 after a time-out: open the camera."""
        progress = self.progress
        if self.session.step is not Step.FACE or progress is None or not progress.can_start:
            return
        progress.started()
        try:
            self.camera.open()
        except (DriverError, ImportError) as err:
            log.warning("face camera cannot be built: %s", type(err).__name__)
            progress.failed(camera_lost=True)
        self._changed()

    def other_way(self, way: OtherWay) -> None:
        """QR login or assisted mode instead: the camera closes, the pictures go, identify again."""
        if self.session.step is not Step.FACE:
            return
        self._drop()
        log.info("face check: the resident chose %s", way.value)
        if way is OtherWay.QR_LOGIN:
            self.session.identify_again(message(MessageId.FACE_QR_LOGIN))
        else:
            self.session.identify_again()
            self.terminal.identification.ask_for_staff()

    # --- events (on the UI thread) -----------------------------------------------------------

    def handle(self, event: FaceCameraEvent | FaceCheckSent) -> None:
        from kiosk.capture.face_camera import FaceFinished, FaceHint

        progress = self.progress
        match event:
            case FaceCheckSent(case_number=number, ok=ok):
                if progress is not None and self._sending is not None and self._sending[0] == number:
                    self._sending = None
                    progress.delivered(ok)
                    self._changed()
            case FaceCameraEvent(attempt=attempt, event=inner):
                if attempt != self.camera.attempt or progress is None or self.session.step is not Step.FACE:
                    return  # a late event of an earlier opening, or the resident left
                if isinstance(inner, FaceHint) and progress.hinted(inner.hint):
                    self._changed()
                elif isinstance(inner, FaceFinished):
                    self._finished(progress, inner.result)

    def _finished(self, progress: FaceProgress, result: FaceResult) -> None:
        self.camera.close()
        outcome = result.outcome.value
        if outcome == "captured" and result.jpeg:
            log.info("face check captured (%s)", result.liveness.value if result.liveness else "-")
            progress.captured(result.jpeg)
            self._changed()
            self.then()
        elif outcome in ("timed_out", "camera_lost"):
            log.log(logging.WARNING if outcome == "camera_lost" else logging.INFO, "face check %s%s", outcome,
                    f" in {result.failed_in.value}" if result.failed_in else "")
            progress.failed(camera_lost=outcome == "camera_lost")
            self._changed()

    def _session_changed(self, session: Session) -> None:
        if session.step is not Step.FACE:
            self.camera.close()
        progress = self.progress
        if progress is None:
            return
        if session.step is Step.ATTRACT:
            self._drop()  # the session ended: every picture goes
        elif progress.delivery is None and (session.item is None or session.item.id != progress.item_id):
            self._drop()  # another item: its own check, if it asks for one

    # --- after submit ------------------------------------------------------------------------

    def submitted(self, cases: list[dict[str, Any]]) -> None:
        """The session's cases are in the outbox: send the capture for those whose item asks for it."""
        progress, application, link = self.progress, self.session.item, self.terminal.link
        if progress is None or progress.state is not FaceState.CAPTURED or application is None or link is None:
            return
        wanted = {item.id for item in application.items if item.face_check}
        numbers = [str(case["case_number"]) for case in cases if case["item_id"] in wanted]
        pair = progress.take_pair() if numbers else None
        if pair is None:
            return
        cancel = threading.Event()
        self._sending = (numbers[0], cancel)
        self._changed()
        threading.Thread(target=_send, args=(link, numbers, pair, cancel, self.terminal.post),
                         name="face-check-send", daemon=True).start()

    def stop(self) -> None:
        """The terminal is stopping: close the camera, stop sending, drop the pictures (telling nobody:
        the screens may be gone)."""
        self._drop(notify=False)
        self.camera.forget()

    # --- inside --------------------------------------------------------------------------------

    def _card_photo(self) -> bytes | None:
        """The card's photo as an image, decoded by the site's vendor library, or None."""
        identity = self.session.identity
        if identity is None or not identity.card_photo:
            return None
        from contract.face_checks import FACE_IMAGE_MAX_BYTES, IMAGE_MAGIC  # pydantic: off the start-up path

        try:
            image = decode_photo(identity.card_photo)
        except DriverError as err:
            log.warning("face check: the card's photo cannot be read here (%s)", type(err).__name__)
            return None
        if not image.startswith(IMAGE_MAGIC) or len(image) > FACE_IMAGE_MAX_BYTES:
            log.warning("face check: the WLT decoder gave no usable image (%d bytes)", len(image))
            return None
        return image

    def _make_camera(self) -> FaceCamera:
        from kiosk.capture.face_camera import face_camera_from_url  # OpenCV: only on the first consent

        return face_camera_from_url(parse_device_url(self.terminal.config.devices.face_camera), "face")

    def _drop(self, notify: bool = True) -> None:
        """Close the camera, stop any sending and forget the step with both pictures."""
        self.camera.close()
        sending, self._sending = self._sending, None
        if sending is not None:
            sending[1].set()
        if self.progress is not None:
            self.progress.wipe()
            self.progress = None
            if notify:
                self._changed()


def _send(link: CentreLink, numbers: list[str], pair: tuple[bytes, bytes], cancel: threading.Event,
          post: Callable[[TerminalEvent], None]) -> None:
    """On its own thread: wait for each case to reach the centre, then send the pair with it."""
    from contract.face_checks import FaceCheckSubmission

    ok = True
    try:
        submission = FaceCheckSubmission(capture=pair[0], card_photo=pair[1])
    except ValueError:
        log.warning("face check of case %s: the pictures were refused before sending", numbers[0])
        ok = False
    deadline = time.monotonic() + SEND_WAIT_S
    for number in numbers if ok else ():
        ok = _send_one(link, number, submission, cancel, deadline)
        if not ok:
            break
    del pair
    if not cancel.is_set():
        post(FaceCheckSent(numbers[0], ok))


def _send_one(link: CentreLink, number: str, submission: Any, cancel: threading.Event, deadline: float) -> bool:
    while not link.is_sent(number):
        if cancel.wait(SEND_POLL_S) or time.monotonic() > deadline:
            log.warning("face check of case %s dropped: the case did not reach the centre in time", number)
            return False
    while True:
        try:
            ack = link.client.send_face_check(number, submission)
        except CentreError as err:
            if not err.retryable or cancel.wait(SEND_RETRY_S) or time.monotonic() > deadline:
                log.warning("face check of case %s dropped: %s", number, type(err).__name__)
                return False
            continue
        log.info("face check of case %s at the centre: %s", number, ack.verdict.value)
        return True


def _tag(attempt: int, event: DeviceEvent) -> FaceCameraEvent | None:
    """On the camera's thread: hints and the outcome go to the UI thread (its status is logged only)."""
    from kiosk.capture.face_camera import FaceFinished, FaceHint

    return FaceCameraEvent(attempt, event) if isinstance(event, FaceHint | FaceFinished) else None
