"""A label that makes its font smaller, down to a floor, until its wrapped text fits its box.

For the header's title and site name, whose box is fixed and whose words change with the
language (English runs longer than Chinese): wrap first, then shrink, never cut words off.
"""

from __future__ import annotations

from kivy.core.text import Label as CoreLabel
from kivy.properties import NumericProperty
from kivy.uix.label import Label

STEP = 2  # px the font shrinks by at a time


class FittedLabel(Label):
    max_font_size = NumericProperty(46)
    min_font_size = NumericProperty(26)  # 18 pt on the panel: the smallest text a resident reads

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.bind(text=self._fit, size=self._fit, max_font_size=self._fit, min_font_size=self._fit)

    def _fit(self, *_args: object) -> None:
        """The largest font size, in steps from ``max_font_size``, at which the text fits."""
        size = self.max_font_size
        while size > self.min_font_size and self._height_at(size) > self.height + 1:
            size = max(self.min_font_size, size - STEP)
        self.font_size = size

    def _height_at(self, font_size: float) -> float:
        if not self.text or self.width <= 0:
            return 0.0
        measure = CoreLabel(text=self.text, font_size=font_size, font_name=self.font_name, bold=self.bold,
                            text_size=(self.width, None), halign=self.halign)
        measure.refresh()
        return float(measure.texture.size[1])
