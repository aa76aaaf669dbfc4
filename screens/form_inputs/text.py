"""Chinese text (names, addresses, short text) typed on the pinyin keyboard.

The keyboard is ``screens.pinyin_keyboard.PinyinKeyboard`` (``value`` is the committed text,
``max_length``, ``allow_middle_dot`` for minority names' "·", ``names`` to rank surnames).
Until that module is in the checkout, ``FallbackKeyboard`` stands in: a plain text box with
the same properties, which a hardware keyboard (a technician's, a test's) can type into.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.catalog.fields import FieldKind
from kiosk.catalog.model import Field
from screens.form_inputs.base import AnswerInput

PINYIN_MODULE = "screens.pinyin_keyboard"


class FallbackKeyboard(BoxLayout):
    """Stands in for the pinyin keyboard: one text box, no candidates."""

    value = StringProperty("")
    letters = StringProperty("")
    max_length = NumericProperty(20)
    allow_middle_dot = BooleanProperty(False)
    names = BooleanProperty(False)


def keyboard_class() -> type[Any]:
    """The pinyin keyboard when its module is there, else the fallback."""
    if importlib.util.find_spec(PINYIN_MODULE) is None:
        return FallbackKeyboard
    from screens.registry import KV_DIR, load_kv

    if (KV_DIR / "pinyin_keyboard.kv").exists():
        load_kv("pinyin_keyboard.kv")
    return importlib.import_module(PINYIN_MODULE).PinyinKeyboard  # type: ignore[no-any-return]


class TextAnswer(AnswerInput):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.orientation = "vertical"
        self.has_box = True
        self.keyboard = keyboard_class()()
        self.keyboard.bind(value=lambda _k, text: setattr(self, "shown", text))
        if hasattr(self.keyboard, "room"):  # the keys shrink to the answer column's height
            self.bind(height=lambda _w, height: setattr(self.keyboard, "room", height))
        self.add_widget(self.keyboard)
        self.add_widget(Widget())

    def load(self, question: Field, previous: str) -> None:
        if question.id == self.question_id:
            return
        self.question_id = question.id
        is_name = question.kind is FieldKind.NAME
        self.keyboard.max_length = question.max_length
        self.keyboard.allow_middle_dot = is_name
        if hasattr(self.keyboard, "names"):
            self.keyboard.names = is_name
        self.keyboard.value = previous
        self.shown = previous

    def value(self) -> str:
        return str(self.keyboard.value)

    def clear(self) -> None:
        self.keyboard.value = ""
        self.shown = ""
        self.question_id = ""
