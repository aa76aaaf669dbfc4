"""The decode pipeline the camera scanner runs on every frame.

Chosen by measurement (``python -m bench qr``; figures in the bench module): zxing-cpp reads
more codes than zbar on our corpus and is ten to twenty times faster, so it goes first.
Only when it finds nothing does the pipeline spend more time, in this order, stopping at the
first stage that reads a code or when the frame budget is spent:

1. zxing-cpp on the gray frame (≈1 ms at 1280×720);
2. zxing-cpp on a locally equalised frame (CLAHE), for low contrast, glare and noise;
3. zbar (binary output, our own UTF-8 / GB 18030 decoding) on the frame scaled down to at
   most 640 px wide, which reads some blurred and glared codes zxing-cpp misses.

A frame with no code costs all three stages; the budget (15 ms by default) bounds that.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import cv2
import numpy as np

from drivers.qr.decoders import Decoded, Decoder, ZbarDecoder, ZxingDecoder

Stage = tuple[str, Callable[[np.ndarray], list[Decoded]]]
ZBAR_WIDTH = 640


def to_gray(frame: np.ndarray) -> np.ndarray:
    """Return an 8-bit single-channel view of a gray, BGR or BGRA frame."""
    if frame.dtype != np.uint8:
        raise ValueError("frames must be 8-bit")
    if frame.ndim == 2:
        return frame
    if frame.ndim == 3 and frame.shape[2] == 3:
        return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    if frame.ndim == 3 and frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    raise ValueError(f"unsupported frame shape {frame.shape}")


def _shrink(gray: np.ndarray, width: int) -> np.ndarray:
    if gray.shape[1] <= width:
        return gray
    factor = width / gray.shape[1]
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


class DecodePipeline:
    """Decode QR codes in camera frames within a time budget. One per thread."""

    def __init__(
        self,
        *,
        budget: float = 0.015,
        zxing: Decoder | None = None,
        zbar: Decoder | None = None,
    ) -> None:
        self.budget = budget
        self._zxing = zxing or ZxingDecoder()
        self._zbar = zbar or ZbarDecoder()
        self._clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))
        self.stages: list[Stage] = [
            ("zxing", self._zxing.decode),
            ("zxing+clahe", lambda g: self._zxing.decode(self._clahe.apply(g))),
            ("zbar", lambda g: self._zbar.decode(_shrink(g, ZBAR_WIDTH))),
        ]
        self.last_stage = ""

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        """Return the distinct codes in ``frame`` (gray or BGR), or an empty list."""
        gray = to_gray(frame)
        start = time.perf_counter()
        self.last_stage = ""
        for name, stage in self.stages:
            found = stage(gray)
            if found:
                self.last_stage = name
                unique: dict[str, Decoded] = {}
                for code in found:
                    unique.setdefault(code.text, code)
                return list(unique.values())
            if time.perf_counter() - start > self.budget:
                break
        return []
