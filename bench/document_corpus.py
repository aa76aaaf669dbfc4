"""A seeded corpus of document-camera frames, each holding one Chinese page with its true corners.

``build(count, size)`` gives ``Sample``s: a page from ``bench.document_page`` warped onto a
procedural background (wood, cloth, a dark desk, a patterned cloth, a light desk), placed with
a random rotation (±20°) and perspective, then lit and spoiled: a shadow gradient, sensor
noise, mild blur or a faint sheen for every page, and for some a defect the quality gate must
catch: ``blur`` (out of focus), ``glare`` (a saturated reflection on the page) or ``cut`` (part
of the page outside the frame). ``Sample.corners`` are the page's corners in frame pixels
(TL, TR, BR, BL; outside the frame for ``cut``), ``Sample.text`` what is printed on it.
Nothing is downloaded: textures are made from noise and sines here.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from bench.document_page import render_page
from kiosk.capture.geometry import order_corners

BACKGROUNDS = ("wood", "cloth", "dark_desk", "pattern", "light_desk")
DEFECTS = ("blur", "glare", "cut")


@dataclass(frozen=True, eq=False)
class Sample:
    frame: np.ndarray  # BGR
    corners: np.ndarray  # (4, 2) float32, TL, TR, BR, BL
    text: str
    background: str
    defect: str | None  # one of DEFECTS, or None: the gate should accept it

    @property
    def in_frame(self) -> bool:
        return self.defect != "cut"


def defect_for(index: int) -> str | None:
    """Every tenth page out of focus, every tenth with glare, every sixteenth cut by the frame."""
    if index % 16 == 11:
        return "cut"
    return {7: "blur", 3: "glare"}.get(index % 10)


def build(count: int, size: tuple[int, int] = (1600, 1200), seed: int = 2015) -> list[Sample]:
    """``count`` samples of ``size`` (width, height), the same for the same seed."""
    return [render(np.random.default_rng([seed, i]), size, background_for(i), defect_for(i)) for i in range(count)]


def background_for(index: int) -> str:
    """Each background in turn, shifted every ten so that each defect meets every background."""
    return BACKGROUNDS[(index + index // 10) % len(BACKGROUNDS)]


def render(rng: np.random.Generator, size: tuple[int, int], background: str, defect: str | None) -> Sample:
    """One frame: background, page warped on, light and defects."""
    w, h = size
    canvas = make_background(rng, background, w, h)
    aspect = float(rng.choice([1.414, 1.414, 1.414, 1.3, 0.707]))  # A4 upright mostly, B5, A4 lying
    fill = rng.uniform(0.3, 0.6)
    page_w = int(np.sqrt(fill * w * h / aspect))
    page, text = render_page(rng, page_w, aspect)
    ph, pw = page.shape[:2]
    quad = place(rng, pw, ph, w, h, cut=defect == "cut")
    source = np.array([[-0.5, -0.5], [pw - 0.5, -0.5], [pw - 0.5, ph - 0.5], [-0.5, ph - 0.5]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, quad.astype(np.float32))
    warped = cv2.warpPerspective(page, matrix, (w, h), flags=cv2.INTER_LINEAR)
    coverage = cv2.warpPerspective(np.ones((ph, pw), np.float32), matrix, (w, h), flags=cv2.INTER_LINEAR)[..., None]
    frame = canvas * (1 - coverage) + warped.astype(np.float32) * coverage
    frame = shade(rng, frame)
    if defect == "glare":
        frame = add_glare(rng, frame, quad, strong=True)
    elif rng.random() < 0.3:
        frame = add_glare(rng, frame, quad, strong=False)
    sigma = rng.uniform(3.0, 4.5) if defect == "blur" else rng.uniform(0.0, 0.9)
    if sigma > 0.3:
        frame = cv2.GaussianBlur(frame, (0, 0), sigma)
    frame = frame + rng.normal(0, rng.uniform(1.0, 4.0), frame.shape)
    return Sample(np.clip(frame, 0, 255).astype(np.uint8), order_corners(quad), text, background, defect)


def place(rng: np.random.Generator, pw: int, ph: int, w: int, h: int, cut: bool) -> np.ndarray:
    """Where the page's corners land: rotated, skewed by perspective, inside the frame unless ``cut``."""
    angle = np.radians(rng.uniform(-20, 20))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    half = np.array([[-pw, -ph], [pw, -ph], [pw, ph], [-pw, ph]], dtype=np.float64) / 2
    for _ in range(50):
        jitter = rng.normal(0, 0.025 * max(pw, ph), (4, 2))
        quad = (half + jitter) @ rot.T
        span = quad.max(axis=0) - quad.min(axis=0)
        if span[0] < 0.94 * w and span[1] < 0.94 * h:
            break
        quad *= 0.9 * min(w / span[0], h / span[1])
        break
    span = quad.max(axis=0) - quad.min(axis=0)
    low = -quad.min(axis=0) + 0.02 * np.array([w, h])
    high = np.array([w, h]) - quad.max(axis=0) - 0.02 * np.array([w, h])
    centre = rng.uniform(low, np.maximum(low, high))
    if cut:  # push one way until 8 to 25 % of the page's width or height is outside
        axis, sign = int(rng.integers(0, 2)), float(rng.choice([-1, 1]))
        edge = (quad.max(axis=0) if sign > 0 else -quad.min(axis=0))[axis]
        limit = (np.array([w, h])[axis] if sign > 0 else 0.0)
        outside = rng.uniform(0.08, 0.25) * span[axis]
        centre[axis] = (limit + sign * outside - edge) if sign > 0 else (limit - outside + edge)
    return quad + centre


def make_background(rng: np.random.Generator, kind: str, w: int, h: int) -> np.ndarray:
    """A float32 BGR background of the named kind."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    wobble = smooth_noise(rng, w, h, 8)
    if kind == "wood":
        base = np.array([rng.uniform(40, 90), rng.uniform(80, 130), rng.uniform(120, 180)], np.float32)
        theta = rng.uniform(0, np.pi)
        grain = np.sin((x * np.cos(theta) + y * np.sin(theta)) * rng.uniform(0.03, 0.08) + 6 * wobble)
        image = base * (0.8 + 0.15 * grain[..., None] + 0.1 * smooth_noise(rng, w, h, 60)[..., None])
    elif kind == "cloth":
        base = rng.uniform(40, 200, 3).astype(np.float32)
        period = rng.uniform(0.5, 1.2)
        weave = np.sin(x * period) * np.sin(y * period)
        image = base * (0.85 + 0.1 * weave[..., None] + 0.1 * wobble[..., None])
    elif kind == "dark_desk":
        image = np.full((h, w, 3), rng.uniform(15, 55), np.float32) * (0.9 + 0.2 * wobble[..., None])
        image += rng.uniform(-8, 8, 3).astype(np.float32)
    elif kind == "pattern":
        tile = int(rng.integers(30, 110))
        palette = rng.uniform(20, 230, (4, 3)).astype(np.float32)
        palette[0] = palette[0] * 0.3 + 150  # one light colour in the pattern
        index = ((x // tile).astype(int) + 2 * (y // tile).astype(int)) % 4
        image = palette[index]
        for _ in range(int(rng.integers(5, 15))):
            centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
            cv2.circle(image, centre, int(rng.integers(10, 60)), tuple(float(v) for v in rng.uniform(20, 230, 3)), -1)
    else:  # light_desk: grey-beige laminate, lighter than most desks, darker than paper
        image = np.full((h, w, 3), rng.uniform(135, 175), np.float32) + np.array([-12, -2, 6], np.float32)
        image = image * (0.95 + 0.1 * wobble[..., None])
    return image.astype(np.float32)


def smooth_noise(rng: np.random.Generator, w: int, h: int, cells: int) -> np.ndarray:
    """Noise in -1..1 that varies over about ``cells`` steps across the frame."""
    small = rng.uniform(-1, 1, (max(2, cells * h // w), cells)).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def shade(rng: np.random.Generator, frame: np.ndarray) -> np.ndarray:
    """Uneven light: a linear gradient, and for some a soft-edged shadow across part of the frame."""
    h, w = frame.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    theta = rng.uniform(0, 2 * np.pi)
    ramp = (x - w / 2) * np.cos(theta) + (y - h / 2) * np.sin(theta)
    ramp = ramp / np.abs(ramp).max()
    light = 1.0 - rng.uniform(0.05, 0.3) * (ramp + 1) / 2
    if rng.random() < 0.4:  # a hand's or the camera arm's shadow
        across = (x / w - 0.5) * np.cos(theta + 1) + (y / h - 0.5) * np.sin(theta + 1)
        edge = rng.uniform(-0.6, 0.6) + across
        light *= 1.0 - rng.uniform(0.15, 0.35) / (1 + np.exp(-edge * rng.uniform(15, 40)))
    return frame * light[..., None]


def add_glare(rng: np.random.Generator, frame: np.ndarray, quad: np.ndarray, strong: bool) -> np.ndarray:
    """A reflection on the page: saturated at its core when ``strong``, a faint sheen otherwise."""
    h, w = frame.shape[:2]
    weights = rng.dirichlet(np.ones(4))
    cx, cy = weights @ quad
    cx, cy = float(np.clip(cx, 0, w - 1)), float(np.clip(cy, 0, h - 1))
    radius = rng.uniform(0.03, 0.07) * max(w, h)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    blob = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius**2))[..., None]
    if strong:
        return frame + (255 - frame) * np.minimum(1.0, 1.8 * blob) + 40 * blob
    return frame + (238 - frame).clip(0) * 0.35 * blob
