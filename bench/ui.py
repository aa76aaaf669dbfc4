"""UI benchmarks: cold start to the first attract frame, and tap to the next screen's frame.

Both run against a bare Kivy app (same window size and font, two trivial screens) measured
the same way in the same run, and print the ratio. Goals: cold start ≤ 1.5× bare Kivy;
tap → next frame median ≤ 50 ms offscreen.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

STARTS = 7
TAPS = 40


def cold_start(kind: str) -> float:
    """Seconds from spawning the process to its first frame on screen."""
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.ui_child", "start", kind], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == "FRAME":
            elapsed = time.perf_counter() - began
            break
    else:
        raise RuntimeError(f"{kind} app drew no frame")
    child.wait(timeout=30)
    return elapsed


def tap_latencies(kind: str) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.ui_child", "taps", kind, str(TAPS)],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout
    return [float(x) for x in json.loads(out.strip().splitlines()[-1])]


def main() -> None:
    cold_start("bare")  # warm the file cache for both, so neither pays for the disk alone
    cold_start("kiosk")
    bare = [cold_start("bare") for _ in range(STARTS)]
    kiosk = [cold_start("kiosk") for _ in range(STARTS)]
    b, k = statistics.median(bare), statistics.median(kiosk)
    print(f"cold start to first frame, median of {STARTS}: bare Kivy {b * 1000:.0f} ms, "
          f"kiosk attract {k * 1000:.0f} ms, ratio {k / b:.2f}x (goal <= 1.5x)")

    bare_taps, kiosk_taps = tap_latencies("bare"), tap_latencies("kiosk")
    for name, values in (("bare Kivy", bare_taps), ("kiosk", kiosk_taps)):
        ordered = sorted(values)
        print(f"tap -> next screen's first frame, {name}: median {statistics.median(values) * 1000:.1f} ms, "
              f"p95 {ordered[int(len(ordered) * 0.95) - 1] * 1000:.1f} ms over {len(values)} taps")
    ratio = statistics.median(kiosk_taps) / statistics.median(bare_taps)
    print(f"tap latency ratio kiosk/bare: {ratio:.2f}x (goal: kiosk median <= 50 ms)")


if __name__ == "__main__":
    main()
