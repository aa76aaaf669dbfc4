"""What every answer widget offers the form screen: load a question, give its answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.catalog.model import Field
from kiosk.messages import DEFAULT_LANGUAGE


class AnswerInput(BoxLayout):
    """An answer widget. ``shown`` is what the form's answer box reads ("" hides the box);
    ``needs_next`` says whether the resident confirms with Next (choices answer on a tap).
    ``language`` is the session's, set by the form before ``load``: a widget's own words
    (a date, 元, a region prompt) follow it, and ``on_language`` redraws them when it changes."""

    shown = StringProperty("")
    has_box = BooleanProperty(False)  # the form shows ``shown`` in its framed answer box
    needs_next = BooleanProperty(True)
    language = StringProperty(DEFAULT_LANGUAGE)
    question_id = ""

    def __init__(self, answer: Callable[[str], object], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.answer = answer  # records an answer at once (a tapped choice)

    def load(self, question: Field, previous: str) -> None:
        """Show ``question`` (in the resident's language) with ``previous`` (its earlier answer, or "") chosen."""
        raise NotImplementedError

    def on_language(self, _widget: object, _language: str) -> None:
        """Say the widget's own words again in the new language (what was entered stays)."""

    def value(self) -> str:
        """The answer as the session stores it."""
        raise NotImplementedError

    def clear(self) -> None:
        """Forget what was entered (the screen is left)."""
        self.clear_widgets()
        self.shown = ""
        self.question_id = ""
