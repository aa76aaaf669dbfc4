"""Multi-choice: one large check box per option, then Next; stored joined by MULTI_SEPARATOR.

A list longer than the answer column is cut into pages (``PagedGrid``), as ``OptionList``;
the ticks on every page count.
"""

from __future__ import annotations

from typing import Any

from kiosk.catalog.fields import MULTI_SEPARATOR
from kiosk.catalog.model import Field
from screens.form_inputs.base import AnswerInput
from screens.form_inputs.options import OPTION_GAP
from screens.paging import PagedGrid
from screens.widgets import KButton


class CheckBoxButton(KButton):
    """An option with a drawn box on its left, ticked while ``selected``."""


class MultiChoice(AnswerInput):
    options: tuple[str, ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pages = PagedGrid(gap=OPTION_GAP)
        self.add_widget(self.pages)

    @property
    def boxes(self) -> list[CheckBoxButton]:
        """One box per option, in the options' order, on every page."""
        return [box for box in self.pages.widgets if isinstance(box, CheckBoxButton)]

    def load(self, question: Field, previous: str) -> None:
        if question.id == self.question_id:  # refreshes come with every countdown tick: keep the ticks
            for option, box in zip(question.options, self.boxes, strict=True):
                box.text = question.label_of_option(option)  # in the language chosen since
            return
        self.question_id = question.id
        self.options = question.options
        chosen = set(previous.split(MULTI_SEPARATOR)) if previous else set()
        boxes = []
        for index, option in enumerate(question.options):
            box = CheckBoxButton(text=question.label_of_option(option), kind="option", selected=option in chosen,
                                 test_name=f"multi-{index}")
            box.bind(on_release=lambda b: setattr(b, "selected", not b.selected))
            boxes.append(box)
        self.pages.show(boxes)

    def value(self) -> str:
        return MULTI_SEPARATOR.join(o for o, box in zip(self.options, self.boxes, strict=True) if box.selected)

    def clear(self) -> None:
        self.pages.show([])
        self.shown = ""
        self.question_id = ""
