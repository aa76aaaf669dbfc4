"""Widgets of the maintenance screens: a sheet's row, a busy line with its spinner, a camera frame.

Technician screens are denser than the resident's: rows in the small and body sizes, buttons
of ``MAINTENANCE_BUTTON`` height (above the 44 dp minimum). Always the standard sizes: elder
mode is a resident's setting, and the frame turns it off in maintenance mode.
"""

from __future__ import annotations

import io

from kivy.clock import Clock
from kivy.core.image import Image as CoreImage
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image

from kiosk.maintenance.sheet import Row, Tone

BUTTON_TALL = 0.75  # of the theme's button height: 90 px, two 44 dp targets' worth
BUTTON_TEXT = 0.85
SPIN_STEP = 1 / 12  # seconds between spinner frames: enough to show it turns, light on the CPU


class SheetRow(BoxLayout):
    """A label and its value (coloured by tone), with an optional note below the value.

    The value's label carries ``value_name`` (``row-<key>``) for the tests."""

    value_name = StringProperty("")
    label = StringProperty("")
    value = StringProperty("")
    note = StringProperty("")
    tone = StringProperty(Tone.PLAIN.value)
    heading = BooleanProperty(False)

    @classmethod
    def of(cls, row: Row) -> SheetRow:
        return cls(value_name=f"row-{row.key}", label=row.label, value=row.value, note=row.note,
                   tone=row.tone.value, heading=row.heading)


class BusyLine(BoxLayout):
    """A turning arc beside words saying what is happening; hidden while ``text`` is empty.

    The words' label carries ``text_name`` for the tests."""

    text_name = StringProperty("")
    text = StringProperty("")
    angle = NumericProperty(0)

    def on_text(self, _instance: object, text: str) -> None:
        Clock.unschedule(self._spin)
        if text:
            Clock.schedule_interval(self._spin, SPIN_STEP)

    def _spin(self, _dt: float) -> None:
        self.angle = (self.angle + 30) % 360


class FrameImage(Image):
    """A PNG (a camera frame) shown whole, or nothing."""

    test_name = StringProperty("")

    def show_png(self, png: bytes | None) -> None:
        if not png:
            self.texture = None
            return
        self.texture = CoreImage(io.BytesIO(png), ext="png").texture


def tone_colour(theme: object, tone: str) -> object:
    """The theme's colour for a tone: status colours only for status."""
    return {
        Tone.OK.value: theme.ok,  # type: ignore[attr-defined]
        Tone.WARNING.value: theme.warning,  # type: ignore[attr-defined]
        Tone.ERROR.value: theme.error,  # type: ignore[attr-defined]
        Tone.MUTED.value: theme.muted,  # type: ignore[attr-defined]
    }.get(tone, theme.text)  # type: ignore[attr-defined]
