"""The decode pipeline the camera scanner runs on every frame.

Chosen by measurement (``python -m bench qr``): on our corpus zxing-cpp reads more codes than
zbar and is ten to twenty times faster, so it goes first; each later stage is kept because it
reads codes the earlier ones miss. Only when a stage finds nothing does the pipeline go on,
stopping at the first stage that reads a code or when the frame budget is spent:

1. zxing-cpp on the gray frame (≈3 ms at 1280×720); it also reports where it saw symbols it
   could not read;
2. those symbols cropped out, enlarged 2× and given to zxing-cpp, then zbar (small and
   blurred codes);
3. zxing-cpp on the inverted frame scaled down to at most ``INVERT_WIDTH`` (640) px wide, for
   light-on-dark codes (phones in dark mode, some e-certificate apps): ≈0.6 ms, and it reads
   every inverted code in the bench corpus but the smallest. zxing-cpp's own ``try_invert``
   would double the cost of every frame with a code, and such codes are rare;
4. one **deep stage**, taken in turn from ``DEEP_STAGES``, a different one on each frame:
   - ``zxing+clahe``: zxing-cpp on a locally equalised frame (CLAHE), for low contrast, glare
     and noise (≈7 ms);
   - ``zbar``: zbar (binary output, our own text decoding) on the frame scaled down to at most
     ``ZBAR_WIDTH`` (480) px wide, which reads some blurred and glared codes zxing-cpp misses
     (≈9 ms; 640 px would cost ≈13 ms and read no code 480 px misses in the bench corpus);
   - ``zxing-inverted-full``: the inverted frame at full size, for small light-on-dark codes
     (≈3 ms; not in the turn when the frame is no wider than ``INVERT_WIDTH``, since the
     every-frame pass already saw it whole).

Why in turn: all three together cost ≈19 ms on a frame with no code — the kiosk's usual
frame — which is over the 15 ms budget, while each alone keeps a frame within it (≈7–13 ms
measured, "empty" columns of the bench). A camera gives 15–30 frames a second and a resident
holds a code up for seconds, so every stage has looked at the code within
``len(DEEP_STAGES)`` consecutive frames (0.1–0.2 s). A still image (``kiosk device qr
decode``) has no next frame: ``DecodePipeline(every_stage=True)`` runs every deep stage on
each call.

The budget (15 ms by default) is checked between stages, so a stage that starts under budget
runs to its end; a deep stage skipped because the budget was spent keeps its turn. Codes are
told apart by their bytes; a code whose text is undecodable (``Decoded.readable`` false, see
``drivers.qr.text``) ends the search like any other, since later stages would read the same
bytes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import cv2
import numpy as np

from drivers.qr.decoders import Decoded, Decoder, ZbarDecoder, ZxingDecoder

ZBAR_WIDTH = 480
MAX_CROPS = 3
CROP_MARGIN = 0.15  # of the symbol's size, on each side
MAX_CROP_SIDE = 900  # px after enlarging
INVERT_WIDTH = 640  # the inverted pass on every frame runs on the frame scaled to this width
DEEP_STAGES = ("zxing+clahe", "zbar", "zxing-inverted-full")  # one a frame, in turn


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
        every_stage: bool = False,
        zxing: ZxingDecoder | None = None,
        zbar: Decoder | None = None,
    ) -> None:
        self.budget = budget
        self.every_stage = every_stage
        self._zxing = zxing or ZxingDecoder()
        self._zbar = zbar or ZbarDecoder()
        self._clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))
        self._turn = 0  # which deep stage the next frame runs (an index into DEEP_STAGES)
        self.last_stage = ""

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        """Return the distinct codes in ``frame`` (gray or BGR), or an empty list."""
        gray = to_gray(frame)
        start = time.perf_counter()
        found, unread = self._zxing.decode_and_locate(gray)
        stages: list[tuple[str, Callable[[], list[Decoded]]]] = [
            ("zxing", lambda: found),
            ("crop", lambda: self._crops(gray, unread)),
            ("zxing-inverted", lambda: self._zxing.decode(_inverted(_shrink(gray, INVERT_WIDTH)))),
        ]
        passes: dict[str, Callable[[], list[Decoded]]] = {
            "zxing+clahe": lambda: self._zxing.decode(self._clahe.apply(gray)),
            "zbar": lambda: self._zbar.decode(_shrink(gray, ZBAR_WIDTH)),
            "zxing-inverted-full": lambda: self._zxing.decode(_inverted(gray)),
        }
        small = gray.shape[1] <= INVERT_WIDTH  # then the every-frame pass saw it inverted whole
        deep = {
            name: passes[name] for name in DEEP_STAGES
            if not (small and name == "zxing-inverted-full")
        }
        if self.every_stage:
            stages += deep.items()
        else:
            name = list(deep)[self._turn % len(deep)]
            stages.append((name, deep[name]))
        self.last_stage = ""
        for name, stage in stages:
            if name in deep and not self.every_stage:
                self._turn = (self._turn + 1) % len(deep)
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

    def _crops(self, gray: np.ndarray, unread: list[np.ndarray]) -> list[Decoded]:
        for corners in unread[:MAX_CROPS]:
            crop = _crop(gray, corners)
            if crop is None:
                continue
            codes = self._zxing.decode(crop) or self._zbar.decode(crop)
            if codes:
                return codes
        return []


def _inverted(gray: np.ndarray) -> np.ndarray:
    return cv2.bitwise_not(gray)
