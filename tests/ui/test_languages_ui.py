"""Every visible text on every resident screen translated, and every screen fitting, in each
language: every set of the layout audit (``tests.ui.layout_audit.SETS``: the core states, every
form kind, the channels, the face check, the documents, the lookup, help, the SMS receipt, the
catalogue's longest guides and commitments) drawn in English and in traditional
Chinese, both orientations, standard and elder mode, and checked by the audit and by
``tests.ui.language_checks``: no Chinese left in English, no simplified character left in
traditional Chinese, and the longer English words wrapped, never clipped or pushed off the
screen. With the layout audit's zh-Hans (``test_layout_audit``) that is every screen ×
portrait/landscape × standard/elder × each language. One process each, two at a time.
KIOSK_AUDIT_EVERY_OFFER=1 adds every offer's guide and review (minutes more).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.audit_processes import AuditProcesses
from tests.ui.layout_audit import audit_set, audited, report_name

MODES = 2  # standard, then elder mode
DRAWN = tuple((language, orientation, name) for name in audited() for language in ("en", "zh-Hant")
              for orientation in ("portrait", "landscape"))

pytestmark = [pytest.mark.ui]


@pytest.fixture(scope="module")
def audits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[tuple[str, ...], Path], AuditProcesses]]:
    """Every set, language and orientation drawn, a process each, two at a time (``tests.ui.audit_processes``)."""
    outs = {(orientation, name, language): tmp_path_factory.mktemp(f"{language}-{orientation}-{name}")
            for language, orientation, name in DRAWN}
    processes = AuditProcesses(outs)
    yield outs, processes
    processes.close()


@pytest.mark.timeout(820)
@pytest.mark.parametrize(("language", "orientation", "name"), DRAWN)
def test_every_resident_screen_is_in_the_language_and_fits(
    language: str, orientation: str, name: str, audits: tuple[dict[tuple[str, ...], Path], AuditProcesses]
) -> None:
    outs, processes = audits
    key = (orientation, name, language)
    stderr = processes.finish(key)
    out = outs[key]
    report = json.loads((out / report_name(orientation, name, language)).read_text(encoding="utf-8"))
    assert report["screens"] == MODES * len(audit_set(name).steps), stderr[-3000:]
    untranslated = [f for f in report["findings"] if ": untranslated: " in f]
    assert untranslated == [], f"words not in {language} (kiosk/messages, locale/*.po)"
    assert report["findings"] == [], f"{language} {orientation} screens that do not fit (look at the PNGs)"
