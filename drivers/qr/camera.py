"""A camera as a QR scanner: frames from OpenCV, codes from ``drivers.qr.pipeline``.

URL::

    camera://0                      a video device by index (/dev/video0)
    camera:///path/to/video.mp4     a video file
    camera:///path/to/folder/       the images in a folder, in name order

Each code is a ``CodeScanned``, or an ``UndecodableCode`` when its bytes are not text that
``drivers.qr.text`` can decode with confidence. Options: ``repeat_ms`` (3000: the same code
is reported again only this long after it was
last reported), ``budget_ms`` (15: decode time per frame), ``fps`` (0: as fast as frames
decode; pace files and folders to this rate), ``loop`` (``1``: start a file or folder over at
its end), ``reconnect_ms`` (2000).

Frames are read and decoded on the scanner's own thread, one at a time; a live camera is
asked for a one-frame buffer so the decoder always sees the newest frame. A camera that is
missing at ``open`` or stops giving frames sets ``NO_DEVICE`` (never an exception) and is
reopened every ``reconnect_ms``; the end of a file or folder sets ``OFFLINE``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from drivers.device import Capabilities, CodeScanned, DeviceState, ThreadedDevice
from drivers.errors import UnsupportedBackend
from drivers.qr.pipeline import DecodePipeline
from drivers.qr.scanner import QrScanner, UndecodableCode
from drivers.url import DeviceUrl

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".pgm"})
MAX_IMAGE_BYTES = 32 << 20
MAX_FOLDER_FILES = 10_000
MAX_REMEMBERED = 64


class FrameSource(Protocol):
    live: bool  # a camera (frames stop = lost) rather than a file or folder (frames stop = end)

    def read(self) -> np.ndarray | None:
        """Return the next frame, or None when there is none."""
        ...

    def release(self) -> None: ...


def read_image(path: Path) -> np.ndarray | None:
    """Load an image file as a BGR frame; None if it is unreadable or too big."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        data = np.fromfile(path, dtype=np.uint8)
    except OSError:
        return None
    frame = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return frame if isinstance(frame, np.ndarray) else None


class CaptureSource:
    """An ``cv2.VideoCapture`` on a device index or a video file."""

    def __init__(self, capture: cv2.VideoCapture, live: bool) -> None:
        self._capture = capture
        self.live = live

    def read(self) -> np.ndarray | None:
        ok, frame = self._capture.read()
        return frame if ok and isinstance(frame, np.ndarray) else None

    def release(self) -> None:
        self._capture.release()


class FolderSource:
    """The image files of a folder, in name order."""

    live = False

    def __init__(self, folder: Path) -> None:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        self._files = iter(files[:MAX_FOLDER_FILES])

    def read(self) -> np.ndarray | None:
        for path in self._files:
            frame = read_image(path)
            if frame is not None:
                return frame
            log.info("skipping unreadable image %s", path.name)
        return None

    def release(self) -> None:
        self._files = iter(())


def open_source(source: int | Path) -> FrameSource | None:
    """Open a camera index, a video file or an image folder; None if it is not there."""
    if isinstance(source, Path) and source.is_dir():
        return FolderSource(source)
    if isinstance(source, Path):
        if not source.is_file():
            return None
        capture = cv2.VideoCapture(str(source))
    else:
        capture = cv2.VideoCapture(source)
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
    if not capture.isOpened():
        capture.release()
        return None
    return CaptureSource(capture, live=isinstance(source, int))


class CameraQrScanner(ThreadedDevice, QrScanner):
    """Reports each code the camera sees, once per ``repeat_window`` seconds per text."""

    thread_label = "qr-camera"

    def __init__(
        self,
        name: str,
        source: int | Path,
        *,
        repeat_window: float = 3.0,
        budget: float = 0.015,
        fps: float = 0.0,
        loop: bool = False,
        reconnect_interval: float = 2.0,
        opener: Callable[[int | Path], FrameSource | None] = open_source,
    ) -> None:
        super().__init__(name, Capabilities(model="camera", features=frozenset({"qr", "camera"})))
        self.source = source
        self.repeat_window = repeat_window
        self.budget = budget
        self.fps = fps
        self.loop = loop
        self.reconnect_interval = reconnect_interval
        self._opener = opener
        self._last_reported: dict[bytes, float] = {}
        self._newest_frame: np.ndarray | None = None  # for ``snapshot_png``; replaced, never copied


    def _run(self) -> None:
        pipeline = DecodePipeline(budget=self.budget)
        while not self._stop.is_set():
            try:
                source = self._opener(self.source)
            except Exception as err:  # OpenCV backends raise cv2.error and worse
                log.warning("%s: opening the camera failed: %s", self.name, err)
                source = None
            if source is None:
                self._set_status(state=DeviceState.NO_DEVICE, detail="camera not found")
                self._stop.wait(self.reconnect_interval)
                continue
            self._set_status(state=DeviceState.ONLINE, detail="")
            try:
                ended = self._stream(source, pipeline)
            finally:
                source.release()
            if ended and not self.loop:
                self._set_status(state=DeviceState.OFFLINE, detail="end of input")
                return

    def _stream(self, source: FrameSource, pipeline: DecodePipeline) -> bool:
        """Decode frames until stopped (False), lost (False) or at the end of a file (True)."""
        next_frame = time.monotonic()
        while not self._stop.is_set():
            try:
                frame = source.read()
            except Exception as err:
                log.warning("%s: reading a frame failed: %s", self.name, err)
                frame = None
            if frame is not None:
                self._newest_frame = frame
            if frame is None:
                if source.live:
                    self._set_status(state=DeviceState.NO_DEVICE, detail="camera lost")
                    self._stop.wait(self.reconnect_interval)
                    return False
                return True
            try:
                codes = pipeline.decode(frame)
            except Exception as err:  # a frame we cannot use (shape, depth): skip, keep going
                log.warning("%s: frame skipped: %s", self.name, err)
                codes = []
            now = time.monotonic()
            for code in codes:
                if not self._should_report(code.raw, now):
                    continue
                if code.readable:
                    self._emit(CodeScanned(self.name, code.text, code.raw))
                else:
                    self._emit(UndecodableCode(self.name, code.raw))
            if self.fps > 0:
                next_frame += 1 / self.fps
                self._stop.wait(max(0.0, next_frame - time.monotonic()))
        return False

    def snapshot_png(self) -> bytes | None:
        """The newest frame the camera gave, as a PNG (a technician's self-test), or None."""
        frame = self._newest_frame
        if frame is None:
            return None
        ok, encoded = cv2.imencode(".png", frame)
        return encoded.tobytes() if ok else None

    def _should_report(self, raw: bytes, now: float) -> bool:
        last = self._last_reported.get(raw)
        if last is not None and now - last < self.repeat_window:
            return False
        if len(self._last_reported) >= MAX_REMEMBERED:
            cutoff = now - self.repeat_window
            self._last_reported = {r: s for r, s in self._last_reported.items() if s >= cutoff}
            if len(self._last_reported) >= MAX_REMEMBERED:
                self._last_reported.clear()
        self._last_reported[raw] = now
        return True


def camera_source(url: DeviceUrl) -> int | Path:
    """What a ``camera://`` URL names: a device index, or a video file or folder of frames."""
    location = url.location
    if location.isdigit():
        return int(location)
    if location.startswith("/"):
        return Path(location)
    raise UnsupportedBackend(f"{url.raw}: camera:// takes an index or an absolute path")


def camera_from_url(url: DeviceUrl, name: str) -> CameraQrScanner:
    """Build the camera scanner a ``camera://`` URL names."""
    return CameraQrScanner(
        name,
        camera_source(url),
        repeat_window=url.option_int("repeat_ms", 3000) / 1000,
        budget=url.option_int("budget_ms", 15) / 1000,
        fps=float(url.option_int("fps", 0)),
        loop=url.options.get("loop", "0") in ("1", "true", "yes"),
        reconnect_interval=max(url.option_int("reconnect_ms", 2000), 10) / 1000,
    )
