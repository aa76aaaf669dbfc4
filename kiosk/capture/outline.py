"""Candidate page outlines on a small copy of the frame: segmentation masks and edge contours.

Each way of finding the paper gives its own guess; ``kiosk.capture.edges`` scores them
against the image and keeps the best. The masks:

- *paperness*: lightness minus twice the chroma (Lab), Otsu-thresholded: paper is light and
  grey, wood, cloth and most desks are darker or coloured;
- *lightness* alone, Otsu-thresholded: for coloured paper on a dark desk;
- *unlike the border*: distance in Lab from the median colour of the frame's border ring, which
  is mostly background, Otsu-thresholded: for light paper on a light but coloured desk.

Each mask is closed (text, table lines and stamps are holes in the paper), holes filled,
opened (cuts thin bridges to bright things beside the page), and its largest blob outlined.
The edge guess is the classic one: Canny, dilate, the largest contours.
A blob's outline becomes four corners by polygon approximation of its convex hull; when that
does not give four, the four longest hull sides are extended and intersected (a corner cut
by a shadow or a glare spot comes back), and failing that the minimum-area rectangle.
"""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.capture.geometry import Quad, area, is_convex, line_intersection, order_corners


def candidate_quads(small: np.ndarray) -> list[Quad]:
    """Every outline guess for the page in a small BGR frame, in its pixels."""
    quads: list[Quad] = []
    for mask in paper_masks(small):
        contour = largest_blob(mask)
        if contour is not None:
            quads.extend(quads_from_contour(contour, blob=True))
    for contour in edge_contours(small):
        quads.extend(quads_from_contour(contour, blob=False))
    return quads


def paper_masks(small: np.ndarray) -> list[np.ndarray]:
    """Binary masks (255 = paper) from the three segmentations."""
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_BGR2LAB).astype(np.int16)
    light = lab[:, :, 0]
    chroma = np.abs(lab[:, :, 1] - 128) + np.abs(lab[:, :, 2] - 128)
    paperness = np.clip(light - 2 * chroma, 0, 255).astype(np.uint8)
    ring = np.concatenate([lab[:4].reshape(-1, 3), lab[-4:].reshape(-1, 3),
                           lab[:, :4].reshape(-1, 3), lab[:, -4:].reshape(-1, 3)])
    border_colour = np.median(ring, axis=0)
    unlike = np.sqrt(((lab - border_colour) ** 2).sum(axis=2))
    unlike = np.clip(unlike * (255.0 / max(1.0, float(unlike.max()))), 0, 255).astype(np.uint8)
    edges = step_edges(lab)
    masks = []
    for channel in (paperness, light.astype(np.uint8), unlike):
        _, mask = cv2.threshold(channel, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        masks.append(clean(mask))
        masks.append(clean(cut_at_edges(mask, edges)))
    return masks


def step_edges(lab: np.ndarray) -> np.ndarray:
    """Where the colour changes strongly (Lab gradient), thickened: the lines that part things."""
    gradient = np.zeros(lab.shape[:2], dtype=np.float32)
    for channel in cv2.split(lab.astype(np.float32)):
        gx = cv2.Sobel(channel, cv2.CV_32F, 1, 0, ksize=3)
        gy = cv2.Sobel(channel, cv2.CV_32F, 0, 1, ksize=3)
        gradient += gx * gx + gy * gy
    strong = (np.sqrt(gradient) > 60).astype(np.uint8) * 255
    return cv2.dilate(strong, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))


def cut_at_edges(mask: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The mask's largest piece once cut along the edges (a light tile touching the page parts)."""
    pieces = cv2.bitwise_and(mask, cv2.bitwise_not(edges))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(pieces, connectivity=4)
    if count <= 1:
        return pieces
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return ((labels == largest) * 255).astype(np.uint8)


def clean(mask: np.ndarray) -> np.ndarray:
    """Close the text holes, fill what is enclosed, open away thin bridges."""
    size = max(mask.shape)
    close = cv2.getStructuringElement(cv2.MORPH_RECT, (size // 60 * 2 + 1,) * 2)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, close)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(mask)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    opening = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size // 80 * 2 + 1,) * 2)
    return cv2.morphologyEx(filled, cv2.MORPH_OPEN, opening)


def largest_blob(mask: np.ndarray) -> np.ndarray | None:
    """The outline of the mask's largest blob, if it covers at least 2 % of the frame."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    best = max(contours, key=cv2.contourArea)
    return best if cv2.contourArea(best) >= 0.02 * mask.size else None


def edge_contours(small: np.ndarray, keep: int = 4) -> list[np.ndarray]:
    """The largest contours of Canny edges (thresholds from the median), dilated to close gaps."""
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    median = float(np.median(gray))
    edges = cv2.Canny(gray, int(max(10, 0.66 * median)), int(min(255, max(30, 1.33 * median))))
    edges = cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    contours = [c for c in contours if cv2.contourArea(cv2.convexHull(c)) >= 0.02 * gray.size]
    return sorted(contours, key=lambda c: cv2.contourArea(cv2.convexHull(c)), reverse=True)[:keep]


def quads_from_contour(contour: np.ndarray, blob: bool) -> list[Quad]:
    """Four-corner guesses for one outline: approximated hull, extended long sides, min-area box,
    and for a blob's outline (not a tangle of edges) its sides refitted (``refit_sides``)."""
    hull = cv2.convexHull(contour)
    hull_area = float(cv2.contourArea(hull))
    if hull_area <= 0:
        return []
    perimeter = cv2.arcLength(hull, True)
    quads: list[Quad] = []
    for fraction in (0.01, 0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, fraction * perimeter, True).reshape(-1, 2)
        if len(approx) == 4:
            quads.append(order_corners(approx))
            break
    fine = cv2.approxPolyDP(hull, 0.004 * perimeter, True).reshape(-1, 2).astype(np.float64)
    if len(fine) > 4:
        extended = longest_sides_quad(fine)
        if extended is not None and 0.85 * hull_area <= area(extended) <= 1.3 * hull_area:
            quads.append(extended)
    quads.append(order_corners(cv2.boxPoints(cv2.minAreaRect(hull))))
    refit = refit_sides(contour.reshape(-1, 2).astype(np.float32), quads[0]) if blob else None
    if refit is not None:
        quads.append(refit)
    return [q for q in quads if is_convex(q)]


def refit_sides(points: np.ndarray, quad: Quad) -> Quad | None:
    """Move each side onto the straight run of outline most of its points lie on, and intersect.

    A light patch of background touching the page makes an ear on the blob, and the hull's
    side runs over the ear's tip; most of the outline near that side is still the page's edge,
    so the commonest distance from the side (a histogram peak) is where the edge really is.
    """
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        if length < 8:
            return None
        along = (b - a) / length
        normal = np.array([-along[1], along[0]], dtype=np.float32)
        t = (points - a) @ along / length
        d = (points - a) @ normal
        reach = 0.12 * length
        near = (t > 0.05) & (t < 0.95) & (np.abs(d) < reach)
        if near.sum() < 10:
            return None
        counts, edges = np.histogram(d[near], bins=max(4, int(2 * reach)), range=(-reach, reach))
        peak = 0.5 * (edges[int(np.argmax(counts))] + edges[int(np.argmax(counts)) + 1])
        on_edge = points[near][np.abs(d[near] - peak) <= 2.0]
        if len(on_edge) < 10:
            return None
        vx, vy, x0, y0 = cv2.fitLine(on_edge, cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0], np.float64), np.array([vx, vy], np.float64)))
    corners = [line_intersection(*lines[i - 1], *lines[i]) for i in range(4)]
    if any(c is None for c in corners):
        return None
    return order_corners(np.array(corners))


def longest_sides_quad(polygon: np.ndarray) -> Quad | None:
    """Extend the polygon's four longest sides (kept in order) and intersect neighbours."""
    n = len(polygon)
    lengths = [float(np.linalg.norm(polygon[(i + 1) % n] - polygon[i])) for i in range(n)]
    sides = sorted(sorted(range(n), key=lambda i: lengths[i], reverse=True)[:4])
    corners = []
    for k in range(4):
        i, j = sides[k], sides[(k + 1) % 4]
        point = line_intersection(polygon[i], polygon[(i + 1) % n] - polygon[i],
                                  polygon[j], polygon[(j + 1) % n] - polygon[j])
        if point is None:
            return None
        corners.append(point)
    return order_corners(np.array(corners))
