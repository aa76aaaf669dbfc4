"""Pages as the document camera sends them (``contract.captured_pages``): grey JPEGs, each one
different, with the guide's name of its material."""

from __future__ import annotations

import cv2
import numpy as np

from contract.captured_pages import CapturedPage


def page_jpeg(seed: int, width: int = 420, height: int = 300) -> bytes:
    """A grey JPEG of paper with print on it; another ``seed``, another picture."""
    rng = np.random.default_rng(seed)
    paper = np.full((height, width), 235, np.uint8)
    for row in range(20, height - 20, 18):  # lines of "text"
        length = int(rng.integers(width // 3, width - 40))
        paper[row:row + 8, 20:20 + length] = rng.integers(0, 90, (8, length), dtype=np.uint8)
    paper = np.clip(paper.astype(np.int16) + rng.integers(-12, 12, paper.shape), 0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", paper, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return bytes(data.tobytes())


def captured(material: str, seed: int) -> CapturedPage:
    return CapturedPage(material=material, jpeg=page_jpeg(seed))


def slices(data: bytes, every: int = 1024, length: int = 24) -> list[bytes]:
    """Pieces of ``data`` from all along it: none of them may be found where it must not be."""
    return [data[start:start + length] for start in range(64, len(data) - length, every)]
