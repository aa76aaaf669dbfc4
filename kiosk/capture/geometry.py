"""Quadrilaterals in image pixels: corner order, angles, area, the overlap of two pages.

A page's corners are a float32 array of shape (4, 2), (x, y) in image pixels, ordered
top-left, top-right, bottom-right, bottom-left as the page lies in the image (the corner
nearest the image's top-left first, then clockwise on screen).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

Quad = np.ndarray  # (4, 2) float32


def order_corners(points: np.ndarray) -> Quad:
    """Order four points TL, TR, BR, BL: clockwise on screen, starting nearest the top-left."""
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])  # y down: increasing is clockwise
    pts = pts[np.argsort(angles)]
    first = int(np.argmin(pts[:, 0] + pts[:, 1]))
    return np.roll(pts, -first, axis=0)


def area(quad: Quad) -> float:
    """The area of a simple polygon, in square pixels."""
    return float(abs(cv2.contourArea(np.asarray(quad, dtype=np.float32))))


def is_convex(quad: Quad) -> bool:
    """True when the four corners make a convex, non-degenerate quadrilateral."""
    pts = np.asarray(quad, dtype=np.float32).reshape(-1, 1, 2)
    return area(quad) > 1.0 and bool(cv2.isContourConvex(pts))


def corner_angles(quad: Quad) -> list[float]:
    """The interior angle at each corner, in degrees."""
    pts = np.asarray(quad, dtype=np.float64)
    angles = []
    for i in range(4):
        a, b = pts[i - 1] - pts[i], pts[(i + 1) % 4] - pts[i]
        norm = float(np.linalg.norm(a) * np.linalg.norm(b)) or 1.0
        angles.append(math.degrees(math.acos(max(-1.0, min(1.0, float(a @ b) / norm)))))
    return angles


def side_lengths(quad: Quad) -> list[float]:
    """Lengths of the top, right, bottom and left sides."""
    pts = np.asarray(quad, dtype=np.float64)
    return [float(np.linalg.norm(pts[(i + 1) % 4] - pts[i])) for i in range(4)]


def line_intersection(p1: np.ndarray, d1: np.ndarray, p2: np.ndarray, d2: np.ndarray) -> np.ndarray | None:
    """Where the line through p1 along d1 meets the line through p2 along d2 (None if parallel)."""
    cross = float(d1[0] * d2[1] - d1[1] * d2[0])
    if abs(cross) < 1e-9:
        return None
    t = float((p2[0] - p1[0]) * d2[1] - (p2[1] - p1[1]) * d2[0]) / cross
    return np.asarray(p1, dtype=np.float64) + t * np.asarray(d1, dtype=np.float64)


def jaccard(found: Quad, truth: Quad) -> float:
    """Intersection over union of two convex quadrilaterals (0 when either is not convex)."""
    a, b = order_corners(found), order_corners(truth)
    if not (is_convex(a) and is_convex(b)):
        return 0.0
    inter, _ = cv2.intersectConvexConvex(a, b)
    union = area(a) + area(b) - inter
    return float(inter / union) if union > 0 else 0.0
