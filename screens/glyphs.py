"""Rare characters (生僻字) on screen: what the main font cannot draw, a fallback font draws.

Kivy draws a label with one font and has no fallback, and the CJK font we ship (WenQuanYi
Micro Hei) stops at the basic CJK block: a name such as 邓䶮 (䶮 is in Extension A) would
show a box. ``GlyphFallback.markup`` wraps each run of characters the main font lacks in a
``[font=...]`` markup tag naming the first fallback font that has them (Hanazono covers
Extensions A to F), and escapes the rest; labels showing it set ``markup: True``.

Used for text that may carry a person's name or address; our own texts need no fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path


def escape_markup(text: str) -> str:
    """Make ``text`` safe inside Kivy markup (``&``, ``[`` and ``]`` are markup)."""
    return text.replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")


def _code_points(path: Path) -> frozenset[int]:
    """The characters ``path`` can draw (read on first need, off the start-up path)."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() == ".ttc":
        with TTCollection(str(path)) as collection:
            return frozenset(collection[0]["cmap"].getBestCmap())
    with TTFont(str(path), lazy=True) as font:
        return frozenset(font["cmap"].getBestCmap())


class GlyphFallback:
    """Chooses, per character, the first font that can draw it."""

    def __init__(self, primary: Path, fallbacks: Sequence[Path]) -> None:
        self.primary = primary
        self.fallbacks = tuple(fallbacks)

    @cached_property
    def _primary_points(self) -> frozenset[int]:
        return _code_points(self.primary)

    @cached_property
    def _fallback_points(self) -> tuple[tuple[Path, frozenset[int]], ...]:
        return tuple((path, _code_points(path)) for path in self.fallbacks)

    def font_for(self, char: str) -> Path | None:
        """None when the main font draws ``char``; else the fallback that does (or None)."""
        point = ord(char)
        if point < 0x2E80 or point in self._primary_points:
            return None
        for path, points in self._fallback_points:
            if point in points:
                return path
        return None

    def markup(self, text: str) -> str:
        """``text`` as escaped markup, rare characters wrapped in their fallback font."""
        pieces: list[str] = []
        run_font: Path | None = None
        run: list[str] = []

        def flush() -> None:
            chunk = escape_markup("".join(run))
            pieces.append(f"[font={run_font}]{chunk}[/font]" if run_font and chunk else chunk)

        for char in text:
            font = self.font_for(char)
            if font != run_font:
                flush()
                run, run_font = [], font
            run.append(char)
        flush()
        return "".join(pieces)
