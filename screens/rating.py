"""Rating (好差评): five levels, reasons for a low one, skipping allowed."""

from __future__ import annotations

from kivy.properties import NumericProperty

from kiosk.session.session import LOW_RATING_REASONS, RATINGS
from screens.base import KioskScreen
from screens.widgets import KButton


class RatingScreen(KioskScreen):
    @property
    def show_back(self) -> bool:
        return False

    level = NumericProperty(0)  # 0 until a low level is picked and reasons are asked

    def refresh(self) -> None:
        levels = self.ids.levels
        levels.clear_widgets()
        for index, label in enumerate(RATINGS, start=1):
            button = KButton(text=label, kind="option", selected=index == self.level, test_name=f"rate-{index}")
            button.bind(on_release=lambda _b, lvl=index: self.pick(lvl))
            levels.add_widget(button)
        reasons = self.ids.reasons
        reasons.clear_widgets()
        if self.level >= 4:
            for index, reason in enumerate(LOW_RATING_REASONS):
                button = KButton(text=reason, kind="option", test_name=f"reason-{index}")
                button.bind(on_release=lambda b: setattr(b, "selected", not b.selected))
                reasons.add_widget(button)

    def pick(self, level: int) -> None:
        if level >= 4:
            self.level = level  # ask why, then send
            self.refresh()
        else:
            self.terminal.rate(level, ())

    def send_low(self) -> None:
        chosen = tuple(b.text for b in reversed(self.ids.reasons.children) if b.selected)
        self.terminal.rate(self.level, chosen)

    def skip(self) -> None:
        self.terminal.rate(None, ())

    def clear(self) -> None:
        self.level = 0
        self.ids.levels.clear_widgets()
        self.ids.reasons.clear_widgets()
