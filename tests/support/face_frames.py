"""Synthetic camera frames with drawn faces that OpenCV's Haar cascades really detect.

There is no camera and no photo of a person on this machine, so the face check is tested on
cartoon faces drawn here: a skin ellipse with hair, brows, shaded eye sockets, eyes (white,
iris, pupil) or closed lids, a nose shadow and a mouth, blurred a little and given sensor
noise. The frontal-face and eye cascades find them at the sizes and places the kiosk asks
for; the eye cascades stop finding the eyes when the lids are drawn closed; a head turned far
enough (``yaw``) slides the features to one side and narrows the face until the frontal
cascade loses it.

What this can prove: the state machine's rules (quality gates, blink and turn sequences, a
still picture failing, timeouts, several faces, darkness) run end to end through the real
cascades and the real capture thread. What it cannot: how often a real face, a real
printed photo or a screen replay is detected, in what light, with glasses, masks, beards or
any skin tone; a drawn face is far easier than a person. Thresholds tuned here are starting
values for a trial with real people, not measured accuracy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

WIDTH, HEIGHT = 640, 480
BACKGROUND = (150, 160, 170)
SKIN = (140, 170, 215)
HAIR = (30, 30, 35)


@dataclass(frozen=True)
class Face:
    """One drawn face: centre and width as fractions of the frame's width and height."""

    x: float = 0.5
    y: float = 0.5
    width: float = 0.32
    eyes_open: bool = True
    yaw: float = 0.0  # -1 (turned fully to the resident's left) .. 1


def _draw(img: np.ndarray, face: Face) -> None:
    h, w = img.shape[:2]
    fw = face.width * w
    fh = fw * 1.3
    squeeze = 1.0 - 0.45 * abs(face.yaw)
    cx, cy = face.x * w, face.y * h
    shift = -face.yaw * fw * 0.28  # features slide towards the side the head turns to

    def pt(x: float, y: float) -> tuple[int, int]:
        return int(round(x)), int(round(y))

    def ax(a: float, b: float) -> tuple[int, int]:
        return max(1, int(round(a))), max(1, int(round(b)))

    cv2.ellipse(img, pt(cx, cy - fh / 6), ax(fw * 0.56 * squeeze, fh * 0.55), 0, 180, 360, HAIR, -1)
    cv2.rectangle(img, pt(cx - fw / 5, cy + fh / 3), pt(cx + fw / 5, h), (120, 150, 195), -1)
    cv2.ellipse(img, pt(cx, cy), ax(fw / 2 * squeeze, fh / 2), 0, 0, 360, SKIN, -1)
    ey = cy - fh * 0.08
    for side in (-1, 1):
        # the eye on the side turned away gets narrower and nearer the middle
        far = 1.0 - 0.5 * max(0.0, side * face.yaw)
        ex = cx + shift + side * fw * 0.2 * squeeze * far
        cv2.ellipse(img, pt(ex, ey - fh * 0.09), ax(fw * 0.12 * far, fh * 0.025), 0, 0, 360, (40, 45, 55), -1)
        cv2.ellipse(img, pt(ex, ey), ax(fw * 0.12 * far, fh * 0.05), 0, 0, 360, (100, 125, 165), -1)
        if face.eyes_open:
            cv2.ellipse(img, pt(ex, ey), ax(fw * 0.085 * far, fh * 0.032), 0, 0, 360, (235, 235, 235), -1)
            cv2.circle(img, pt(ex, ey), max(1, int(fw * 0.035 * far)), (40, 30, 25), -1)
            cv2.circle(img, pt(ex, ey), max(1, int(fw * 0.015 * far)), (5, 5, 5), -1)
        else:
            cv2.line(img, pt(ex - fw * 0.08 * far, ey), pt(ex + fw * 0.08 * far, ey), (60, 80, 110), 2)
    ny = cy + fh * 0.12
    cv2.ellipse(img, pt(cx + shift * 1.3, ny), ax(fw * 0.07, fh * 0.03), 0, 0, 360, (105, 130, 175), -1)
    cv2.line(img, pt(cx + shift - fw * 0.03, ey + fh * 0.05), pt(cx + shift * 1.3 - fw * 0.05, ny),
             (115, 140, 185), 2)
    cv2.ellipse(img, pt(cx + shift, cy + fh * 0.27), ax(fw * 0.15 * squeeze, fh * 0.03), 0, 0, 360,
                (80, 80, 160), -1)


def frame(faces: Sequence[Face] = (Face(),), *, light: float = 1.0, blur: float = 0.0,
          noise: float = 4.0, seed: int = 0, size: tuple[int, int] = (WIDTH, HEIGHT)) -> np.ndarray:
    """One BGR frame with ``faces`` drawn; ``light`` scales the brightness, ``blur`` adds
    horizontal motion blur of that many pixels."""
    img = np.full((size[1], size[0], 3), BACKGROUND, np.uint8)
    for face in faces:
        _draw(img, face)
    biggest = max((f.width for f in faces), default=0.3) * size[0]
    img = cv2.GaussianBlur(img, (0, 0), max(0.5, biggest / 150))
    if blur > 0:
        k = np.zeros((int(blur), int(blur)), np.float32)
        k[int(blur) // 2, :] = 1.0 / int(blur)
        img = cv2.filter2D(img, -1, k)
    rng = np.random.default_rng(seed)
    out = img.astype(np.float32) * light + rng.normal(0.0, noise, img.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


# --- sequences (10 frames a second of a resident in front of the kiosk) ---------------------


def settle(n: int = 6, seed: int = 0) -> list[np.ndarray]:
    """A resident looking straight at the screen, eyes open."""
    return [frame(seed=seed + i) for i in range(n)]


def blink_sequence(seed: int = 0) -> list[np.ndarray]:
    """Settle, then a blink (three frames with the lids closed), then eyes open again."""
    closed = [frame((Face(eyes_open=False),), seed=seed + 100 + i) for i in range(3)]
    return settle(6, seed) + closed + settle(4, seed + 200)


def turn_sequence(seed: int = 0, direction: int = -1) -> list[np.ndarray]:
    """Settle, then the head turns slowly to one side and back."""
    steps = [0.2, 0.4, 0.6, 0.8, 0.9, 0.9, 0.6, 0.3, 0.0]
    turning = [frame((Face(yaw=direction * y, x=0.5 - direction * 0.05 * y),), seed=seed + 300 + i)
               for i, y in enumerate(steps)]
    return settle(6, seed) + turning


def photo_sequence(n: int = 60, seed: int = 0) -> list[np.ndarray]:
    """A printed photo held still: the same picture, only the sensor noise differs."""
    still = frame(noise=0.0)
    rng = np.random.default_rng(seed)
    return [np.clip(still + rng.normal(0.0, 3.0, still.shape), 0, 255).astype(np.uint8) for _ in range(n)]


def dark_sequence(n: int = 10) -> list[np.ndarray]:
    return [frame(light=0.22, noise=2.0, seed=i) for i in range(n)]


def two_faces_sequence(n: int = 10) -> list[np.ndarray]:
    pair = (Face(x=0.3, width=0.26), Face(x=0.72, width=0.24))
    return [frame(pair, seed=i) for i in range(n)]


def tiny_face_sequence(n: int = 10) -> list[np.ndarray]:
    return [frame((Face(width=0.13),), seed=i) for i in range(n)]


def write_folder(frames: Iterable[np.ndarray], folder: Path) -> Path:
    """Write frames as numbered PNGs (a ``camera:///folder/`` source plays them in order)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, img in enumerate(frames):
        cv2.imwrite(str(folder / f"frame-{i:04d}.png"), img)
    return folder
