"""Face check: time per frame on the kiosk, against the bare frontal-face cascade in the same run.

``python -m bench face_check [--rounds 1]``. On the drawn sequences of
``tests/support/face_frames.py`` (640×480, 10 frames a second as recorded):

- baseline: ``CascadeClassifier.detectMultiScale`` with the frontal-face model alone on each
  frame (OpenCV's defaults, grey frame), the floor any Haar-based check pays;
- check: ``FaceCheck.feed`` on the same frames (frontal faces, eyes, sharpness and light, and
  in the active check the profile passes when the frontal face is gone).

The ratio says what the check's rules cost over plain detection; the frames a second say
whether the check keeps up with a camera at 10 fps on this machine (goal: ≥ 10 fps median).
Drawn faces are not people: this times the code path, not accuracy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

GOAL_FPS = 10.0


def _sequences() -> dict[str, list[np.ndarray]]:
    from tests.support import face_frames as ff

    return {"blink": ff.blink_sequence(), "turn": ff.turn_sequence(), "photo": ff.photo_sequence(60),
            "dark": ff.dark_sequence(10), "two faces": ff.two_faces_sequence(10)}


def _time_each(frames: list[np.ndarray], judge: Callable[[np.ndarray, float], object]) -> list[float]:
    times = []
    for i, frame in enumerate(frames):
        start = time.perf_counter()
        judge(frame, i / 10)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    from kiosk.capture.face_check import FaceCheck
    from kiosk.capture.face_detect import FaceDetector

    parser = argparse.ArgumentParser(prog="bench face_check")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    sequences = _sequences()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (times grow with it)")
    cascade = cv2.CascadeClassifier(str(Path(cv2.data.haarcascades) / "haarcascade_frontalface_default.xml"))
    detector = FaceDetector()

    def bare(frame: np.ndarray, _at: float) -> object:
        return cascade.detectMultiScale(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))

    base_all: list[float] = []
    check_all: list[float] = []
    for name, frames in sequences.items():
        base: list[float] = []
        check: list[float] = []
        outcome = ""
        for _ in range(args.rounds):
            base += _time_each(frames, bare)
            face_check = FaceCheck(detector=detector)
            check += _time_each(frames, face_check.feed)
            outcome = face_check.result.outcome.value if face_check.result else f"still {face_check.phase.value}"
        b, c = statistics.median(base) * 1000, statistics.median(check) * 1000
        print(f"{name:10s} {len(frames):3d} frames  baseline {b:6.1f} ms  check {c:6.1f} ms  "
              f"ratio {c / b:4.2f}  ({outcome})")
        base_all += base
        check_all += check
    b, c = statistics.median(base_all) * 1000, statistics.median(check_all) * 1000
    p95 = sorted(check_all)[round(0.95 * (len(check_all) - 1))] * 1000
    print(f"all        baseline median {b:6.1f} ms   check median {c:6.1f} ms  p95 {p95:6.1f} ms   "
          f"ratio {c / b:4.2f}   {1000 / c:5.1f} frames/s (goal ≥ {GOAL_FPS:g})")
