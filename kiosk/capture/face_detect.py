"""What one camera frame shows of a face: OpenCV's bundled Haar cascades and a few measures.

Models come only with the ``opencv-python-headless`` package (``cv2.data.haarcascades``:
frontal face, eyes, eyes behind glasses, profile); nothing is downloaded. Frames are BGR
arrays; wide frames are scaled down to ``DETECT_WIDTH`` first, and every box in the answer is
in the coordinates of the frame as given.

``FaceDetector.look(frame)`` answers a ``FrameFacts``: the frontal faces found and, for the
largest, its eyes, sharpness (variance of the Laplacian on the face scaled to
``SHARPNESS_SIDE`` pixels), mean luminance and the share of its pixels clipped to black or
white. ``FaceDetector.profiles(frame)`` finds faces in profile, turned either way. The rules
that judge these are in ``kiosk.capture.face_check``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

DETECT_WIDTH = 640
SHARPNESS_SIDE = 128
EYES_SIDE = 200  # the face is scaled to this before the eye cascades look
CASCADES = {
    "face": "haarcascade_frontalface_default.xml",
    "eye": "haarcascade_eye.xml",
    "eye_glasses": "haarcascade_eye_tree_eyeglasses.xml",
    "profile": "haarcascade_profileface.xml",
}


class CascadeMissing(RuntimeError):
    """The installed OpenCV does not ship a cascade this check needs (OpenCV 5 dropped them)."""


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def scaled(self, k: float) -> Box:
        return Box(round(self.x * k), round(self.y * k), round(self.w * k), round(self.h * k))


@dataclass(frozen=True)
class FrameFacts:
    """What ``FaceDetector.look`` saw in one frame (``face`` is the largest frontal face)."""

    width: int
    height: int
    faces: tuple[Box, ...] = ()
    eyes: int = 0
    sharpness: float = 0.0
    luminance: float = 0.0
    clipped: float = 0.0
    frame: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def face(self) -> Box | None:
        return max(self.faces, key=lambda b: b.w * b.h) if self.faces else None


def _load(name: str) -> cv2.CascadeClassifier:
    path = Path(cv2.data.haarcascades) / CASCADES[name]  # type: ignore[attr-defined]
    classifier = cv2.CascadeClassifier(str(path))
    if not path.is_file() or classifier.empty():
        raise CascadeMissing(f"{path}: not shipped with this OpenCV (pinned below 5 for the cascades)")
    return classifier


class FaceDetector:
    """The four cascades, loaded once; ``look`` is not thread-safe (one per capture thread)."""

    def __init__(self, *, min_neighbours: int = 5) -> None:
        self._face = _load("face")
        self._eye = _load("eye")
        self._eye_glasses = _load("eye_glasses")
        self._profile = _load("profile")
        self.min_neighbours = min_neighbours

    def look(self, frame: np.ndarray) -> FrameFacts:
        """Find the frontal faces in ``frame`` and measure the largest."""
        grey, small, k = self._prepare(frame)
        side = max(24, small.shape[1] // 12)
        found = self._face.detectMultiScale(small, 1.1, self.min_neighbours, minSize=(side, side))
        faces = tuple(Box(*map(int, r)).scaled(1 / k) for r in found)
        facts = FrameFacts(grey.shape[1], grey.shape[0], faces, frame=frame)
        face = facts.face
        return facts if face is None else self._measure(grey, face, facts)

    def profiles(self, frame: np.ndarray) -> tuple[Box, ...]:
        """Find faces in profile, turned either way (two passes: only when needed)."""
        _, small, k = self._prepare(frame)
        side = max(24, small.shape[1] // 12)
        found: list[Box] = []
        width = small.shape[1]
        for mirrored in (False, True):
            image = cv2.flip(small, 1) if mirrored else small
            for r in self._profile.detectMultiScale(image, 1.1, 4, minSize=(side, side)):
                x, y, w, h = map(int, r)
                found.append(Box(width - x - w if mirrored else x, y, w, h).scaled(1 / k))
        return tuple(found)

    @staticmethod
    def _prepare(frame: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """The grey frame, the grey frame scaled for detection (stretched when dark), the scale."""
        grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
        k = min(1.0, DETECT_WIDTH / grey.shape[1])
        small = cv2.resize(grey, None, fx=k, fy=k, interpolation=cv2.INTER_AREA) if k < 1.0 else grey
        return grey, (cv2.equalizeHist(small) if small.mean() < 50 else small), k

    def _measure(self, grey: np.ndarray, face: Box, facts: FrameFacts) -> FrameFacts:
        roi = grey[max(0, face.y):face.y + face.h, max(0, face.x):face.x + face.w]
        if roi.size == 0:
            return facts
        norm = cv2.resize(roi, (SHARPNESS_SIDE, SHARPNESS_SIDE), interpolation=cv2.INTER_AREA)
        upper = cv2.resize(roi, (EYES_SIDE, EYES_SIDE), interpolation=cv2.INTER_AREA)[: EYES_SIDE * 6 // 10, :]
        eyes = max(len(self._eye.detectMultiScale(upper, 1.1, 4)),
                   len(self._eye_glasses.detectMultiScale(upper, 1.1, 4)))
        return dataclasses.replace(
            facts,
            eyes=eyes,
            sharpness=float(cv2.Laplacian(norm, cv2.CV_64F).var()),
            luminance=float(roi.mean()),
            clipped=float(np.count_nonzero((roi <= 8) | (roi >= 247)) / roi.size),
        )
