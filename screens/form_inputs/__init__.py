"""The form's answer widgets, one per ``Keyboard``: the form screen shows the one its question needs."""

from __future__ import annotations

from kiosk.catalog.fields import Keyboard
from screens.form_inputs.base import AnswerInput
from screens.form_inputs.date_picker import DatePicker
from screens.form_inputs.keypad import TypedAnswer
from screens.form_inputs.multi import MultiChoice
from screens.form_inputs.options import OptionList
from screens.form_inputs.region_picker import RegionPicker
from screens.form_inputs.text import TextAnswer

KV_FILES = tuple(f"form_inputs/{name}.kv" for name in ("keypad", "multi", "date_picker", "region_picker", "text"))

INPUTS: dict[Keyboard, type[AnswerInput]] = {
    Keyboard.OPTIONS: OptionList,
    Keyboard.MULTI: MultiChoice,
    Keyboard.DIGITS: TypedAnswer,
    Keyboard.ID_NUMBER: TypedAnswer,
    Keyboard.DECIMAL: TypedAnswer,
    Keyboard.DATE: DatePicker,
    Keyboard.REGION: RegionPicker,
    Keyboard.PINYIN: TextAnswer,
}


def input_for(keyboard: Keyboard) -> type[AnswerInput]:
    """The widget class that answers questions entered on ``keyboard``."""
    return INPUTS[keyboard]
