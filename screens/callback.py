"""Call-back (请工作人员回电): what Help offers outside staffed hours (``kiosk.session.callback``).

Drawn over whatever step the session is at, while the form is open; the footer's Back closes it.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.messages import MessageId
from kiosk.session.callback import CallbackForm, CallbackState
from screens.base import KioskScreen


class CallbackScreen(KioskScreen):
    form: CallbackForm
    state = StringProperty(CallbackState.EDITING.value)
    intro = StringProperty("")
    problem = StringProperty("")
    known = StringProperty("")  # the masked known number ("" when none)
    known_text = StringProperty("")
    use_known = BooleanProperty(False)
    consent = BooleanProperty(False)
    typed = StringProperty("")
    sent = StringProperty("")

    def instruction(self) -> str:
        return self.problem or self.say(MessageId.UI_CALLBACK_TITLE)

    def refresh(self) -> None:
        form = self.form
        self.state = form.state.value
        self.intro = self.session.say(form.intro())
        self.problem = self.session.say(form.problem)
        self.known = form.masked_known
        self.known_text = self.say(MessageId.UI_CALLBACK_KNOWN_PHONE, phone=self.known) if self.known else ""
        self.use_known = form.use_known
        self.consent = form.consent
        if self.ids.keypad.value != form.typed:
            self.ids.keypad.value = form.typed
        digits = form.typed
        self.typed = " ".join(part for part in (digits[:3], digits[3:7], digits[7:]) if part)  # 138 1234 5678
        self.sent = self.say(MessageId.UI_CALLBACK_SENT, phone=form.masked_number) \
            if form.state is CallbackState.SENT else ""

    def on_size(self, *_args: object) -> None:
        """Portrait: the number above the pad, consent and send under it. Landscape: the number,
        consent and send on the left under the words, the pad alone on the right (elder mode's
        pad takes the whole height there)."""
        ids, landscape = self.ids, self.width > self.height
        phone, actions = ids.phone_box, ids.actions
        phone.parent.remove_widget(phone)
        actions.parent.remove_widget(actions)
        if landscape:
            ids.left.add_widget(phone, index=ids.left.children.index(ids.info))  # just under the words
            ids.left.add_widget(actions)  # at the bottom
        else:
            ids.pad_column.add_widget(phone, index=len(ids.pad_column.children))  # on top of the pad
            ids.main.add_widget(actions)

    def typed_changed(self, value: str) -> None:
        self.form.type(value)

    def clear(self) -> None:
        self.typed = self.known = self.sent = self.problem = ""
        self.ids.keypad.value = ""
