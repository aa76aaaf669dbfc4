"""Form (填写信息): one question a screen, answered on the widget its kind needs.

The question column shows the progress, what is asked, its hint, a "?" for its longer help,
the answer so far in a framed box (typed numbers, a date, a region, text) and what was
wrong; the answer column holds the answer widget (``screens.form_inputs``) and Next.

Where a long question and its error do not fit (elder mode, English): the question column in
landscape, which has the screen's height and no more, or the answer widget under it in
portrait, the screen steps down (``compact``), first the question to title size, then a typed
answer's error to small size, rather than run under the header or squeeze the keypad.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty

from kiosk.catalog.fields import FieldKind, Keyboard
from kiosk.catalog.translated import field_in
from kiosk.messages import MessageId
from kiosk.session.session import Step
from screens.base import KioskScreen
from screens.form_inputs import input_for
from screens.form_inputs.base import AnswerInput
from screens.form_inputs.known_phone import KnownPhone
from screens.help_overlay import HelpOverlay

COMPACT_STEPS = 2  # the question at title size, rows closer; then also the typed answer's error at small size


class FormScreen(KioskScreen):
    progress = StringProperty("")
    label = StringProperty("")
    hint = StringProperty("")
    help_text = StringProperty("")
    error = StringProperty("")
    answer_text = StringProperty("")  # what the answer widget has so far, as the resident reads it
    empty_text = StringProperty("")  # what the answer box says before anything is entered
    typed = BooleanProperty(False)  # the question shows its answer in the framed box
    current = ObjectProperty(None, allownone=True)  # the answer widget on screen
    compact = NumericProperty(0)  # steps the question column took down to fit (landscape)
    _question_id = ""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._fit_later = Clock.create_trigger(self._fit)
        self.ids.question_column.bind(minimum_height=self._fit_later, height=self._fit_later)
        self._inputs: dict[type[AnswerInput], AnswerInput] = {}
        self._retyping: set[str] = set()  # phone questions whose known number the resident declined

    def instruction(self) -> str:
        known = self._known_phone()
        if known and not self.error:  # the number's tail only: never a whole number aloud
            return self.spoken(self.label, self.say(MessageId.FORM_KNOWN_PHONE_SPOKEN, tail=known[-4:]))
        return self.error or self.label

    def _known_phone(self) -> str:
        """The mobile number the login code brought, when this is a phone question not answered
        yet and the resident has not asked for the keypad ("" otherwise)."""
        session = self.session
        if session.step is not Step.FORM or session.identity is None or not session.identity.phone:
            return ""
        question = session.question
        if question.kind is not FieldKind.PHONE or question.id in session.answers or question.id in self._retyping:
            return ""
        return session.identity.phone

    def _type_another(self) -> None:
        """用别的号码: the keypad for this phone question."""
        self._retyping.add(self._question_id)
        self.refresh()

    def refresh(self) -> None:
        session = self.session
        if session.item is None or not session.questions:
            return
        question = field_in(session.question, session.language)  # its words; the stored values stay
        new_question = question.id != self._question_id
        if new_question:
            self.ids.help_overlay.close()  # help belongs to the question it was opened on
            self._question_id = question.id
            self.compact = 0  # a new question starts full size; only ever smaller until the next
        self.progress = self.say(MessageId.UI_FORM_PROGRESS, step=session.form_index + 1, steps=len(session.questions))
        self.label = question.label
        keyboard = question.spec.keyboard
        self.hint = question.hint or (self.say(MessageId.UI_FORM_MULTI_HINT) if keyboard is Keyboard.MULTI else "")
        self.help_text = question.help
        self.error = session.error
        known = self._known_phone()
        widget = self._show_input(KnownPhone if known else input_for(keyboard))
        if isinstance(widget, KnownPhone):
            widget.known, widget.other = known, self._type_another
        widget.language = session.language
        widget.load(question, session.answers.get(question.id, ""))

        self.answer_text = widget.shown
        self.typed = widget.has_box
        empty = MessageId.UI_FORM_TEXT_EMPTY if keyboard is Keyboard.PINYIN else MessageId.UI_FORM_KEYPAD_EMPTY
        self.empty_text = self.say(empty)

    def _fit(self, *_args: object) -> None:
        """A step down while the question column (landscape) or the answer widget is taller
        than the room it has (a long error in elder English pushes the keypad's keys below
        their smallest in portrait)."""
        column, answer = self.ids.question_column, self.current
        crowded = self.width > self.height and column.minimum_height > column.height + 1
        squeezed = answer is not None and answer.minimum_height > answer.height + 1
        if self.compact < COMPACT_STEPS and (crowded or squeezed):
            self.compact += 1

    def _show_input(self, kind: type[AnswerInput]) -> AnswerInput:
        """The answer widget of ``kind``, made once, put in the answer column (a list longer
        than the column pages itself: nothing here scrolls)."""
        if kind not in self._inputs:
            self._inputs[kind] = kind(answer=self.session.answer)
        widget = self._inputs[kind]
        area = self.ids.answer_area
        if widget.parent is not area:
            area.clear_widgets()
            area.add_widget(widget)
        if self.current is not widget:
            if self.current is not None:
                self.current.unbind(shown=self._show_answer, minimum_height=self._fit_later, height=self._fit_later)
            widget.bind(shown=self._show_answer, minimum_height=self._fit_later, height=self._fit_later)
            self.current = widget
        return widget

    def _show_answer(self, _widget: AnswerInput, text: str) -> None:
        self.answer_text = text

    def submit_typed(self) -> None:
        if self.current is not None:
            self.session.answer(self.current.value())

    def show_help(self) -> None:
        overlay: HelpOverlay = self.ids.help_overlay
        overlay.open(self.label, self.help_text)

    def clear(self) -> None:
        for widget in self._inputs.values():
            widget.clear()
        self.ids.answer_area.clear_widgets()
        self.ids.help_overlay.close()
        if self.current is not None:
            self.current.unbind(shown=self._show_answer)
        self.current = None
        self.answer_text = ""
        self._question_id = ""
        self._retyping.clear()
        self.error = ""
