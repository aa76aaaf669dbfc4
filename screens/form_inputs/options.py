"""One large button per option (choices, yes/no, delivery): a tap answers.

A list longer than the answer column is cut into pages with 上一页 / 下一页 (``PagedGrid``):
residents do not scroll. A question answered before opens on the page of its answer.
"""

from __future__ import annotations

from typing import Any

from kiosk.catalog.model import Field
from screens.form_inputs.base import AnswerInput
from screens.paging import PagedGrid
from screens.widgets import KButton

OPTION_GAP = 20


class OptionList(AnswerInput):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.needs_next = False
        self.pages = PagedGrid(gap=OPTION_GAP)
        self.add_widget(self.pages)

    def load(self, question: Field, previous: str) -> None:
        self.question_id = question.id
        buttons = []
        for index, option in enumerate(question.options):
            button = KButton(text=question.label_of_option(option), kind="option", selected=option == previous,
                             test_name=f"option-{index}")
            button.bind(on_release=lambda _b, value=option: self.answer(value))
            buttons.append(button)
        self.pages.show(buttons)
        chosen = next((button for button in buttons if button.selected), None)
        if chosen is not None:
            self.pages.turn_to(chosen)

    def value(self) -> str:
        return ""

    def clear(self) -> None:
        self.pages.show([])
        self.shown = ""
        self.question_id = ""
