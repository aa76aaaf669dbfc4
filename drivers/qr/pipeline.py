"""The decode pipeline the camera scanner runs on every frame.

Chosen by measurement (``python -m bench qr``): on our corpus zxing-cpp reads more codes than
zbar and is ten to twenty times faster, so it goes first; each later stage is kept because it
reads codes the earlier ones miss (low contrast: CLAHE; blur and glare: crops and zbar).
Only when it finds nothing does the pipeline spend more time, in this order, stopping at the
first stage that reads a code or when the frame budget is spent:

1. zxing-cpp on the gray frame (≈1 ms at 1280×720); it also reports where it saw symbols
   it could not read;
2. those symbols cropped out, enlarged 2× and given to zxing-cpp, then zbar (small and
   blurred codes);
3. zxing-cpp on the inverted frame, for light-on-dark codes (phones in dark mode, some
   e-certificate apps); zxing-cpp's own ``try_invert`` would double the cost of every frame
   with a code, and such codes are rare, so it runs only when stages 1–2 found nothing, and
   cheaply (see the per-frame policy below);
4. zxing-cpp on a locally equalised frame (CLAHE), for low contrast, glare and noise;
5. zbar (binary output, our own UTF-8 / GB 18030 decoding) on the frame scaled down to at
   most 640 px wide, which reads some blurred and glared codes zxing-cpp misses.

Per-frame policy (the pipeline counts the frames it is given):

- stages 1, 2, 4 and 5 run on every frame, as above;
- stage 3 runs on every frame on the inverted frame scaled down to at most
  ``INVERT_WIDTH`` (640) px wide (≈1 ms at 1280×720 instead of ≈3.5 ms; it reads every
  inverted code in the bench corpus); on every ``INVERT_FULL_EVERY``-th frame (2: every
  other one) whose gray frame is wider than that, and only if the scaled pass found
  nothing, it runs again at full resolution, for small light-on-dark codes. A camera gives
  15–30 frames a second and a resident holds a code up for seconds, so such a code is read
  within ``INVERT_FULL_EVERY`` consecutive frames.

A frame with no code costs stages 1, 3 (scaled; full size on every other frame), 4 and 5;
measured (``python -m bench qr``, "empty" columns) it is dominated by stages 4 and 5, not
by stage 3. The budget (15 ms by default) is checked between stages, so a stage that starts
under budget runs to its end. Codes are told apart by their bytes; a code whose text is undecodable
(``Decoded.readable`` false, see ``drivers.qr.text``) ends the search like any other, since
later stages would read the same bytes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import cv2
import numpy as np

from drivers.qr.decoders import Decoded, Decoder, ZbarDecoder, ZxingDecoder

ZBAR_WIDTH = 640
MAX_CROPS = 3
CROP_MARGIN = 0.15  # of the symbol's size, on each side
MAX_CROP_SIDE = 900  # px after enlarging
INVERT_WIDTH = 640  # the inverted pass runs on the frame scaled down to this width ...
INVERT_FULL_EVERY = 2  # ... and at full size on every this-many-th frame


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


def _crop(gray: np.ndarray, corners: np.ndarray) -> np.ndarray | None:
    """Cut out a symbol with a margin and enlarge it 2× (less if that would be too big)."""
    low, high = corners.min(axis=0), corners.max(axis=0)
    margin = CROP_MARGIN * float(max(high - low))
    x0, y0 = (np.maximum(low - margin, 0)).astype(int)
    x1, y1 = (high + margin).astype(int) + 1
    crop = gray[y0:y1, x0:x1]
    if crop.shape[0] < 8 or crop.shape[1] < 8:
        return None
    factor = min(2.0, MAX_CROP_SIDE / max(crop.shape))
    return cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


class DecodePipeline:
    """Decode QR codes in camera frames within a time budget. One per thread."""

    def __init__(
        self,
        *,
        budget: float = 0.015,
        zxing: ZxingDecoder | None = None,
        zbar: Decoder | None = None,
    ) -> None:
        self.budget = budget
        self._zxing = zxing or ZxingDecoder()
        self._zbar = zbar or ZbarDecoder()
        self._clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))
        self.last_stage = ""
        self.frames = 0  # frames given to ``decode``; drives the per-frame policy

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        """Return the distinct codes in ``frame`` (gray or BGR), or an empty list."""
        gray = to_gray(frame)
        self.frames += 1
        full_invert = self.frames % INVERT_FULL_EVERY == 0
        start = time.perf_counter()
        found, unread = self._zxing.decode_and_locate(gray)
        stages: list[tuple[str, Callable[[], list[Decoded]]]] = [
            ("zxing", lambda: found),
            ("crop", lambda: self._crops(gray, unread)),
            ("zxing-inverted", lambda: self._inverted(gray, full=full_invert)),
            ("zxing+clahe", lambda: self._zxing.decode(self._clahe.apply(gray))),
            ("zbar", lambda: self._zbar.decode(_shrink(gray, ZBAR_WIDTH))),
        ]
        self.last_stage = ""
        for name, stage in stages:
            codes = stage()
            if codes:
                self.last_stage = name
                unique: dict[bytes, Decoded] = {}
                for code in codes:
                    unique.setdefault(code.raw, code)
                return list(unique.values())
            if time.perf_counter() - start > self.budget:
                break
        return []

    def _inverted(self, gray: np.ndarray, *, full: bool) -> list[Decoded]:
        small = _shrink(gray, INVERT_WIDTH)
        codes = self._zxing.decode(cv2.bitwise_not(small))
        if codes or not full or small is gray:
            return codes
        return self._zxing.decode(cv2.bitwise_not(gray))

    def _crops(self, gray: np.ndarray, unread: list[np.ndarray]) -> list[Decoded]:
        for corners in unread[:MAX_CROPS]:
            crop = _crop(gray, corners)
            if crop is None:
                continue
            codes = self._zxing.decode(crop) or self._zbar.decode(crop)
            if codes:
                return codes
        return []
