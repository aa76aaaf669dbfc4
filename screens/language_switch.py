"""The language switch in the header: 简体 / 繁體 / English, each named in its own language.

A tap dispatches ``on_chosen`` with the language's code; the header's rule hands it to the app,
which shows the session in it (``Session.set_language``): the step and the answers stay.
"""

from __future__ import annotations

from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.messages import DEFAULT_LANGUAGE, LANGUAGES, MessageId

LANGUAGE_NAMES = {
    "zh-Hans": MessageId.UI_LANGUAGE_ZH_HANS,
    "zh-Hant": MessageId.UI_LANGUAGE_ZH_HANT,
    "en": MessageId.UI_LANGUAGE_EN,
}
assert tuple(LANGUAGE_NAMES) == LANGUAGES, "a language without its name on the switch"


class LanguageSwitch(BoxLayout):
    """One button a language; the current one is marked."""

    current = StringProperty(DEFAULT_LANGUAGE)
    __events__ = ("on_chosen",)

    def choose(self, language: str) -> None:
        if language != self.current:
            self.dispatch("on_chosen", language)

    def on_chosen(self, language: str) -> None:
        """The resident chose ``language`` (the header's rule acts on it)."""
