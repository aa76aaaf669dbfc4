"""Sizes and colours, in pixels for a 1080-pixel-wide kiosk panel at arm's length.

One calm government blue, a light background and dark text; green, amber and red only for
status. Elder mode (长辈模式) scales text and touch targets up; screens bind to these
properties, so a toggle redraws everything at once.
"""

from __future__ import annotations

from kivy.event import EventDispatcher
from kivy.properties import ColorProperty, NumericProperty
from kivy.utils import get_color_from_hex

ELDER_SCALE = 1.3


class Theme(EventDispatcher):
    scale = NumericProperty(1.0)
    heading = NumericProperty(54)  # ≈ 36 pt at 4 px/mm
    title = NumericProperty(44)
    body = NumericProperty(36)  # ≈ 24 pt
    small = NumericProperty(28)  # never below 18 pt
    number = NumericProperty(72)  # case numbers people copy
    button_height = NumericProperty(120)  # ≥ 60 dp even before elder scaling
    gap = NumericProperty(24)

    primary = ColorProperty(get_color_from_hex("#1F5FAD"))
    primary_dark = ColorProperty(get_color_from_hex("#174A87"))
    background = ColorProperty(get_color_from_hex("#F4F7FB"))
    surface = ColorProperty(get_color_from_hex("#FFFFFF"))
    text = ColorProperty(get_color_from_hex("#1A1F29"))
    muted = ColorProperty(get_color_from_hex("#4A5567"))
    error = ColorProperty(get_color_from_hex("#B3261E"))
    error_surface = ColorProperty(get_color_from_hex("#FCEDEC"))
    ok = ColorProperty(get_color_from_hex("#1E7B34"))
    ok_surface = ColorProperty(get_color_from_hex("#E9F5EC"))
    warning = ColorProperty(get_color_from_hex("#8A5A00"))
    warning_surface = ColorProperty(get_color_from_hex("#FFF4DC"))
    border = ColorProperty(get_color_from_hex("#C9D3E1"))

    _BASE = {"heading": 54, "title": 44, "body": 36, "small": 28, "number": 72, "button_height": 120, "gap": 24}

    def set_primary(self, hex_colour: str) -> None:
        self.primary = get_color_from_hex(hex_colour)
        r, g, b, a = self.primary
        self.primary_dark = (r * 0.78, g * 0.78, b * 0.78, a)

    def set_elder_mode(self, on: bool) -> None:
        self.scale = ELDER_SCALE if on else 1.0
        for name, size in self._BASE.items():
            setattr(self, name, round(size * self.scale))
