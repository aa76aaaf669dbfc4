"""Where a line of Chinese text may end, as a reader expects, for Kivy's labels.

Kivy breaks lines only at spaces; a run without spaces (all of a Chinese sentence) it cuts
at whichever character reaches the edge. So "政务服务App" could end a line with "A" and
start the next with "pp", and a "，" or "。" could start a line. Here a line may end
between two Han characters, at a space, or around a Latin word or number (kept whole), but
never before closing punctuation nor after opening punctuation (the Chinese rule of 避头尾).
``break_lines`` puts the line ends in as newlines; ``BreakingCoreLabel`` does it for a
label while it lays out, so the widget's ``text`` stays as given.
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.core.text import Label as CoreLabel

NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕］｝…—～%’”,.;:?!)]}·")  # stays with what is before
NO_LINE_END = frozenset("（「『《〈【〔［｛‘“([{")  # goes with what follows
WORD_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'-_./:@#&+*")


def is_han(character: str) -> bool:
    """A CJK character (ideographs, their extensions, full-width forms and CJK punctuation)."""
    code = ord(character)
    return (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x3FFFF)


def needs_breaking(text: str) -> bool:
    """Whether Kivy's own line breaking would cut ``text`` badly (it has Chinese in it)."""
    return any(is_han(character) for character in text)


def pieces(paragraph: str) -> list[str]:
    """``paragraph`` cut where a line may end: each piece is kept whole on one line."""
    found: list[str] = []
    for character in paragraph:
        joins_word = character in WORD_CHARACTERS and found and found[-1][-1] in WORD_CHARACTERS
        if found and (joins_word or character in NO_LINE_START or found[-1][-1] in NO_LINE_END):
            found[-1] += character
        else:
            found.append(character)
    return found


def break_lines(text: str, width: float, measure: Callable[[str], tuple[float, float]]) -> str:
    """``text`` with a newline wherever a line of at most ``width`` (as ``measure`` gives a
    string's width and height) must end. A piece wider than a whole line is left for Kivy."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in pieces(paragraph):
            if line.strip() and measure((line + piece).rstrip())[0] > width:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
        lines.append(line)
    return "\n".join(lines)


class BreakingCoreLabel(CoreLabel):  # type: ignore[misc,valid-type]  # Kivy's provider class
    """Kivy's core label, laying text with Chinese in it out by ``break_lines``."""

    def render(self, real: bool = False) -> tuple[int, int]:
        width = self._text_size[0]
        text: str = self.text
        if real or width is None or not needs_breaking(text):
            return super().render(real)  # type: ignore[no-any-return]
        left, _top, right, _bottom = self.options["padding"]
        self._text = break_lines(text, width - left - right, self.get_cached_extents())
        try:
            return super().render(real)  # type: ignore[no-any-return]
        finally:
            self._text = text


class BreaksLines:
    """Mixed into a ``kivy.uix.label.Label`` (or ``Button``): its lines end where Chinese
    text may end (``BreakingCoreLabel``). Labels with markup keep Kivy's own layout."""

    markup: bool
    _label: object

    def _create_label(self) -> None:
        if getattr(self, "markup", False):
            super()._create_label()  # type: ignore[misc]
            return
        if type(self._label) is BreakingCoreLabel:
            return
        options = {name: getattr(self, name) for name in self._font_properties}  # type: ignore[attr-defined]
        options["usersize"] = self.text_size  # type: ignore[attr-defined]
        if self.disabled:  # type: ignore[attr-defined]
            options["color"] = self.disabled_color  # type: ignore[attr-defined]
            options["outline_color"] = self.disabled_outline_color  # type: ignore[attr-defined]
        self._label = BreakingCoreLabel(**options)
