"""Where a line of Chinese text may end, as a reader expects, for Kivy's labels.

Kivy breaks lines only at spaces; a run without spaces (all of a Chinese sentence) it cuts
at whichever character reaches the edge. So "政务服务App" could end a line with "A" and
start the next with "pp", and a "，" or "。" could start a line. Here a line may end
between two Han characters, at a space, or around a Latin word or number (kept whole), but
never before closing punctuation nor after opening punctuation (the Chinese rule of 避头尾).
``break_lines`` puts the line ends in as newlines (``break_markup`` in Kivy markup);
``BreakingCoreLabel`` and ``BreakingMarkupLabel`` do it for a label while it lays out, so the
widget's ``text`` stays as given.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from kivy.core.text import Label as CoreLabel
from kivy.core.text.markup import MarkupLabel as CoreMarkupLabel

NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕］｝…—～%’”,.;:?!)]}·")  # stays with what is before
NO_LINE_END = frozenset("（「『《〈【〔［｛‘“([{")  # goes with what follows
MEASURE_WHOLE_WITHIN = 4.0  # px: a line whose pieces come this close to the edge is measured whole
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


def breaks(text: str, width: float, measure: Callable[[str], tuple[float, float]]) -> list[tuple[int, int]]:
    """Where lines of at most ``width`` (as ``measure`` gives a string's width and height) must
    end in ``text``: for each, the index the line ends at (its trailing spaces dropped) and the
    one the next begins at. A piece wider than a whole line is left for Kivy to cut.

    A line's width is the sum of its pieces' (Chinese fonts do not kern), measured whole only
    when that sum comes within ``MEASURE_WHOLE_WITHIN`` of the edge."""
    widths: dict[str, float] = {}
    found: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        line, line_start, at, line_width = "", offset, offset, 0.0
        for piece in pieces(paragraph):
            if piece not in widths:
                widths[piece] = measure(piece)[0]
            piece_width = widths[piece]
            if (piece.strip() and line.strip() and line_width + piece_width > width - MEASURE_WHOLE_WITHIN
                    and measure((line + piece).rstrip())[0] > width):
                lead = len(piece) - len(piece.lstrip())
                found.append((line_start + len(line.rstrip()), at + lead))
                line, line_start = piece.lstrip(), at + lead
                line_width = measure(line)[0] if lead else piece_width
            else:
                line += piece
                line_width += piece_width
            at += len(piece)
        offset += len(paragraph) + 1
    return found


def break_lines(text: str, width: float, measure: Callable[[str], tuple[float, float]]) -> str:
    """``text`` with a newline wherever a line of at most ``width`` must end (``breaks``)."""
    lines, last = [], 0
    for end, start in breaks(text, width, measure):
        lines.append(text[last:end])
        last = start
    lines.append(text[last:])
    return "\n".join(lines)


MARKUP_PARTS = re.compile(r"(\[.*?\])")  # Kivy's own split of markup into tags and text
ENTITIES = (("&bl;", "["), ("&br;", "]"), ("&amp;", "&"))


def plain_text(markup: str) -> tuple[str, list[int]]:
    """The text Kivy markup shows, and where each of its characters is in the markup."""
    shown: list[str] = []
    where: list[int] = []
    at = 0
    for part in MARKUP_PARTS.split(markup):
        if MARKUP_PARTS.fullmatch(part) is None:
            i = 0
            while i < len(part):
                entity = next(((e, c) for e, c in ENTITIES if part.startswith(e, i)), (part[i], part[i]))
                shown.append(entity[1])
                where.append(at + i)
                i += len(entity[0])
        at += len(part)
    return "".join(shown), where


def break_markup(markup: str, width: float, measure: Callable[[str], tuple[float, float]]) -> str:
    """Kivy markup with a newline wherever a line of its shown text must end (``breaks``); the
    spaces dropped at line ends go, every tag stays."""
    shown, where = plain_text(markup)
    newlines: set[int] = set()
    dropped: set[int] = set()
    for end, start in breaks(shown, width, measure):
        newlines.add(where[end])
        dropped.update(where[i] for i in range(end, start))
    return "".join(("\n" if i in newlines else "") + ("" if i in dropped else character)
                   for i, character in enumerate(markup))


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


class BreakingMarkupLabel(CoreMarkupLabel):  # type: ignore[misc,valid-type]  # Kivy's provider class
    """Kivy's markup label, laying text with Chinese in it out by ``break_markup``. Bold runs
    are measured bold throughout when there are any (a line may end a little early, never late)."""

    def render(self, real: bool = False) -> tuple[int, int]:
        width = self.text_size[0]
        text: str = self.text
        if real or width is None or not needs_breaking(text):
            return super().render(real)  # type: ignore[no-any-return]
        options = self.options
        left, _top, right, _bottom = options["padding"]
        measure = _measure(options["font_name"], options["font_size"], options["bold"] or "[b]" in text)
        self._text = break_markup(text, width - left - right, measure)
        try:
            return super().render(real)  # type: ignore[no-any-return]
        finally:
            self._text = text


@functools.lru_cache(maxsize=32)
def _measure(font_name: str, font_size: float, bold: bool) -> Callable[[str], tuple[float, float]]:
    """A string's extents in a font: one measuring label per font, not one per render."""
    return CoreLabel(font_name=font_name, font_size=font_size, bold=bold).get_cached_extents()  # type: ignore[no-any-return]


class BreaksLines:
    """Mixed into a ``kivy.uix.label.Label`` (or ``Button``): its lines end where Chinese
    text may end (``BreakingCoreLabel``, or ``BreakingMarkupLabel`` with markup).

    Kivy offers no public way to choose a label's core class: ``_create_label`` is where
    ``kivy.uix.label.Label`` makes it (Kivy 2.3.1, pinned), and this makes ours instead."""

    markup: bool
    _label: object

    def _create_label(self) -> None:
        wanted = BreakingMarkupLabel if getattr(self, "markup", False) else BreakingCoreLabel
        if type(self._label) is wanted:
            return
        options = {name: getattr(self, name) for name in self._font_properties}  # type: ignore[attr-defined]
        options["usersize"] = self.text_size  # type: ignore[attr-defined]
        if self.disabled:  # type: ignore[attr-defined]
            options["color"] = self.disabled_color  # type: ignore[attr-defined]
            options["outline_color"] = self.disabled_outline_color  # type: ignore[attr-defined]
        self._label = wanted(**options)
