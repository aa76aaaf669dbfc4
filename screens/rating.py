"""Rating (好差评): five levels, reasons for a low one, skipping allowed."""

from __future__ import annotations

from kivy.properties import NumericProperty

from kiosk.messages import MessageId
from kiosk.session.outcome import LOW_RATING_REASONS
from screens.base import KioskScreen
from screens.widgets import KButton

# What each level and reason is called on screen, in the session's order (level 1 first). The
# session keeps the reasons' own values, which go to the centre whatever the language shown.
LEVEL_WORDS = (
    MessageId.UI_RATING_VERY_SATISFIED,
    MessageId.UI_RATING_SATISFIED,
    MessageId.UI_RATING_FAIRLY_SATISFIED,
    MessageId.UI_RATING_DISSATISFIED,
    MessageId.UI_RATING_VERY_DISSATISFIED,
)
REASON_WORDS = (
    MessageId.UI_RATING_REASON_LONG_WAIT,
    MessageId.UI_RATING_REASON_HARD_TO_USE,
    MessageId.UI_RATING_REASON_ITEM_NOT_FOUND,
    MessageId.UI_RATING_REASON_GUIDE_UNCLEAR,
    MessageId.UI_RATING_REASON_DEVICE_FAULT,
    MessageId.UI_RATING_REASON_OTHER,
)


LANDSCAPE_TALL = 0.72


class RatingScreen(KioskScreen):
    @property
    def show_back(self) -> bool:
        return False

    level = NumericProperty(0)  # 0 until a low level is picked and reasons are asked

    def instruction(self) -> str:
        return self.say(MessageId.UI_RATING_TITLE)

    @property
    def tall(self) -> float:
        """Buttons' height factor: landscape is short, and a poor rating adds a grid of reasons
        (still well above the elder touch target)."""
        return LANDSCAPE_TALL if self.width > self.height else 1.0

    def refresh(self) -> None:
        levels = self.ids.levels
        levels.clear_widgets()
        for index, words in enumerate(LEVEL_WORDS, start=1):
            button = KButton(
                text=self.say(words), kind="option", selected=index == self.level, test_name=f"rate-{index}",
                tall=self.tall,
            )
            button.bind(on_release=lambda _b, lvl=index: self.pick(lvl))
            levels.add_widget(button)
        reasons = self.ids.reasons
        reasons.clear_widgets()
        if self.level >= 4:
            for index, words in enumerate(REASON_WORDS):
                button = KButton(text=self.say(words), kind="option", test_name=f"reason-{index}", tall=self.tall)
                button.bind(on_release=lambda b: setattr(b, "selected", not b.selected))
                reasons.add_widget(button)

    def pick(self, level: int) -> None:
        if level >= 4:
            self.level = level  # ask why, then send
            self.refresh()
        else:
            self.terminal.rate(level, ())

    def send_low(self) -> None:
        buttons = reversed(self.ids.reasons.children)  # in the order they were added
        chosen = tuple(value for value, b in zip(LOW_RATING_REASONS, buttons, strict=True) if b.selected)
        self.terminal.rate(self.level, chosen)

    def skip(self) -> None:
        self.terminal.rate(None, ())

    def clear(self) -> None:
        self.level = 0
        self.ids.levels.clear_widgets()
        self.ids.reasons.clear_widgets()
