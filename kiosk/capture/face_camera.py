"""The face camera: frames from a ``camera://`` source run through a ``FaceCheck`` on the
camera's own thread, the resident's hints and the outcome published as device events.

URL (as ``drivers.qr.camera``)::

    camera://0                      a video device by index (/dev/video0)
    camera:///path/to/video.mp4     a video file
    camera:///path/to/folder/       the images in a folder, in name order

Options: ``fps`` (10: the rate a file or folder is taken to have been recorded at; its
frames are judged as fast as they decode, timed as if at this rate, so a recording plays the
same on any machine), ``pace`` (``1``: also wait between a file's frames, for a demo).

One ``open()`` runs one check and ends in exactly one ``FaceFinished`` (unless ``close()``
comes first, which ends the check silently):

- ``FaceHint(device, hint, phase)`` each time the hint changes (say it and show it);
- ``FaceFinished(device, result)``: ``result.outcome`` is ``captured`` (``result.jpeg`` holds
  the capture), ``timed_out``, ``declined`` (after ``decline()``) or ``camera_lost`` (the
  camera is missing, or stops giving frames, mid-check: a recording that ends early too; or
  OpenCV came without its cascades, status ``HARDWARE_ERROR``).

Status: ``ONLINE`` while frames come, ``NO_DEVICE`` when the camera is missing or lost,
``OFFLINE`` once the check is over. Listeners are called on the camera's thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from drivers.device import Capabilities, DeviceEvent, DeviceState, ThreadedDevice
from drivers.qr.camera import FrameSource, camera_source, open_source
from drivers.url import DeviceUrl
from kiosk.capture.face_check import FaceCheck, FaceOutcome, FacePhase, FaceResult, FaceRules
from kiosk.capture.face_detect import CascadeMissing, FaceDetector
from kiosk.messages.ids import MessageId

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FaceHint(DeviceEvent):
    """What the resident should do now (a ``face.*`` message id)."""

    hint: MessageId
    phase: FacePhase


@dataclass(frozen=True)
class FaceFinished(DeviceEvent):
    """The check is over; the capture, if any, is in ``result.jpeg``."""

    result: FaceResult = field(repr=False)


class FaceCamera(ThreadedDevice):
    """Runs one face check per ``open()`` on frames from ``source``."""

    thread_label = "face-camera"

    def __init__(
        self,
        name: str,
        source: int | Path,
        *,
        rules: FaceRules | None = None,
        fps: float = 10.0,
        pace: bool = False,
        opener: Callable[[int | Path], FrameSource | None] = open_source,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(name, Capabilities(model="camera", features=frozenset({"face", "camera"})))
        self.source = source
        self.rules = rules
        self.fps = fps
        self.pace = pace
        self._opener = opener
        self._clock = clock
        self._declined = threading.Event()

    def open(self) -> None:
        self._declined.clear()
        super().open()

    def decline(self) -> None:
        """The resident chose another way: the check ends with ``declined``."""
        self._declined.set()

    def _run(self) -> None:
        try:
            check = FaceCheck(self.rules, FaceDetector())
        except CascadeMissing as err:
            log.error("%s: %s", self.name, err)
            self._set_status(state=DeviceState.HARDWARE_ERROR, detail="face models missing")
            self._finish(FaceResult(FaceOutcome.CAMERA_LOST))
            return
        try:
            source = self._opener(self.source)
        except Exception as err:  # OpenCV backends raise cv2.error and worse
            log.warning("%s: opening the camera failed: %s", self.name, err)
            source = None
        if source is None:
            self._set_status(state=DeviceState.NO_DEVICE, detail="camera not found")
            self._finish(check.camera_lost())
            return
        self._set_status(state=DeviceState.ONLINE, detail="")
        try:
            result = self._stream(source, check)
        finally:
            source.release()
        if result is not None:
            self._set_status(state=DeviceState.OFFLINE, detail="check over")
            self._finish(result)

    def _stream(self, source: FrameSource, check: FaceCheck) -> FaceResult | None:
        """Judge frames until the check has a result (None: stopped by ``close``)."""
        shown: MessageId | None = None
        count = 0
        while not self._stop.is_set():
            if self._declined.is_set():
                return check.decline()
            try:
                frame = source.read()
            except Exception as err:
                log.warning("%s: reading a frame failed: %s", self.name, err)
                frame = None
            if frame is None:
                if source.live:
                    self._set_status(state=DeviceState.NO_DEVICE, detail="camera lost")
                return check.camera_lost()
            at = self._clock() if source.live else count / self.fps
            count += 1
            try:
                step = check.feed(frame, at)
            except Exception as err:  # a frame we cannot use (shape, depth): skip it
                log.warning("%s: frame skipped: %s", self.name, err)
                continue
            if step.result is not None:
                return step.result
            if step.hint is not None and step.hint != shown:
                shown = step.hint
                self._emit(FaceHint(self.name, step.hint, step.phase))
            if self.pace and not source.live:
                self._stop.wait(1 / self.fps)
        return None

    def _finish(self, result: FaceResult) -> None:
        self._emit(FaceFinished(self.name, result))


def face_camera_from_url(url: DeviceUrl, name: str) -> FaceCamera:
    """Build the face camera a ``camera://`` URL names."""
    return FaceCamera(
        name,
        camera_source(url),
        fps=float(max(url.option_int("fps", 10), 1)),
        pace=url.options.get("pace", "0") in ("1", "true", "yes"),
    )
