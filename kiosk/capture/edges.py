"""Find the page's four corners in a frame: guess outlines small, keep the best, refine full size.

``find_page(frame)`` works on a copy whose long side is ``SEARCH_SIDE`` pixels, takes every
outline guess from ``kiosk.capture.outline``, and scores each by how much its sides look like
the paper's edge: a *step* in colour across each side (Lab distance between points a few
pixels inside and outside), so a table's ruled border or a text block, which are lines with
paper on both sides, score low. The score is weighted by the square root of the outline's area (the page holds
things with edges of their own, such as its table), and the best wins. The winner's sides are then
refined on the full-size frame: along each side the strongest step across it is found to a
fraction of a pixel, a line is fitted through those points (Huber, so text touching the edge
does not pull it), and neighbouring lines are intersected.
"""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.capture.geometry import Quad, area, corner_angles, line_intersection, order_corners
from kiosk.capture.outline import candidate_quads

SEARCH_SIDE = 512  # long side of the copy the outlines are guessed on, pixels
MIN_ANGLE, MAX_ANGLE = 40.0, 140.0  # corners outside this are not a page lying on a desk
MIN_AREA = 0.05  # of the frame: smaller outlines are not a page
MIN_SCORE = 3.0  # step score times the square root of the area share (see ``step_score``)


def find_page(frame: np.ndarray) -> Quad | None:
    """The page's corners (TL, TR, BR, BL) in the frame's pixels, or None when there is no page."""
    bgr = frame if frame.ndim == 3 else cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    scale = min(1.0, SEARCH_SIDE / max(bgr.shape[:2]))
    small = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else bgr
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (3, 3), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    frame_area = float(small.shape[0] * small.shape[1])
    best, quad = 0.0, None
    seen: set[bytes] = set()
    for guess in candidate_quads(small):
        key = np.round(guess).astype(np.int16).tobytes()  # several masks often give the same outline
        if key not in seen and plausible(guess, small.shape[:2]):
            seen.add(key)
            score = step_score(lab, guess) * np.sqrt(area(guess) / frame_area)
            if score > best:
                best, quad = score, guess
    if quad is None or best < MIN_SCORE:  # no outline with a real edge round paper: no page
        return None
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    return refine(gray, quad / scale, reach=max(3.0, 1.5 / scale))


def plausible(quad: Quad, shape: tuple[int, ...]) -> bool:
    """Large enough and with corners a flat sheet seen from above can have."""
    big_enough = area(quad) >= MIN_AREA * shape[0] * shape[1]
    return big_enough and all(MIN_ANGLE <= a <= MAX_ANGLE for a in corner_angles(quad))


def step_score(lab: np.ndarray, quad: Quad, samples: int = 24, offset: float = 3.0) -> float:
    """Colour step across the sides (Lab units; per side the median, then the mean of the sides and
    the weakest side averaged), times the share of inside points like the paper.

    The second factor is what tells the page from a patch of patterned cloth: just inside a
    page's edge there is paper all round (shadows change its lightness, not its colour).
    """
    h, w = lab.shape[:2]
    centre = quad.mean(axis=0)
    steps, insides = [], []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        along = (b - a) / (np.linalg.norm(b - a) or 1.0)
        normal = np.array([-along[1], along[0]], dtype=np.float32)
        if normal @ (centre - a) < 0:
            normal = -normal  # point inwards
        t = np.linspace(0.1, 0.9, samples, dtype=np.float32)[:, None]
        points = a + t * (b - a)
        inside, outside = points + offset * normal, points - offset * normal
        ok = ((outside[:, 0] >= 0) & (outside[:, 0] < w - 1) & (outside[:, 1] >= 0) & (outside[:, 1] < h - 1)
              & (inside[:, 0] >= 0) & (inside[:, 0] < w - 1) & (inside[:, 1] >= 0) & (inside[:, 1] < h - 1))
        if ok.sum() < samples // 4:
            continue  # a side along the frame's edge says nothing
        inner = sample(lab, inside[ok])
        steps.append(float(np.median(np.sqrt(((inner - sample(lab, outside[ok])) ** 2).sum(axis=1)))))
        insides.append(inner)
    if len(steps) < 2:
        return 0.0
    seen = len(steps) / 4  # sides along the frame's edge say nothing: weigh down
    step = 0.5 * (float(np.mean(steps)) + min(steps))  # one side across the paper is enough to lose
    inner = np.concatenate(insides)
    paper = np.median(inner, axis=0)
    alike = (np.abs(inner[:, 1:] - paper[1:]).sum(axis=1) < 12) & (np.abs(inner[:, 0] - paper[0]) < 70)
    chroma = float(np.abs(paper[1:] - 128).sum())
    paperlike = float(np.clip((paper[0] - 90) / 80, 0.2, 1.0) * np.clip(1.2 - chroma / 40, 0.2, 1.0))
    return step * float(alike.mean()) ** 2 * paperlike * seen


def sample(image: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Bilinear samples of ``image`` at (x, y) points: one row per point."""
    mapx = np.ascontiguousarray(points[:, 0].reshape(1, -1), dtype=np.float32)
    mapy = np.ascontiguousarray(points[:, 1].reshape(1, -1), dtype=np.float32)
    values = cv2.remap(image, mapx, mapy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return values.reshape(len(points), -1)


def refine(gray: np.ndarray, quad: Quad, reach: float, samples: int = 48) -> Quad:
    """Move each side onto the strongest step across it (within ``reach`` px); intersect the lines."""
    smooth = cv2.GaussianBlur(gray, (5, 5), 0).astype(np.float32)
    h, w = gray.shape
    lines = []
    offsets = np.arange(-reach, reach + 0.5, 0.5, dtype=np.float32)
    for i in range(4):
        a, b = quad[i].astype(np.float32), quad[(i + 1) % 4].astype(np.float32)
        along = (b - a) / (np.linalg.norm(b - a) or 1.0)
        normal = np.array([-along[1], along[0]], dtype=np.float32)
        t = np.linspace(0.06, 0.94, samples, dtype=np.float32)[:, None]
        points = a + t * (b - a)
        grid = points[:, None, :] + offsets[None, :, None] * normal  # samples x offsets x 2
        inside = ((grid[..., 0] >= 1) & (grid[..., 0] < w - 2) & (grid[..., 1] >= 1) & (grid[..., 1] < h - 2)).all(1)
        found = []
        if inside.sum() >= 6:
            profiles = sample(smooth, grid[inside].reshape(-1, 2)).reshape(int(inside.sum()), len(offsets))
            slope = np.abs(np.diff(profiles, axis=1))
            peak = slope.argmax(axis=1)
            strength = slope.max(axis=1)
            strong = strength >= max(2.0, 0.3 * float(np.median(strength)))
            for k in np.nonzero(strong)[0]:
                j = int(peak[k])
                d = offsets[j] + 0.25  # the step lies between offsets j and j + 1
                if 0 < j < slope.shape[1] - 1:  # parabola through the neighbours: sub-sample peak
                    left, mid, right = slope[k, j - 1], slope[k, j], slope[k, j + 1]
                    denom = left - 2 * mid + right
                    if denom < 0:
                        d += 0.5 * float(np.clip(0.5 * (left - right) / denom, -0.5, 0.5))
                found.append(points[inside][k] + d * normal)
        if len(found) >= max(6, samples // 4):
            vx, vy, x0, y0 = cv2.fitLine(np.array(found, dtype=np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
            lines.append((np.array([x0, y0]), np.array([vx, vy])))
        else:
            lines.append((a.astype(np.float64), (b - a).astype(np.float64)))
    corners = []
    for i in range(4):
        point = line_intersection(*lines[i - 1], *lines[i])
        if point is None:
            return order_corners(quad)
        corners.append(point)
    refined = order_corners(np.array(corners))
    if float(np.abs(refined - order_corners(quad)).max()) > 3 * reach:
        return order_corners(quad)  # the refinement ran off: keep the guess
    return refined
