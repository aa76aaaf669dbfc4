"""Multi-choice: one large check box per option, then Next; stored joined by MULTI_SEPARATOR."""

from __future__ import annotations

from typing import Any

from kiosk.catalog.fields import MULTI_SEPARATOR
from kiosk.catalog.model import Field
from screens.form_inputs.base import AnswerInput
from screens.widgets import KButton


class CheckBoxButton(KButton):
    """An option with a drawn box on its left, ticked while ``selected``."""


class MultiChoice(AnswerInput):
    options: tuple[str, ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.orientation = "vertical"
        self.spacing = 20
        self.size_hint_y = None
        self.bind(minimum_height=self.setter("height"))

    def load(self, question: Field, previous: str) -> None:
        if question.id == self.question_id:  # refreshes come with every countdown tick: keep the ticks
            boxes = reversed(self.children)  # Kivy keeps children last-added first
            for option, box in zip(question.options, boxes, strict=True):
                box.text = question.label_of_option(option)  # in the language chosen since
            return
        self.clear_widgets()
        self.question_id = question.id
        self.options = question.options
        chosen = set(previous.split(MULTI_SEPARATOR)) if previous else set()
        for index, option in enumerate(question.options):
            box = CheckBoxButton(text=question.label_of_option(option), kind="option", selected=option in chosen,
                                 test_name=f"multi-{index}")
            box.bind(on_release=lambda b: setattr(b, "selected", not b.selected))
            self.add_widget(box)

    def value(self) -> str:
        boxes = list(reversed(self.children))  # Kivy keeps children last-added first
        return MULTI_SEPARATOR.join(o for o, box in zip(self.options, boxes, strict=True) if box.selected)
