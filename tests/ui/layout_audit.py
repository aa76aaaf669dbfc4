"""The layout audit: every resident screen, in one orientation, standard then elder mode, drawn
to a PNG and checked by ``tests.ui.layout_checks``.

``python -m tests.ui.layout_audit OUT portrait|landscape SET`` draws one set of screens
(``core``, ``kinds`` or ``channels``) into OUT, writes ``OUT/<orientation>-<set>-audit.json`` (screens drawn, checks
run, findings) and exits 1 when anything was found. Kivy sizes its window once and allows one
app per process, so ``test_layout_audit`` runs one process per orientation and set. Keep the
PNGs under ``docs/screens/`` and look at them.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2

from kiosk.config.settings import KioskConfig, load_config
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import write_config
from tests.ui import layout_states, render_channels, render_form_kinds
from tests.ui.form_kinds_support import kinds_config
from tests.ui.layout_checks import CHECKS, audit
from tests.ui.render_support import RenderStep, place_card, render


@dataclass(frozen=True)
class AuditSet:
    config: Callable[[], KioskConfig]
    steps: list[RenderStep]
    first: Callable[[Terminal], object] | None


def _street() -> KioskConfig:
    return load_config(write_config(Path(tempfile.mkdtemp()), {"site": "sites/street.toml"}))


SETS: dict[str, AuditSet] = {
    "core": AuditSet(load_config, layout_states.STEPS, None),
    "kinds": AuditSet(lambda: kinds_config(load_config()), render_form_kinds.STEPS, place_card),
    "channels": AuditSet(_street, render_channels.STEPS, place_card),
}


def run(out: Path, orientation: str, name: str) -> int:
    chosen = SETS[name]
    report: dict[str, object] = {"screens": 0, "checks": 0, "findings": []}

    def inspect(app: object, screen: str, elder: bool, png: Path) -> list[str]:
        pixels = cv2.cvtColor(cv2.imread(str(png), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        found = [str(f) for f in audit(app.root, pixels, elder, app.theme.scale)]  # type: ignore[attr-defined]
        report["screens"] = int(report["screens"]) + 1  # type: ignore[call-overload]
        report["checks"] = int(report["checks"]) + len(CHECKS)  # type: ignore[call-overload]
        report["findings"] = [*report["findings"], *(f"{png.name}: {f}" for f in found)]  # type: ignore[misc]
        return found

    status = render(chosen.config(), orientation, out, chosen.steps, inspect=inspect, first=chosen.first)
    (out / f"{orientation}-{name}-audit.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return status


def main(argv: list[str]) -> int:
    out, orientation, name = Path(argv[0]), argv[1], argv[2]
    return run(out, orientation, name)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
