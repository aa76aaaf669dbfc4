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
from pathlib import Path

from drivers.fonts import FontChain


def escape_markup(text: str) -> str:
    """Make ``text`` safe inside Kivy markup (``&``, ``[`` and ``]`` are markup)."""
    return text.replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")


class GlyphFallback:
    """Marks up text so each character is drawn by a font that has it."""

    def __init__(self, primary: Path, fallbacks: Sequence[Path]) -> None:
        self.chain = FontChain(primary, fallbacks)

    def font_for(self, char: str) -> Path | None:
        """None when the main font draws ``char``; else the fallback that does (or None)."""
        return self.chain.fallback_for(char)

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
