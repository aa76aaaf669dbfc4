"""The quality gate: is this photo of the page good enough to attach to a case?

Each check that fails adds the message id of its hint for the resident:

===================  =====================================================  ==========================
check                measured on                                            fails (hint)
===================  =====================================================  ==========================
whole page in view   corners within ``BORDER_MARGIN`` of the frame's edge    ``capture.not_whole``
large enough         page area / frame area < ``MIN_AREA``                   ``capture.too_small``
flat                 a corner angle off 90° by more than ``MAX_SKEW``        ``capture.not_flat``
sharp                variance of the Laplacian of the enhanced page, scaled  ``capture.blurred``
                     to ``SHARPNESS_WIDTH`` px wide, < ``MIN_SHARPNESS``
no glare             saturated blobs (all channels ≥ ``SATURATED``) cover    ``capture.glare``
                     more than ``MAX_GLARE`` of the page
===================  =====================================================  ==========================

The thresholds were set on ``bench/document_corpus.py`` (``python -m bench document``).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.capture.geometry import Quad, area, corner_angles
from kiosk.messages.ids import MessageId

BORDER_MARGIN = 0.004  # of the frame's long side (at least 2 px)
MIN_AREA = 0.10
MAX_SKEW = 35.0  # degrees
SHARPNESS_WIDTH = 800
MIN_SHARPNESS = 250.0
SATURATED = 250
MIN_GLARE_BLOB = 0.0005  # of the page area: smaller saturated specks are ignored
MAX_GLARE = 0.003  # of the page area


@dataclass(frozen=True)
class Verdict:
    """What the gate found: the problems (hint ids, empty when accepted) and the measures."""

    problems: tuple[MessageId, ...]
    area: float = 0.0  # page area / frame area
    sharpness: float = 0.0
    glare: float = 0.0  # saturated blob area / page area

    @property
    def accepted(self) -> bool:
        return not self.problems


NO_PAGE = Verdict(problems=(MessageId.CAPTURE_NO_PAGE,))


def judge(frame: np.ndarray, corners: Quad, page: np.ndarray) -> Verdict:
    """Run every check on the page at ``corners`` (``page``: the enhanced, rectified grey page)."""
    h, w = frame.shape[:2]
    problems: list[MessageId] = []
    margin = max(2.0, BORDER_MARGIN * max(h, w))
    xs, ys = corners[:, 0], corners[:, 1]
    if xs.min() < margin or ys.min() < margin or xs.max() > w - 1 - margin or ys.max() > h - 1 - margin:
        problems.append(MessageId.CAPTURE_NOT_WHOLE)
    fraction = area(corners) / float(h * w)
    if fraction < MIN_AREA:
        problems.append(MessageId.CAPTURE_TOO_SMALL)
    if max(abs(angle - 90.0) for angle in corner_angles(corners)) > MAX_SKEW:
        problems.append(MessageId.CAPTURE_NOT_FLAT)
    crisp = sharpness(page)
    if crisp < MIN_SHARPNESS:
        problems.append(MessageId.CAPTURE_BLURRED)
    shine = glare(frame, corners)
    if shine > MAX_GLARE:
        problems.append(MessageId.CAPTURE_GLARE)
    return Verdict(tuple(problems), area=fraction, sharpness=crisp, glare=shine)


def sharpness(page: np.ndarray) -> float:
    """Variance of the Laplacian of the page scaled to a fixed width (higher is sharper)."""
    h, w = page.shape[:2]
    scaled = cv2.resize(page, (SHARPNESS_WIDTH, max(1, round(h * SHARPNESS_WIDTH / w))), interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(scaled, cv2.CV_32F).var())


def glare(frame: np.ndarray, corners: Quad) -> float:
    """The share of the page covered by saturated blobs (specks below ``MIN_GLARE_BLOB`` ignored)."""
    h, w = frame.shape[:2]
    x0, y0 = (int(max(0, np.floor(v))) for v in corners.min(axis=0))
    x1, y1 = int(min(w, np.ceil(corners[:, 0].max()) + 1)), int(min(h, np.ceil(corners[:, 1].max()) + 1))
    if x1 <= x0 or y1 <= y0:
        return 0.0
    crop = frame[y0:y1, x0:x1]
    bright = cv2.min(cv2.min(crop[:, :, 0], crop[:, :, 1]), crop[:, :, 2]) if crop.ndim == 3 else crop
    inside = np.zeros(bright.shape, dtype=np.uint8)
    cv2.fillConvexPoly(inside, np.round(corners - [x0, y0]).astype(np.int32), 255)
    saturated = ((bright >= SATURATED) & (inside > 0)).astype(np.uint8)
    if not saturated.any():
        return 0.0
    page_area = max(1.0, float(np.count_nonzero(inside)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(saturated, connectivity=8)
    blobs = stats[1:count, cv2.CC_STAT_AREA] if count > 1 else np.zeros(0)
    return float(blobs[blobs >= MIN_GLARE_BLOB * page_area].sum() / page_area)
