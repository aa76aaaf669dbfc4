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
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.audit_processes import AuditProcesses
from tests.ui.layout_audit import audit_set, audited

KNOWN = Path(__file__).with_name("layout_known.txt")
MODES = 2  # standard and elder


def key(finding: str) -> str:
    """A finding without what moves from run to run: its sizes and coordinates."""
    screen, check, widget = (finding.split(": ") + ["", ""])[:3]
    return f"{screen}: {check}: {re.sub(r'[0-9]', '', widget)}"


def known() -> set[str]:
    lines = KNOWN.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


# (orientation, set): every set of screens both ways (``python -m tests.ui.layout_audit OUT
# portrait documents`` draws one by hand).
AUDITS = tuple((orientation, name) for name in audited() for orientation in ("portrait", "landscape"))


@pytest.fixture(scope="module")
def audits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[tuple[str, str], Path], AuditProcesses]]:
    """Every audit, a process each, two at a time (``tests.ui.audit_processes``)."""
    outs = {audit: tmp_path_factory.mktemp("-".join(audit)) for audit in AUDITS}
    processes = AuditProcesses(outs)
    yield outs, processes
    processes.close()


@pytest.mark.timeout(820)
@pytest.mark.parametrize(("orientation", "name"), AUDITS)
def test_every_resident_screen_fits_in_both_modes(
    orientation: str, name: str, audits: tuple[dict[tuple[str, str], Path], AuditProcesses]
) -> None:
    outs, processes = audits
    out = outs[orientation, name]
    stderr = processes.finish((orientation, name))
    report = json.loads((out / f"{orientation}-{name}-audit.json").read_text(encoding="utf-8"))
    assert report["screens"] == MODES * len(audit_set(name).steps), stderr[-3000:]
    found = {key(f) for f in report["findings"]}
    drawn = tuple(f"-{step.name}.png:" for step in audit_set(name).steps)
    expected = {line for line in known() if line.startswith(f"{orientation}-") and any(d in line for d in drawn)}
    assert sorted(found - expected) == [], "new layout defects (look at the PNGs)"
    assert sorted(expected - found) == [], "fixed: take these off tests/ui/layout_known.txt"
    assert {p.name for p in out.glob("*.png")} >= {
        f"{orientation}-{mode}-{step.name}.png" for step in audit_set(name).steps for mode in ("standard", "elder")
    }
