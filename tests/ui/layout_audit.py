"""The layout audit: every resident screen, in one orientation, standard then elder mode, drawn
to a PNG and checked by ``tests.ui.layout_checks``.

``python -m tests.ui.layout_audit OUT portrait|landscape SET`` draws one set of screens (``core``,
``kinds``, ``channels``, ``face``, ``documents``, ``lookup``, ``help``, ``sms``, ``offers``, or the
long ``catalogue``: every offer's guide and review) into OUT,
writes ``OUT/<orientation>-<set>-audit.json`` (screens drawn, checks run, findings) and exits 1
when anything was found. Kivy sizes its window once and allows one app per process, so
``test_layout_audit`` runs one process per orientation and set. Keep the
PNGs under ``docs/screens/`` and look at them. A fourth argument, ``zh-Hant`` or ``en``, draws
the screens in that language and checks every visible text is translated
(``tests.ui.language_checks``; ``test_languages_ui``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import cv2

from kiosk.config.settings import KioskConfig, load_config
from kiosk.config.voice import VoiceSettings
from kiosk.messages import DEFAULT_LANGUAGE
from kiosk.messages.locales import translations
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import write_config
from tests.ui import (
    layout_states,
    render_catalogue,
    render_channels,
    render_documents,
    render_face,
    render_form_kinds,
    render_help,
    render_lookup,
    render_receipt_sms,
)
from tests.ui.form_kinds_support import kinds_config, kinds_locale_dir
from tests.ui.language_checks import untranslated
from tests.ui.layout_checks import CHECKS, audit, window_box
from tests.ui.layout_checks import shown as visible
from tests.ui.render_support import RenderStep, place_card, render


@dataclass(frozen=True)
class AuditSet:
    config: Callable[[], KioskConfig]
    steps: list[RenderStep]
    first: Callable[[Terminal], object] | None


def _staffed(config: KioskConfig) -> KioskConfig:
    """Staff at the desk all day: Help shows its line whatever the hour the audit runs at (the
    call-back form, offered when no one is there, is the ``help`` set). The voice on (to the
    null output): the footer carries 再听一遍, its fullest form."""
    return _voiced(dataclasses.replace(config, site=dataclasses.replace(config.site, staffed=("00:00", "24:00"))))


def _site(profile: str | None = None) -> KioskConfig:
    """The default configuration written to a folder of its own, with another site's profile."""
    return load_config(write_config(Path(tempfile.mkdtemp()), {"site": profile} if profile else {}))


def _voiced(config: KioskConfig) -> KioskConfig:
    return dataclasses.replace(config, voice=VoiceSettings(enabled=True, output="null"))


def _street() -> KioskConfig:
    return _staffed(_site("sites/street.toml"))


SETS: dict[str, AuditSet] = {
    "core": AuditSet(lambda: _staffed(load_config()), layout_states.STEPS, None),
    "kinds": AuditSet(lambda: _staffed(kinds_config(load_config())), render_form_kinds.STEPS, place_card),
    "channels": AuditSet(_street, render_channels.STEPS, place_card),
    "face": AuditSet(lambda: _staffed(render_face.face_config(load_config())), render_face.STEPS, None),
    "documents": AuditSet(lambda: _staffed(render_documents.documents_config(load_config())),
                          render_documents.STEPS, None),
    "lookup": AuditSet(lambda: _staffed(_site()), render_lookup.STEPS, None),
    # Nobody at the desk (the community centre at night): Help offers the call-back form.
    "help": AuditSet(lambda: _voiced(_site("sites/community.toml")), render_help.STEPS, place_card),
    "sms": AuditSet(lambda: _staffed(_site()), render_receipt_sms.STEPS, place_card),
}


def _offers(pick: Callable[[KioskConfig], tuple[str, ...] | None]) -> AuditSet:
    """Guides and reviews of the street centre's offers (it offers the whole catalogue)."""
    config = _street()
    return AuditSet(lambda: config, render_catalogue.offer_steps(config, pick(config)), place_card)


SETS["offers"] = _offers(render_catalogue.hardest_offers)  # the longest guides and commitments

# Sets too long for make test (minutes each): drawn by hand, and by the audit tests with
# KIOSK_AUDIT_EVERY_OFFER=1. ``catalogue``: every offer's guide and review.
SWEEPS: dict[str, Callable[[], AuditSet]] = {"catalogue": partial(_offers, lambda _config: None)}
EVERY_OFFER = os.environ.get("KIOSK_AUDIT_EVERY_OFFER") == "1"


def audit_set(name: str) -> AuditSet:
    """The set ``name``, of ``SETS`` or of ``SWEEPS``."""
    return SETS[name] if name in SETS else SWEEPS[name]()


def audited() -> tuple[str, ...]:
    """The sets the audit tests draw: every one of ``SETS``, and ``SWEEPS`` with KIOSK_AUDIT_EVERY_OFFER=1."""
    return (*SETS, *(SWEEPS if EVERY_OFFER else ()))


# What must be in view on a screen, whatever else fits: the defects the issue names (the 1-2-3
# row under a phone question's error, the commitments' box when Submit asks for its tick).
MUST_SHOW = {
    "identify-refused": ("identify-title", "identify-error"),
    "form-phone": ("form-question", "typed-value", "key-1", "key-3"),
    "form-phone-error": ("form-question", "typed-value", "form-error-inline", "key-1", "key-3"),
    "form-known-phone": ("form-question", "known-phone", "known-phone-yes", "known-phone-other"),
    "review-unticked": ("review-error", "commitments", "submit"),
    "receipt-paper-out": ("receipt-title",),
    # the notice and every way on, before the camera starts; what to do while it runs
    "face-notice": ("face-title", "face-notice", "face-other-ways", "face-consent", "face-use-qr", "face-use-staff"),
    "face-guiding": ("face-hint", "face-use-qr", "face-use-staff"),
    "face-timed-out": ("face-problem", "face-try-again", "face-use-qr", "face-use-staff"),
    "face-child": ("face-problem", "face-use-staff"),
    # the material and its action, and the counter whenever the camera is not running
    "documents-ask": ("documents-title", "documents-material", "documents-words", "documents-take",
                      "documents-to-counter"),
    "documents-taking": ("documents-material", "documents-words"),
    "documents-confirm": ("documents-page", "documents-use", "documents-retake", "documents-to-counter"),
    "documents-camera-lost": ("documents-problem", "documents-to-counter"),
}


def missing(root: object, screen: str) -> list[str]:
    """The widgets ``MUST_SHOW`` names for ``screen`` that are not wholly on screen."""
    window = window_box(root)  # type: ignore[arg-type]
    shown = {getattr(w, "test_name", ""): w for w in visible(root)}  # type: ignore[arg-type]
    return [f"missing: {name}: not wholly in view" for name in MUST_SHOW.get(screen, ())
            if name not in shown or not window_box(shown[name]).inside(window)
            or _overlaps_chrome(root, shown[name])]


def _overlaps_chrome(root: object, widget: object) -> bool:
    """Whether ``widget`` is drawn under the header or the footer."""
    for chrome in (root.header, root.footer):  # type: ignore[attr-defined]
        if window_box(chrome).overlap(window_box(widget)) > 0:  # type: ignore[arg-type]
            return True
    return False


def in_language(steps: list[RenderStep], language: str) -> list[RenderStep]:
    """``steps`` with the session shown in ``language`` after each (a session that ends forgets it)."""
    def then_switch(action: Callable[[Terminal, object], object], terminal: Terminal, app: object) -> None:
        action(terminal, app)
        if terminal.session.language != language:
            terminal.session.set_language(language)

    return [dataclasses.replace(step, action=partial(then_switch, step.action)) for step in steps]


def run(out: Path, orientation: str, name: str, language: str = DEFAULT_LANGUAGE,
        modes: tuple[bool, ...] = (False, True)) -> int:
    """Draw and check the set ``name`` in ``modes`` (elder off, on); in a language but zh-Hans,
    check every text is translated."""
    chosen = audit_set(name)
    report: dict[str, object] = {"screens": 0, "checks": 0, "findings": []}

    def inspect(app: object, screen: str, elder: bool, png: Path) -> list[str]:
        pixels = cv2.cvtColor(cv2.imread(str(png), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        found = [str(f) for f in audit(app.root, pixels, elder, app.theme.scale)]  # type: ignore[attr-defined]
        found += missing(app.root, screen)  # type: ignore[attr-defined]
        if language != DEFAULT_LANGUAGE:
            found += [str(f) for f in untranslated(app.root, language)]  # type: ignore[attr-defined]
        report["screens"] = int(report["screens"]) + 1  # type: ignore[call-overload]
        report["checks"] = int(report["checks"]) + len(CHECKS)  # type: ignore[call-overload]
        report["findings"] = [*report["findings"], *(f"{png.name}: {f}" for f in found)]  # type: ignore[misc]
        return found

    if name == "kinds":  # its test-only catalogue brings its own words
        os.environ["KIOSK_LOCALE_DIR"] = str(kinds_locale_dir(out / "locale"))
        translations.cache_clear()
    steps = chosen.steps if language == DEFAULT_LANGUAGE else in_language(chosen.steps, language)
    status = render(chosen.config(), orientation, out, steps, inspect=inspect, first=chosen.first, modes=modes)
    (out / report_name(orientation, name, language)).write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return status


def report_name(orientation: str, name: str, language: str = DEFAULT_LANGUAGE) -> str:
    """``<orientation>-<set>-audit.json``, with ``-<language>`` before it for a language but zh-Hans."""
    return f"{orientation}-{name}{'' if language == DEFAULT_LANGUAGE else '-' + language}-audit.json"


def main(argv: list[str]) -> int:
    """``OUT portrait|landscape SET [LANGUAGE [elder]]``: LANGUAGE is zh-Hans (the default), zh-Hant
    or en; ``elder`` draws elder mode only (the tightest: the largest type)."""
    out, orientation, name = Path(argv[0]), argv[1], argv[2]
    modes = (True,) if argv[4:5] == ["elder"] else (False, True)
    return run(out, orientation, name, argv[3] if len(argv) > 3 else DEFAULT_LANGUAGE, modes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
