"""One large button per option (choices, yes/no, delivery): a tap answers."""

from __future__ import annotations

from typing import Any

from kiosk.catalog.model import Field
from screens.form_inputs.base import AnswerInput
from screens.widgets import KButton


class OptionList(AnswerInput):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.orientation = "vertical"
        self.spacing = 20
        self.size_hint_y = None
        self.bind(minimum_height=self.setter("height"))
        self.needs_next = False

    def load(self, question: Field, previous: str) -> None:
        self.clear_widgets()
        self.question_id = question.id
        for index, option in enumerate(question.options):
            button = KButton(text=question.label_of_option(option), kind="option", selected=option == previous,
                             test_name=f"option-{index}")
            button.bind(on_release=lambda _b, value=option: self.answer(value))
            self.add_widget(button)

    def value(self) -> str:
        return ""
