"""Capture one paper document from a document-camera frame (高拍仪): the whole pipeline.

``capture_document(frame)`` finds the page (``kiosk.capture.edges``), squares and crops it
(``kiosk.capture.rectify``), enhances it, and runs the quality gate (``kiosk.capture.quality``).
It never raises on a bad picture: no page found is a result with ``corners is None`` and the
problem ``capture.no_page``. ``encode_page`` makes the compact grey JPEG attached to a case.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.capture.edges import find_page
from kiosk.capture.quality import NO_PAGE, Verdict, judge
from kiosk.capture.rectify import enhance, rectify
from kiosk.messages.ids import MessageId

A4_150DPI_SIDE = 1754  # the long side of an A4 page at 150 dpi, pixels
MAX_BYTES = 300_000


@dataclass(frozen=True, eq=False)
class DocumentCapture:
    """One capture: the page's corners (4×2 float32, TL, TR, BR, BL, image pixels; None when no
    page was found), the rectified, enhanced grey page (None likewise), the gate's verdict, and
    the time the pipeline took in milliseconds."""

    corners: np.ndarray | None
    page: np.ndarray | None
    verdict: Verdict
    ms: float

    @property
    def accepted(self) -> bool:
        return self.verdict.accepted

    @property
    def problems(self) -> tuple[MessageId, ...]:
        """The hint ids for the resident, most important first (empty when accepted)."""
        return self.verdict.problems


def capture_document(frame: np.ndarray) -> DocumentCapture:
    """Find, square, crop, enhance and judge the page in a BGR or grey frame."""
    started = time.perf_counter()
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    corners = find_page(frame)
    if corners is None:
        return DocumentCapture(None, None, NO_PAGE, (time.perf_counter() - started) * 1000)
    page = enhance(rectify(frame, corners))
    verdict = judge(frame, corners, page)
    return DocumentCapture(corners, page, verdict, (time.perf_counter() - started) * 1000)


def encode_page(page: np.ndarray, max_bytes: int = MAX_BYTES) -> bytes:
    """A grey JPEG of the page, at most A4 at 150 dpi, under ``max_bytes`` where quality allows."""
    gray = page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    factor = min(1.0, A4_150DPI_SIDE / max(h, w))
    if factor < 1.0:
        gray = cv2.resize(gray, (round(w * factor), round(h * factor)), interpolation=cv2.INTER_AREA)
    data = b""
    for quality in (80, 70, 60, 50, 40):
        ok, buffer = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_OPTIMIZE, 1])
        if not ok:
            raise ValueError("the page could not be encoded as JPEG")
        data = buffer.tobytes()
        if len(data) <= max_bytes:
            break
    return data
