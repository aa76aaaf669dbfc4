"""Region tables: how long the first region question waits for them, and each tap after.

``python -m bench regions``. Each round runs in a fresh interpreter (the tables load once per
process): the first ``children(None)`` (the provinces: reads ``regions.tsv``), the first
district's streets (decompresses ``streets.tsv.gz``), then warm calls. The baseline, in the
same round, is reading and splitting the same files' bytes with no table built, so the ratio
shows what the tables themselves cost. Goal: the first list under 50 ms, taps under 1 ms.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

ROUNDS = 7
GOAL_FIRST_MS = 50.0

_CHILD = r"""
import gzip, json, time
from kiosk.catalog import regions
t0 = time.perf_counter(); raw = (regions.DATA / "regions.tsv").read_text(encoding="utf-8").splitlines()
streets_raw = gzip.decompress((regions.DATA / "streets.tsv.gz").read_bytes()).decode("utf-8").splitlines()
t1 = time.perf_counter(); regions.children(None)
t2 = time.perf_counter(); regions.children("320111")
t3 = time.perf_counter()
for _ in range(1000):
    regions.children("320100"); regions.region_path_name("320111002")
t4 = time.perf_counter()
print(json.dumps({"baseline": t1 - t0, "provinces": t2 - t1, "streets": t3 - t2, "warm": (t4 - t3) / 1000}))
"""


def main() -> None:
    rows = []
    for _ in range(ROUNDS):
        out = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, check=True).stdout
        rows.append(json.loads(out))
    median = {key: statistics.median(r[key] for r in rows) * 1000 for key in rows[0]}
    print(f"load average {os.getloadavg()[0]:.1f}; median of {ROUNDS} fresh processes, ms")
    print(f"  read and split the files (baseline)   {median['baseline']:8.2f}")
    print(f"  first provinces list (upper table)    {median['provinces']:8.2f}")
    print(f"  first district's streets              {median['streets']:8.2f}")
    print(f"  warm children + path name, per call   {median['warm']:8.4f}")
    first = median["provinces"] + median["streets"]
    print(f"  ratio tables / baseline: {first / median['baseline']:.2f}; goal first list < {GOAL_FIRST_MS:.0f} ms: "
          f"{'met' if median['provinces'] < GOAL_FIRST_MS else 'MISSED'}")


if __name__ == "__main__":
    main()
