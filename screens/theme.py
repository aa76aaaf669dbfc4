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

# Segments a rounded corner is drawn in. A software renderer pays for every thin triangle
# (bench resident): Kivy's defaults (22 a corner for an outline, 10 for a fill, 180 for a
# circle) cost more than the fill itself. At our radii (up to 20 px) six segments stay within
# a sixth of a pixel of the arc; pills and circles get more. (An outline's
# ``rounded_rectangle`` counts segments per half circle: give it twice these.)
CORNER_SEGMENTS = 6
ROUND_SEGMENTS = 16  # a pill's ends (radius ~50 px): within a pixel of the arc
CIRCLE_SEGMENTS = 64  # an icon's disc (up to 112 px across)


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

    def clear_window_to_background(self) -> None:
        """Clear the window to ``background``, now and when it changes.

        Screens paint no background of their own: clearing is nearly free, where a quad the
        screen's size is ~13 ms of every frame on a software renderer (``bench resident``).
        Images of the screen lay the same colour under it (``screens.screenshot``).
        """
        from kivy.core.window import Window  # here: importing it makes the window

        Window.clearcolor = self.background
        self.bind(background=lambda _theme, colour: setattr(Window, "clearcolor", colour))
