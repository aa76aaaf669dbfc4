"""Cut the page out of the frame, square it up, and make the writing stand out.

``rectify`` maps the four corners onto an upright rectangle whose sides are the longer of each
pair of opposite sides (so nothing is shrunk), which keeps the page's aspect ratio as seen.
``enhance`` removes shadows and uneven light by dividing by the paper's own brightness
(estimated by a large median filter on a small copy, which the writing does not survive), then
stretches the contrast so the paper is white and the ink dark.
"""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.capture.geometry import Quad, side_lengths


def rectify(frame: np.ndarray, corners: Quad) -> np.ndarray:
    """The page between ``corners`` (TL, TR, BR, BL), warped upright, in the frame's colours."""
    top, right, bottom, left = side_lengths(corners)
    width, height = max(2, round(max(top, bottom))), max(2, round(max(left, right)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(np.asarray(corners, dtype=np.float32), target)
    return cv2.warpPerspective(frame, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def enhance(page: np.ndarray) -> np.ndarray:
    """A grey page with the shadows divided out and the contrast stretched (paper white, ink dark)."""
    gray = page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    factor = min(1.0, 256 / max(h, w))
    small = cv2.resize(gray, (max(1, round(w * factor)), max(1, round(h * factor))), interpolation=cv2.INTER_AREA)
    small = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))  # lift thin ink to the paper
    paper_small = cv2.medianBlur(small, 21 if min(small.shape) > 21 else 3)
    paper = cv2.resize(paper_small, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    flat = gray.astype(np.float32) / np.maximum(paper, 1.0)
    low, high = np.percentile(flat[::4, ::4], (1.0, 60.0))  # every 16th pixel is plenty
    low = min(float(low), 0.6 * float(high))  # a nearly blank page: do not blow paper grain up to ink
    stretched = (flat - low) / max(1e-3, float(high - low))
    return (np.clip(stretched, 0.0, 1.0) * 255).astype(np.uint8)
