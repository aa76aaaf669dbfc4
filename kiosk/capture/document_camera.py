"""The document camera (高拍仪): frames from a ``camera://`` source run through
``capture_document`` on the camera's own thread until a page passes the quality gate.

URL and options as ``kiosk.capture.face_camera`` (``camera://0``, ``camera:///path/video.mp4``,
``camera:///path/folder/``; ``fps``, ``pace``).

One ``open()`` takes one page and ends in exactly one ``PageFinished`` (unless ``close()``
comes first, which ends it silently):

- ``PageHint(device, hint)`` each time the resident's hint changes (``capture.*`` ids:
  "请把材料放平", "请避开反光");
- ``PageFinished(device, outcome, jpeg)``: ``captured`` with the page as a grey JPEG
  (``encode_page``) once ``STEADY_FRAMES`` frames in a row pass the gate (one lucky frame of
  a page still moving is not taken), ``timed_out`` after ``TIME_LIMIT_S`` of frames without
  that, ``camera_lost`` when the camera is missing or stops giving frames.

Nothing is written to disk or logged of a page.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from drivers.device import Capabilities, DeviceEvent, DeviceState, ThreadedDevice
from drivers.qr.camera import FrameSource, camera_source, open_source
from drivers.url import DeviceUrl
from kiosk.messages.ids import MessageId

log = logging.getLogger(__name__)

STEADY_FRAMES = 2  # frames in a row the gate must accept
TIME_LIMIT_S = 40.0  # of frames, per page


class PageOutcome(enum.StrEnum):
    CAPTURED = "captured"
    TIMED_OUT = "timed_out"
    CAMERA_LOST = "camera_lost"


@dataclass(frozen=True)
class PageHint(DeviceEvent):
    """What the resident should do now (a ``capture.*`` message id)."""

    hint: MessageId


@dataclass(frozen=True)
class PageFinished(DeviceEvent):
    """The page is taken (``jpeg``), or it could not be."""

    outcome: PageOutcome
    jpeg: bytes = field(default=b"", repr=False)


class DocumentCamera(ThreadedDevice):
    """Takes one page per ``open()`` from frames of ``source``."""

    thread_label = "document-camera"

    def __init__(
        self,
        name: str,
        source: int | Path,
        *,
        fps: float = 10.0,
        pace: bool = False,
        time_limit_s: float = TIME_LIMIT_S,
        opener: Callable[[int | Path], FrameSource | None] = open_source,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(name, Capabilities(model="camera", features=frozenset({"document", "camera"})))
        self.source = source
        self.fps = fps
        self.pace = pace
        self.time_limit_s = time_limit_s
        self._opener = opener
        self._clock = clock

    def _run(self) -> None:
        try:
            source = self._opener(self.source)
        except Exception as err:  # OpenCV backends raise cv2.error and worse
            log.warning("%s: opening the camera failed: %s", self.name, type(err).__name__)
            source = None
        if source is None:
            self._set_status(state=DeviceState.NO_DEVICE, detail="camera not found")
            self._emit(PageFinished(self.name, PageOutcome.CAMERA_LOST))
            return
        self._set_status(state=DeviceState.ONLINE, detail="")
        try:
            finished = self._stream(source)
        finally:
            source.release()
        if finished is not None:
            self._set_status(state=DeviceState.OFFLINE, detail="page over")
            self._emit(finished)

    def _stream(self, source: FrameSource) -> PageFinished | None:
        """Judge frames until a page is steady and accepted (None: stopped by ``close``)."""
        from kiosk.capture.document import capture_document, encode_page  # OpenCV: on this thread only

        shown: MessageId | None = None
        steady, count, started = 0, 0, self._clock()
        while not self._stop.is_set():
            try:
                frame = source.read()
            except Exception as err:
                log.warning("%s: reading a frame failed: %s", self.name, type(err).__name__)
                frame = None
            if frame is None:
                if source.live:
                    self._set_status(state=DeviceState.NO_DEVICE, detail="camera lost")
                return PageFinished(self.name, PageOutcome.CAMERA_LOST)
            at = self._clock() - started if source.live else count / self.fps
            count += 1
            try:
                capture = capture_document(frame)
            except Exception as err:  # a frame we cannot use (shape, depth): skip it
                log.warning("%s: frame skipped: %s", self.name, type(err).__name__)
                continue
            if capture.accepted and capture.page is not None:
                steady += 1
                if steady >= STEADY_FRAMES:
                    return PageFinished(self.name, PageOutcome.CAPTURED, encode_page(capture.page))
            else:
                steady = 0
                hint = capture.problems[0] if capture.problems else None
                if hint is not None and hint != shown:
                    shown = hint
                    self._emit(PageHint(self.name, hint))
            if at >= self.time_limit_s:
                return PageFinished(self.name, PageOutcome.TIMED_OUT)
            if self.pace and not source.live:
                self._stop.wait(1 / self.fps)
        return None


def document_camera_from_url(url: DeviceUrl, name: str) -> DocumentCamera:
    """Build the document camera a ``camera://`` URL names."""
    return DocumentCamera(
        name,
        camera_source(url),
        fps=float(max(url.option_int("fps", 10), 1)),
        pace=url.options.get("pace", "0") in ("1", "true", "yes"),
    )
