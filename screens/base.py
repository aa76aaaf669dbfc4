"""The base of every screen: it draws the terminal's session and forgets it on leaving."""

from __future__ import annotations

from kivy.app import App
from kivy.uix.screenmanager import Screen

from kiosk.messages import MessageId, Param, message, spoken
from kiosk.session.session import Session
from kiosk.terminal import Terminal
from screens.glyphs import GlyphFallback


class KioskScreen(Screen):
    """A screen bound to the terminal. Subclasses fill ``refresh`` and ``clear``."""

    terminal: Terminal

    @property
    def show_back(self) -> bool:
        """Whether the footer offers Back on this screen."""
        return True

    @property
    def show_home(self) -> bool:
        """Whether the footer offers Home on this screen."""
        return True

    @property
    def theme(self):  # type: ignore[no-untyped-def]
        """The running app's theme (sizes follow elder mode)."""
        return App.get_running_app().theme

    @property
    def glyphs(self) -> GlyphFallback:
        """Markup for text that may hold rare characters (names, addresses)."""
        return App.get_running_app().glyphs  # type: ignore[no-any-return]

    @property
    def session(self) -> Session:
        return self.terminal.session

    def say(self, message_id: MessageId, **params: Param) -> str:
        """The words of ``message_id`` in the session's language."""
        return self.session.say(message(message_id, **params))

    @property
    def insists(self) -> bool:
        """Whether the instruction is said again every few seconds until things change (a card
        left on the reader)."""
        return False

    def instruction(self) -> str:
        """The screen's main instruction as it stands, spoken when it appears or changes
        (语音播报; ``screens.voice_guide``); "" says nothing. Never personal data."""
        return ""

    def spoken(self, *sentences: str) -> str:
        """Sentences said one after another, in the session's language ("" ones left out)."""
        return spoken(sentences, self.session.language)

    def refresh(self) -> None:
        """Draw the session's current state (called on entering and on every change)."""

    def clear(self) -> None:
        """Remove anything personal the screen shows (called on leaving)."""

    def on_pre_enter(self, *args: object) -> None:
        self.refresh()

    def on_leave(self, *args: object) -> None:
        self.clear()
