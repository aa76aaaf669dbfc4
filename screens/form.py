"""Form (填写信息): one question a screen; choices are tapped, numbers typed on a keypad."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.catalog.fields import Keyboard
from kiosk.messages import MessageId
from screens.base import KioskScreen
from screens.widgets import KButton


class FormScreen(KioskScreen):
    progress = StringProperty("")
    label = StringProperty("")
    hint = StringProperty("")
    error = StringProperty("")
    typed = BooleanProperty(False)  # a keypad question rather than a choice
    _loaded_question = ""  # the question whose answer the keypad holds

    def refresh(self) -> None:
        session = self.session
        if session.item is None or not session.questions:
            return
        question = session.question
        self.progress = self.say(MessageId.UI_FORM_PROGRESS, step=session.form_index + 1, steps=len(session.questions))
        self.label = question.label
        self.hint = question.hint
        self.error = session.error
        self.typed = question.spec.keyboard is Keyboard.DIGITS
        options = self.ids.options
        options.clear_widgets()
        previous = session.answers.get(question.id, "")
        if self.typed:
            if question.id != self._loaded_question:
                # Load the keypad once per question: refreshes also come with every countdown
                # tick and after a wrong answer, and must not wipe what is being typed.
                self.ids.keypad.max_length = question.max_length
                self.ids.keypad.value = previous
                self._loaded_question = question.id
        else:
            self._loaded_question = ""
            for index, option in enumerate(question.options):
                label = question.label_of(option)
                button = KButton(text=label, kind="option", selected=option == previous, test_name=f"option-{index}")
                button.bind(on_release=lambda _b, value=option: self.session.answer(value))
                options.add_widget(button)

    def submit_typed(self) -> None:
        self.session.answer(self.ids.keypad.value)

    def clear(self) -> None:
        self.ids.options.clear_widgets()
        self.ids.keypad.value = ""
        self._loaded_question = ""
        self.error = ""
