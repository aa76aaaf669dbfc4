"""Papers on the document camera (高拍仪) in the resident's flow: the step before the form, the
camera, and the pages that go into the outbox with their case.

After the guide's 我要办理 (and the face check, if the item asks for one) ``start`` looks at
the application's materials: those the kiosk can photograph (``capture = "camera"``), at a
site with a ``[devices] document_camera``, make the documents step
(``kiosk.session.document_step`` holds where it stands); otherwise the form follows at once.
The camera (``kiosk.capture.document_camera``, built on the first ``take``: OpenCV is heavy)
runs only while a page is being taken. Its hints and its page come from the camera's thread
as ``DocumentCameraEvent``s through the terminal's queue and are handled on the UI thread.

At submit, ``pages_for`` hands each case its pages (``CapturedPage``); the outbox keeps them
encrypted with the case and erases them once the centre has them. The session's end, or a
change of item, drops every page held here. Nothing of a page is logged or written in clear.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from drivers.errors import DriverError
from drivers.url import parse_device_url
from kiosk.camera_step import CameraRun, Observed
from kiosk.events import DocumentCameraEvent
from kiosk.session.document_step import DocumentProgress, PageState, camera_materials
from kiosk.session.session import Session, Step

if TYPE_CHECKING:
    from drivers.device import DeviceEvent
    from kiosk.capture.document_camera import DocumentCamera
    from kiosk.terminal import Terminal

log = logging.getLogger(__name__)


class DocumentCapturing(Observed["DocumentCapturing"]):
    """The documents step of the terminal's session; screens read ``progress`` and call the actions."""

    def __init__(self, terminal: Terminal) -> None:
        super().__init__()
        self.terminal = terminal
        self.session: Session = terminal.session
        self.progress: DocumentProgress | None = None
        self.camera: CameraRun[DocumentCamera] = CameraRun(self._make_camera, terminal.post, _tag)
        self.session.subscribe(self._session_changed)

    @property
    def camera_configured(self) -> bool:
        return parse_device_url(self.terminal.config.devices.document_camera).scheme == "camera"

    # --- the resident's actions ------------------------------------------------------------

    def start(self) -> None:
        """On to the form, by way of the papers to photograph when there are any here."""
        session, application = self.session, self.session.item
        progress = self.progress
        if progress is not None and application is not None and progress.application_id == application.id \
                and progress.done:
            session.start_form()  # back from the form to the guide, and on again: photographed already
            return
        self._drop()
        owners = camera_materials(application) if application is not None and self.camera_configured else {}
        if not owners or application is None:
            session.start_form()
            return
        self.progress = DocumentProgress(application.id, owners)
        log.info("documents step: %d materials for %s", len(owners), application.id)
        session.before_form(Step.DOCUMENTS)

    def take(self) -> None:
        """拍照 (or 重拍, or 再试一次): open the camera for the material asked for now."""
        progress = self.progress
        if self.session.step is not Step.DOCUMENTS or progress is None or not progress.can_take:
            return
        progress.started()
        self.session.touched()
        try:
            self.camera.open()
        except (DriverError, ImportError) as err:
            log.warning("document camera cannot be built: %s", type(err).__name__)
            progress.failed(camera_lost=True)
        self._changed()

    def use(self) -> None:
        """使用这张: keep the page shown; the next material, or the form after the last."""
        self._act(lambda progress: progress.use())

    def to_counter(self) -> None:
        """到窗口交: this material goes to the counter instead (the receipt lists it)."""
        self.camera.close()  # a photo in progress stops here
        self._act(lambda progress: progress.to_counter())

    def _act(self, action: Callable[[DocumentProgress], None]) -> None:
        progress = self.progress
        if self.session.step is not Step.DOCUMENTS or progress is None:
            return
        action(progress)
        self.session.touched()
        self._changed()
        if progress.done:
            self.session.start_form()

    # --- events (on the UI thread) -----------------------------------------------------------

    def handle(self, event: DocumentCameraEvent) -> None:
        from kiosk.capture.document_camera import PageFinished, PageHint, PageOutcome

        progress, inner = self.progress, event.event
        if event.attempt != self.camera.attempt or progress is None or self.session.step is not Step.DOCUMENTS \
                or progress.state is not PageState.TAKING:
            return  # a late event of an earlier opening, of one closed (到窗口交), or the resident left
        if isinstance(inner, PageHint) and progress.hinted(inner.hint):
            self._changed()
        elif isinstance(inner, PageFinished):
            self.camera.close()
            if inner.outcome is PageOutcome.CAPTURED and inner.jpeg:
                progress.captured(inner.jpeg)
            else:
                log.log(logging.WARNING if inner.outcome is PageOutcome.CAMERA_LOST else logging.INFO,
                        "document page %s", inner.outcome.value)
                progress.failed(camera_lost=inner.outcome is PageOutcome.CAMERA_LOST)
            self.session.touched()
            self._changed()

    def _session_changed(self, session: Session) -> None:
        if session.step is not Step.DOCUMENTS:
            self.camera.close()
        progress = self.progress
        if progress is None:
            return
        if session.step is Step.ATTRACT or session.item is None or session.item.id != progress.application_id:
            self._drop()  # the session ended, or another item: every page goes

    # --- at submit -------------------------------------------------------------------------------

    def pages_for(self, cases: list[dict[str, Any]]) -> None:
        """Give each case (``new_case`` keywords) the pages its item's guide asked for, as
        ``pages``; the pages then live in the outbox only."""
        progress = self.progress
        if progress is None or not progress.pages:
            return
        from contract.captured_pages import CapturedPage  # pydantic: off the start-up path

        for case in cases:
            pages = [CapturedPage(material=name, jpeg=jpeg) for name, jpeg in progress.pages_of(str(case["item_id"]))]
            if pages:
                case["pages"] = pages

    @property
    def photographed(self) -> tuple[str, ...]:
        """The materials photographed this session, in the guide's order (the receipt does not
        ask for them again)."""
        progress = self.progress
        return tuple(name for name in progress.owners if name in progress.pages) if progress is not None else ()

    def stop(self) -> None:
        """The terminal is stopping: close the camera and drop the pages (telling nobody)."""
        self._drop(notify=False)
        self.camera.forget()

    # --- inside --------------------------------------------------------------------------------

    def _make_camera(self) -> DocumentCamera:
        from kiosk.capture.document_camera import document_camera_from_url  # OpenCV: only on the first take

        return document_camera_from_url(parse_device_url(self.terminal.config.devices.document_camera), "document")

    def _drop(self, notify: bool = True) -> None:
        """Close the camera and forget the step with its pages."""
        self.camera.close()
        if self.progress is not None:
            self.progress.wipe()
            self.progress = None
            if notify:
                self._changed()


def _tag(attempt: int, event: DeviceEvent) -> DocumentCameraEvent | None:
    """On the camera's thread: hints and the page go to the UI thread (its status is logged only)."""
    from kiosk.capture.document_camera import PageFinished, PageHint

    return DocumentCameraEvent(attempt, event) if isinstance(event, PageHint | PageFinished) else None
