"""Every screen, by name: one place that maps session steps to screen classes."""

from __future__ import annotations

from pathlib import Path

from kiosk.modes import MAINTENANCE_SCREEN, OUT_OF_SERVICE_SCREEN
from kiosk.session.session import Step
from screens.appointment import AppointmentScreen
from screens.attract import AttractScreen
from screens.base import KioskScreen
from screens.callback import CallbackScreen
from screens.choose import ChooseScreen
from screens.documents import DocumentsScreen
from screens.face import FaceScreen
from screens.farewell import FarewellScreen
from screens.fitted_label import FittedLabel  # noqa: F401 - registers <FittedLabel> for the header
from screens.form import FormScreen
from screens.form_inputs import KV_FILES as FORM_INPUT_KV
from screens.guide import GuideScreen
from screens.identify import IdentifyScreen
from screens.language_switch import LanguageSwitch  # noqa: F401 - registers <LanguageSwitch> for the header
from screens.lookup import LookupScreen
from screens.maintenance import MaintenanceScreen
from screens.maintenance_pin import MaintenancePinScreen
from screens.out_of_service import OutOfServiceScreen
from screens.pinyin_keyboard import PinyinKeyboard  # noqa: F401 - registers <PinyinKeyboard> for kv rules
from screens.rating import RatingScreen
from screens.receipt import ReceiptScreen
from screens.review import ReviewScreen

PIN_SCREEN = "maintenance_pin"  # over attract, while the hidden gesture's PIN pad is open
CALLBACK_SCREEN = "callback"  # over the session's step, while Help's call-back form is open

SCREENS: dict[str, type[KioskScreen]] = {
    Step.ATTRACT.value: AttractScreen,
    Step.IDENTIFY.value: IdentifyScreen,
    Step.CHOOSE.value: ChooseScreen,
    Step.GUIDE.value: GuideScreen,
    Step.FACE.value: FaceScreen,
    Step.DOCUMENTS.value: DocumentsScreen,
    Step.FORM.value: FormScreen,
    Step.REVIEW.value: ReviewScreen,
    Step.APPOINTMENT.value: AppointmentScreen,
    Step.LOOKUP.value: LookupScreen,
    Step.RECEIPT.value: ReceiptScreen,
    Step.RATING.value: RatingScreen,
    Step.FAREWELL.value: FarewellScreen,
    OUT_OF_SERVICE_SCREEN: OutOfServiceScreen,
    MAINTENANCE_SCREEN: MaintenanceScreen,
    PIN_SCREEN: MaintenancePinScreen,
    CALLBACK_SCREEN: CallbackScreen,
}

KV_DIR = Path(__file__).resolve().parent
# Loaded at start; each screen's own on first use.
COMMON_KV = ("widgets.kv", "language_switch.kv", "chrome.kv", "pinyin_keyboard.kv")
SHARED_KV = {  # rules a screen's own rules use
    MAINTENANCE_SCREEN: ("maintenance_widgets.kv",),
    Step.FORM.value: ("help_overlay.kv", *FORM_INPUT_KV),
    Step.LOOKUP.value: ("form_inputs/keypad.kv",),  # FormKeypad
}


def load_kv(name: str) -> None:
    """Load one .kv file, once."""
    from kivy.lang import Builder

    path = str(KV_DIR / name)
    if path not in Builder.files:
        Builder.load_file(path)


def build_screen(name: str) -> KioskScreen:
    """Make the screen called ``name``, loading its rules the first time."""
    for shared in SHARED_KV.get(name, ()):
        load_kv(shared)
    load_kv(f"{name}.kv")
    return SCREENS[name](name=name)
