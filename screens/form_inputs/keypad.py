"""Typed numbers: digits, an ID number (an X key, read back 6-8-4), an amount (a point, in 元)."""

from __future__ import annotations

from typing import Any

from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.catalog.fields import Keyboard
from kiosk.catalog.model import Field
from kiosk.messages import MessageId, say
from screens.form_inputs.base import AnswerInput
from screens.voice_guide import read_back

ID_LENGTH = 18
AMOUNT_DECIMALS = 2


class FormKeypad(BoxLayout):
    """Ten digits, Delete and Clear, and ``extra`` ("X", "." or nothing); keys shrink to ``key_tall``."""

    value = StringProperty("")
    max_length = NumericProperty(20)
    extra = StringProperty("")
    key_tall = NumericProperty(1.0)

    def press(self, key: str) -> None:
        before = self.value
        self.value = pressed(self.value, key, self.extra, int(self.max_length))
        if len(self.value) > len(before):  # a key taken, read back (an ID number's only in private)
            read_back(key, id_number=self.extra == "X")


def pressed(value: str, key: str, extra: str, max_length: int) -> str:
    """What the keypad holds after ``key``: X only as an ID number's check character, one
    point and two decimals in an amount, no leading zero, never more than ``max_length``."""
    if key == "back":
        return value[:-1]
    if key == "clear":
        return ""
    if len(value) >= max_length:
        return value
    if key == "X":
        return value + key if len(value) == ID_LENGTH - 1 else value
    if key == ".":
        return value if "." in value else (value or "0") + "."
    if "." in value and len(value.split(".")[1]) >= AMOUNT_DECIMALS:
        return value
    if value == "0" and extra == ".":
        return key  # no leading zeros in an amount
    return value + key


def grouped_id_number(value: str) -> str:
    """An ID number as people read it: region, birth date, the rest (6-8-4)."""
    return " ".join(part for part in (value[:6], value[6:14], value[14:]) if part)


class TypedAnswer(AnswerInput):
    keyboard = Keyboard.DIGITS

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.has_box = True
        self.ids.keypad.bind(value=lambda *_: self._show())

    def load(self, question: Field, previous: str) -> None:
        if question.id == self.question_id:
            return  # refreshes come with every countdown tick and a wrong answer: keep the typing
        self.question_id = question.id
        self.keyboard = question.spec.keyboard
        keypad = self.ids.keypad
        keypad.extra = {Keyboard.ID_NUMBER: "X", Keyboard.DECIMAL: "."}.get(self.keyboard, "")
        keypad.max_length = ID_LENGTH if self.keyboard is Keyboard.ID_NUMBER else question.max_length
        if self.keyboard is Keyboard.DECIMAL:
            keypad.max_length = 15
        keypad.value = previous
        self._show()

    def _show(self) -> None:
        typed = self.ids.keypad.value
        if self.keyboard is Keyboard.ID_NUMBER:
            self.shown = grouped_id_number(typed)
        elif self.keyboard is Keyboard.DECIMAL and typed:
            self.shown = f"{typed} {say(MessageId.UI_FORM_YUAN, self.language)}"
        else:
            self.shown = typed

    def on_language(self, _widget: object, _language: str) -> None:
        self._show()

    def value(self) -> str:
        return self.ids.keypad.value.rstrip(".")

    def clear(self) -> None:
        self.ids.keypad.value = ""
        self.shown = ""
        self.question_id = ""
