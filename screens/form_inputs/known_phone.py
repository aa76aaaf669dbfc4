"""A phone number the kiosk already knows, confirmed with one tap: "是 138****5678 吗？".

The identity authority's login code carries the mobile number it verified
(``Identity.phone``); on a phone question not yet answered, the form shows it masked with
"是，用这个号码" (answers at once) and "用别的号码" (the keypad instead, ``other``). The whole
number is never shown or said.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.catalog.model import Field
from kiosk.messages import MessageId, message, say
from kiosk.session.privacy import mask_phone
from screens.form_inputs.base import AnswerInput
from screens.widgets import KButton, KLabel


class KnownPhone(AnswerInput):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.orientation = "vertical"
        self.spacing = 24
        self.size_hint_y = None
        self.bind(minimum_height=self.setter("height"))
        self.needs_next = False
        self.known = ""  # the whole number, set by the form before ``load``
        self.other: Callable[[], object] = lambda: None  # the keypad instead

    def load(self, question: Field, previous: str) -> None:
        self.clear_widgets()
        self.question_id = question.id
        asked = say(message(MessageId.UI_FORM_KNOWN_PHONE, phone=mask_phone(self.known)), self.language)
        self.add_widget(KLabel(text=asked, role="heading", bold=True, test_name="known-phone"))
        yes = KButton(text=say(MessageId.UI_FORM_KNOWN_PHONE_YES, self.language), kind="primary",
                      test_name="known-phone-yes")
        yes.bind(on_release=lambda _b: self.answer(self.known))
        other = KButton(text=say(MessageId.UI_FORM_KNOWN_PHONE_OTHER, self.language), test_name="known-phone-other")
        other.bind(on_release=lambda _b: self.other())
        self.add_widget(yes)
        self.add_widget(other)

    def value(self) -> str:
        return self.known
