"""Which font draws a character: a main CJK font and fallbacks for rare characters (生僻字).

WenQuanYi Micro Hei stops at the basic CJK block; Hanazono covers Extensions A to F. Font
files are read (with fontTools) the first time a character outside the common ranges asks,
so nothing is loaded at start-up. Used where we draw text ourselves: the printer simulator
and the screens' markup.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

COMMON_BELOW = 0x2E80  # below the CJK radicals every font we use draws what we print


@functools.lru_cache(maxsize=16)
def code_points(path: Path) -> frozenset[int]:
    """The characters the font at ``path`` can draw (the first face of a collection); read once
    per process (every receipt the simulator draws asked again, a tenth of a second each)."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() == ".ttc":
        with TTCollection(str(path)) as collection:
            return frozenset(collection[0]["cmap"].getBestCmap())
    with TTFont(str(path), lazy=True) as font:
        return frozenset(font["cmap"].getBestCmap())


class FontChain:
    """A main font and the fallbacks tried, in order, for what it cannot draw."""

    def __init__(self, primary: Path, fallbacks: Sequence[Path] = ()) -> None:
        self.primary = primary
        self.fallbacks = tuple(fallbacks)

    @cached_property
    def _primary_points(self) -> frozenset[int]:
        return code_points(self.primary) if self.primary.exists() else frozenset()

    @cached_property
    def _fallback_points(self) -> tuple[tuple[Path, frozenset[int]], ...]:
        return tuple((path, code_points(path)) for path in self.fallbacks if path.exists())

    def fallback_for(self, char: str) -> Path | None:
        """None when the main font draws ``char`` (or nothing does); else the fallback that does."""
        point = ord(char)
        if point < COMMON_BELOW or not self.fallbacks or point in self._primary_points:
            return None
        for path, points in self._fallback_points:
            if point in points:
                return path
        return None

    def font_for(self, char: str) -> Path:
        """The font to draw ``char`` with."""
        return self.fallback_for(char) or self.primary
