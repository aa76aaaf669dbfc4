"""Document capture (高拍仪) on generated pages: where the page is, the gate, time, legibility.

``python -m bench document_capture [--count 200] [--ocr 30]``. The corpus (``bench.document_corpus``)
is built from a fixed seed: Chinese pages on wood, cloth, dark and light desks and patterned
cloth, with perspective, shadow, noise and mild blur or sheen; every tenth page out of focus,
every tenth with a saturated glare spot, every sixteenth partly outside the frame.

Printed, in one run, for our pipeline (``kiosk.capture``) and the classic baseline (Canny,
then the largest contour that approximates to four points, on a copy 640 px on its long side):

- the mean Jaccard index (polygon IoU) of the found page against the true one over the pages
  wholly in the frame (a page not found counts 0), the share ≥ 0.9, and the ratio ours/baseline
  (anchors: SmartDoc 2015's best 0.97, Canny-and-contours ≈ 0.84; goal ≥ 0.95);
- the gate's confusion (accepted or rejected, against whether the page was spoilt) and, per
  defect, how many got the right hint;
- time per capture, median and 95th percentile: ours whole (find, warp, enhance, judge) and
  finding only, against the baseline (which only finds), and the ratio of the finding times;
- legibility: character accuracy of RapidOCR (``rapidocr-onnxruntime``, models in its wheel;
  ``pip install '.[bench]'``) on the first ``--ocr`` unspoilt pages, on the raw frame and on our
  rectified page. Accuracy is the characters in common (as multisets, so reading order does not
  matter) over the longer of the printed text and the read text; skipped with a note when the
  package is not installed.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from collections.abc import Callable

import cv2
import numpy as np

from bench.document_corpus import DEFECTS, Sample, build
from kiosk.capture import capture_document
from kiosk.capture.edges import find_page
from kiosk.capture.geometry import jaccard, order_corners
from kiosk.messages.ids import MessageId

GOAL_JACCARD = 0.95
RIGHT_HINT = {"blur": {MessageId.CAPTURE_BLURRED}, "glare": {MessageId.CAPTURE_GLARE},
              "cut": {MessageId.CAPTURE_NOT_WHOLE, MessageId.CAPTURE_NO_PAGE}}


def baseline_corners(frame: np.ndarray) -> np.ndarray | None:
    """The classic pipeline: Canny (75, 200), the five largest contours, the first with four corners."""
    scale = 640 / max(frame.shape[:2])
    small = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    edges = cv2.Canny(gray, 75, 200)
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        approx = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
        if len(approx) == 4:
            return order_corners(approx.reshape(4, 2) / scale)
    return None


def char_accuracy(truth: str, read: str) -> float:
    """Characters in common (multisets, whitespace ignored) over the longer of the two texts."""
    truth, read = "".join(truth.split()), "".join(read.split())
    if not truth:
        return 0.0
    common = sum((Counter(truth) & Counter(read)).values())
    return common / max(len(truth), len(read))


def ocr_engine() -> Callable[[np.ndarray], str] | None:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    engine = RapidOCR()

    def read(image: np.ndarray) -> str:
        result, _ = engine(image)
        return "".join(str(line[1]) for line in result or [])

    return read


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench document_capture")
    parser.add_argument("--count", type=int, default=200, help="documents in the corpus")
    parser.add_argument("--ocr", type=int, default=30, help="unspoilt pages read by OCR (0: none)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    samples = build(args.count)
    print(f"corpus: {len(samples)} frames 1600×1200 in {time.perf_counter() - started:.0f} s; "
          + ", ".join(f"{d}: {sum(s.defect == d for s in samples)}" for d in DEFECTS))
    print(f"before: {_load()}")
    ours_j, base_j, ours_ms, find_ms, base_ms = [], [], [], [], []
    confusion: Counter[tuple[bool, bool]] = Counter()
    hinted: Counter[str] = Counter()
    captures = []
    for sample in samples:
        t0 = time.perf_counter()
        found = baseline_corners(sample.frame)
        base_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        find_page(sample.frame)
        find_ms.append((time.perf_counter() - t0) * 1000)
        result = capture_document(sample.frame)
        ours_ms.append(result.ms)
        captures.append(result)
        if sample.in_frame:
            ours_j.append(jaccard(result.corners, sample.corners) if result.corners is not None else 0.0)
            base_j.append(jaccard(found, sample.corners) if found is not None else 0.0)
        confusion[(sample.defect is None, result.accepted)] += 1
        if sample.defect and RIGHT_HINT[sample.defect] & set(result.problems):
            hinted[sample.defect] += 1
    print(f"after:  {_load()}")
    report_outline(ours_j, base_j)
    report_gate(samples, confusion, hinted)
    print("\ntime per capture, ms    median   p95")
    print(f"  ours, whole        {_pct(ours_ms, 50):8.1f} {_pct(ours_ms, 95):6.1f}   find, warp, enhance, gate")
    print(f"  ours, find only    {_pct(find_ms, 50):8.1f} {_pct(find_ms, 95):6.1f}")
    print(f"  baseline           {_pct(base_ms, 50):8.1f} {_pct(base_ms, 95):6.1f}   find only")
    ratio = _pct(find_ms, 50) / max(1e-9, _pct(base_ms, 50))
    print(f"  ratio ours/baseline, find only: {ratio:.1f}×")
    if args.ocr:
        report_legibility(samples, captures, args.ocr)


def report_outline(ours: list[float], base: list[float]) -> None:
    print(f"\npage outline on {len(ours)} pages wholly in the frame: Jaccard index (not found = 0)")
    print("                     mean   median   ≥0.9   found")
    for name, values in (("ours", ours), ("baseline", base)):
        v = np.array(values)
        print(f"  {name:16s} {v.mean():7.3f} {np.median(v):7.3f} {int((v >= 0.9).sum()):5d} {int((v > 0).sum()):6d}")
    ratio = float(np.mean(ours)) / max(1e-9, float(np.mean(base)))
    verdict = "met" if np.mean(ours) >= GOAL_JACCARD else "NOT met"
    print(f"  ratio ours/baseline {ratio:6.3f}; goal mean ≥ {GOAL_JACCARD}: {verdict}")


def report_gate(samples: list[Sample], confusion: Counter[tuple[bool, bool]], hinted: Counter[str]) -> None:
    print("\nquality gate                accepted  rejected")
    print(f"  unspoilt pages            {confusion[(True, True)]:8d} {confusion[(True, False)]:9d}")
    print(f"  spoilt (blur, glare, cut) {confusion[(False, True)]:8d} {confusion[(False, False)]:9d}")
    for defect in DEFECTS:
        total = sum(s.defect == defect for s in samples)
        print(f"  {defect:6s} rejected with its hint: {hinted[defect]}/{total}")


def report_legibility(samples: list[Sample], captures: list, count: int) -> None:
    read = ocr_engine()
    if read is None:
        print("\nlegibility: skipped: rapidocr-onnxruntime is not installed (pip install '.[bench]')")
        return
    chosen = [(s, c) for s, c in zip(samples, captures, strict=True) if s.defect is None and c.page is not None]
    chosen = chosen[:count]
    raw, rectified, seconds = [], [], []
    for sample, capture in chosen:
        t0 = time.perf_counter()
        raw.append(char_accuracy(sample.text, read(sample.frame)))
        rectified.append(char_accuracy(sample.text, read(cv2.cvtColor(capture.page, cv2.COLOR_GRAY2BGR))))
        seconds.append(time.perf_counter() - t0)
    print(f"\nlegibility: RapidOCR character accuracy on {len(chosen)} unspoilt pages "
          f"({np.mean(seconds) / 2:.1f} s per read)")
    print("                     mean   median   min")
    for name, values in (("raw frame", raw), ("rectified page", rectified)):
        print(f"  {name:16s} {np.mean(values):7.3f} {np.median(values):7.3f} {np.min(values):6.3f}")
    print(f"  ratio rectified/raw {np.mean(rectified) / max(1e-9, float(np.mean(raw))):6.3f}")


if __name__ == "__main__":
    main()
