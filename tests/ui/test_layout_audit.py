"""The layout audit as a test: every resident screen of ``tests.ui.layout_states`` (happy and
unhappy states) drawn in each orientation, standard and elder mode, and checked by
``tests.ui.layout_checks``.

A finding fails the test unless it is listed in ``layout_known.txt``: the defects seen and not
yet fixed, each written down so the list can only shrink. A listed finding that no longer
appears fails too (take it off the list). Findings are compared without their coordinates.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui import layout_states, render_documents

REPO = Path(__file__).resolve().parents[2]
KNOWN = Path(__file__).with_name("layout_known.txt")
MODES = 2  # standard and elder


def key(finding: str) -> str:
    """A finding without what moves from run to run: its sizes and coordinates."""
    screen, check, widget = (finding.split(": ") + ["", ""])[:3]
    return f"{screen}: {check}: {re.sub(r'[0-9]', '', widget)}"


def known() -> set[str]:
    lines = KNOWN.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


# (orientation, set): the core screens both ways; the documents screen (高拍仪) in landscape,
# where its two columns are tightest (``python -m tests.ui.layout_audit OUT portrait documents``
# draws it upright).
AUDITS = (("portrait", "core"), ("landscape", "core"), ("landscape", "documents"))
STEPS = {"core": layout_states.STEPS, "documents": render_documents.STEPS}


@pytest.fixture(scope="module")
def audits(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[tuple[str, str], tuple[Path, subprocess.Popen[str]]]]:
    """Every audit drawn at once, one process each (Kivy sizes its window once)."""
    started = {}
    for orientation, name in AUDITS:
        out = tmp_path_factory.mktemp(f"{orientation}-{name}")
        started[orientation, name] = (out, subprocess.Popen(
            [sys.executable, "-m", "tests.ui.layout_audit", str(out), orientation, name],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO,
        ))
    yield started
    for _, process in started.values():
        process.kill()
        process.communicate()


@pytest.mark.timeout(420)
@pytest.mark.parametrize(("orientation", "name"), AUDITS)
def test_every_resident_screen_fits_in_both_modes(
    orientation: str, name: str, audits: dict[tuple[str, str], tuple[Path, subprocess.Popen[str]]]
) -> None:
    out, process = audits[orientation, name]
    _, stderr = process.communicate(timeout=400)
    report = json.loads((out / f"{orientation}-{name}-audit.json").read_text(encoding="utf-8"))
    assert report["screens"] == MODES * len(STEPS[name]), stderr[-3000:]
    found = {key(f) for f in report["findings"]}
    drawn = tuple(f"-{step.name}.png:" for step in STEPS[name])
    expected = {line for line in known() if line.startswith(f"{orientation}-") and any(d in line for d in drawn)}
    assert sorted(found - expected) == [], "new layout defects (look at the PNGs)"
    assert sorted(expected - found) == [], "fixed: take these off tests/ui/layout_known.txt"
    assert {p.name for p in out.glob("*.png")} >= {
        f"{orientation}-{mode}-{step.name}.png" for step in STEPS[name] for mode in ("standard", "elder")
    }
