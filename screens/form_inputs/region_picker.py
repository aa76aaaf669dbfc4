"""A region picked one level at a time: provinces, cities, districts (streets when asked for).

A breadcrumb names what is picked so far and ``region-up`` goes back a level. Tapping a
region that answers the question (deep enough, or with nothing below it) selects it; Next
confirms. Stored as its code (``kiosk.catalog.regions``).
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.catalog import regions
from kiosk.catalog.model import Field
from kiosk.catalog.region_names import shown_region_name
from kiosk.messages import MessageId, message, say
from screens.form_inputs.base import AnswerInput
from screens.paging import PagedGrid  # noqa: F401 - registers <PagedGrid> for the kv rule
from screens.widgets import KButton

LEVEL_PROMPTS = (
    MessageId.UI_FORM_REGION_PROVINCE,
    MessageId.UI_FORM_REGION_CITY,
    MessageId.UI_FORM_REGION_DISTRICT,
    MessageId.UI_FORM_REGION_STREET,
)


class RegionPicker(AnswerInput):
    breadcrumb = StringProperty("")
    prompt = StringProperty("")
    can_go_up = BooleanProperty(False)
    columns = NumericProperty(2)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.levels = 3
        self.opened: str | None = None  # the region whose children are listed (None: provinces)
        self.selected = ""

    def load(self, question: Field, previous: str) -> None:
        if question.id == self.question_id:
            return
        self.question_id = question.id
        self.levels = question.region_levels
        if previous and regions.region_depth(previous) is not None:
            self.selected = previous
            self._open(regions.parent(previous))
        else:
            self.selected = ""
            self._open(None)

    def pick(self, code: str) -> None:
        if regions.region_complete(code, self.levels):
            self.selected = code
            self._open(self.opened)  # redraw with the choice marked
        else:
            self.selected = ""
            self._open(code)

    def up(self) -> None:
        if self.opened is not None:
            self.selected = ""
            self._open(regions.parent(self.opened))

    def _open(self, code: str | None) -> None:
        self.opened = code
        depth = 0 if code is None else regions.region_depth(code) or 0
        self.can_go_up = code is not None
        self.prompt = say(LEVEL_PROMPTS[min(depth, len(LEVEL_PROMPTS) - 1)], self.language)
        chosen = self.selected or code
        self.breadcrumb = regions.region_path_name(chosen, self.language) if chosen else ""
        self.shown = say(message(MessageId.UI_FORM_REGION_CHOSEN, region=self.breadcrumb), self.language) \
            if self.selected else ""
        buttons = []
        for child, name in regions.children(code):
            button = KButton(text=shown_region_name(name, self.language), kind="option",
                             selected=child == self.selected, test_name=f"region-{child}")
            button.bind(on_release=lambda _b, picked=child: self.pick(picked))
            buttons.append(button)
        listing = self.ids.listing
        listing.show(buttons)  # from its first page, or the page with what is picked
        for button in buttons:
            if button.selected:
                listing.turn_to(button)

    def on_language(self, _widget: object, _language: str) -> None:
        if self.question_id:
            self._open(self.opened)

    def value(self) -> str:
        return self.selected

    def clear(self) -> None:
        self.ids.listing.show([])
        self.question_id = ""
        self.selected = ""
        self.opened = None
        self.breadcrumb = ""
        self.shown = ""
