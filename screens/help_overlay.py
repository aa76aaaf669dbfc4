"""A question's longer help, large, over the form; one tap anywhere closes it."""

from __future__ import annotations

from kivy.input.motionevent import MotionEvent
from kivy.properties import StringProperty
from kivy.uix.floatlayout import FloatLayout


class HelpOverlay(FloatLayout):
    """Shown while ``text`` is set; swallows touches meant for the form underneath."""

    heading = StringProperty("")
    text = StringProperty("")

    @property
    def covers(self) -> bool:
        """Open, it hides the form under its backdrop (the layout audit checks only what is above)."""
        return bool(self.text)

    def open(self, heading: str, text: str) -> None:
        self.heading, self.text = heading, text

    def close(self) -> None:
        self.text = ""

    def on_touch_down(self, touch: MotionEvent) -> bool:
        if not self.text:
            return False
        touch.grab(self)
        return True

    def on_touch_up(self, touch: MotionEvent) -> bool:
        if touch.grab_current is self:
            touch.ungrab(self)
            self.close()
            return True
        return bool(self.text)
