"""The layout audit's checks: a drawn screen's widget tree (and its pixels) against the rules a
resident needs (``docs/experience.md``). Kivy has no accessibility API, so the tree is walked
directly, in the manner of Flutter's guideline checks.

Each check returns ``Finding``s; an empty list is a screen that passes. The checks:

- ``outside``: a visible widget reaches past its layout parent or the window (content pushed
  under the header, a keypad half off the screen);
- ``clipped``: a label's text is larger than the label (cut at its edge);
- ``overlap``: two texts or touch targets drawn over each other;
- ``small-text``: text below the mode's minimum (18 pt normally, 1.3× that in elder mode);
- ``small-target``: a touch target below 44 dp (60 dp in elder mode);
- ``contrast``: a text's colour against the pixels behind it below 4.5:1;
- ``no-label``: a touch target with no words a voice could read out;
- ``scrolls``: content longer than its scroller (residents do not swipe).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.layout import Layout
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from screens.chrome import Header

PX_PER_PT = 4 / 2.835  # the panel's 4 px/mm (screens/theme.py) over 2.835 pt/mm
MIN_TEXT_PT = 18
MIN_TARGET = 44  # dp; density 1 on the kiosk panel, so px
ELDER_MIN_TARGET = 60
MIN_CONTRAST = 4.5
SLACK = 2.0  # px of rounding allowed at an edge
SHORT_WORD = 6  # characters: a label this short with no space is one word, never to be split


@dataclass(frozen=True)
class Finding:
    check: str
    widget: str
    detail: str

    def __str__(self) -> str:
        return f"{self.check}: {self.widget}: {self.detail}"


@dataclass(frozen=True)
class Box:
    """A rectangle in window coordinates (origin bottom left)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def inside(self, other: Box, slack: float = SLACK) -> bool:
        return (self.x >= other.x - slack and self.y >= other.y - slack
                and self.right <= other.right + slack and self.top <= other.top + slack)

    def overlap(self, other: Box) -> float:
        w = min(self.right, other.right) - max(self.x, other.x)
        h = min(self.top, other.top) - max(self.y, other.y)
        return w * h if w > SLACK and h > SLACK else 0.0


def window_box(widget: Widget) -> Box:
    x, y = widget.to_window(widget.x, widget.y)
    return Box(float(x), float(y), float(widget.width), float(widget.height))


def describe(widget: Widget) -> str:
    """A widget as a reader finds it: its test name or its words, and its class."""
    name = getattr(widget, "test_name", "") or ""
    words = str(getattr(widget, "text", "") or getattr(widget, "title", "") or "").replace("\n", " ")
    label = name or (words[:16] + ("…" if len(words) > 16 else ""))
    return f"{type(widget).__name__}({label})" if label else type(widget).__name__


def shown(root: Widget, clip: Box | None = None) -> Iterator[Widget]:
    """Every widget a person can see under ``root``: drawn (opacity > 0), with some size, and
    not scrolled out of a scroller's view (what lies beyond is the ``scrolls`` check's)."""
    if root.opacity <= 0 or root.width <= 0 or root.height <= 0:
        return
    if clip is not None and window_box(root).overlap(clip) <= 0:
        return
    yield root
    if isinstance(root, ScrollView):
        clip = window_box(root)
    for child in root.children:  # the topmost first
        yield from shown(child, clip)
        if getattr(child, "covers", False):
            break  # an open dialog's backdrop hides its parent's other children, drawn under it


def _ancestor(widget: Widget, kind: type[Widget]) -> Widget | None:
    """The nearest parent of ``widget`` that is a ``kind`` (the window is its own parent)."""
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        if isinstance(parent, kind):
            return parent
        parent = parent.parent
    return None


def _scroller(widget: Widget) -> Widget | None:
    """The scroller whose content ``widget`` lies in (it is drawn clipped to that view), if any."""
    return _ancestor(widget, ScrollView)


def _scrolled(widget: Widget) -> bool:
    return _scroller(widget) is not None


def visible_box(widget: Widget, box: Box) -> Box:
    """``box`` cut to the view of the scroller ``widget`` lies in (what is drawn of it)."""
    scroller = _scroller(widget)
    if scroller is None:
        return box
    view = window_box(scroller)
    x, y = max(box.x, view.x), max(box.y, view.y)
    return Box(x, y, max(0.0, min(box.right, view.right) - x), max(0.0, min(box.top, view.top) - y))


def _in_header(widget: Widget) -> bool:
    return _ancestor(widget, Header) is not None


def words_of(widget: Widget) -> str:
    """What a reader (or a voice) would say for ``widget``: its text, else its title."""
    return str(getattr(widget, "text", "") or getattr(widget, "title", "") or "").strip()


def drawn_text(widget: Widget) -> str:
    """The words a label draws itself (a tile's title is drawn by its own child labels)."""
    return str(getattr(widget, "text", "") or "").strip() if isinstance(widget, Label) else ""


def is_target(widget: Widget) -> bool:
    return isinstance(widget, ButtonBehavior) and not widget.disabled


def outside(root: Widget) -> list[Finding]:
    """A widget past its layout parent's box, or past the window."""
    screen = window_box(root)
    found = []
    for widget in shown(root):
        box = window_box(widget)
        parent = widget.parent
        if not box.inside(screen) and not _scrolled(widget):
            found.append(Finding("outside", describe(widget), f"{box} is past the window {screen}"))
        elif (isinstance(parent, Layout) and not _scrolled(widget)
              and not box.inside(window_box(parent))):
            found.append(Finding("outside", describe(widget), f"{box} is past its parent {describe(parent)}"))
    return found


def clipped(root: Widget) -> list[Finding]:
    found = []
    for widget in shown(root):
        if drawn_text(widget):
            tw, th = widget.texture_size
            if tw > widget.width + SLACK or th > widget.height + SLACK:
                found.append(Finding("clipped", describe(widget),
                                     f"text {tw:.0f}×{th:.0f} in {widget.width:.0f}×{widget.height:.0f}"))
    return found


def _drawn_lines(label: Label) -> list[str]:
    """The lines Kivy laid the label's text out in (its core label's, as drawn)."""
    lines = getattr(getattr(label, "_label", None), "_cached_lines", None) or []
    return [text for text in ("".join(word.text for word in line.words).strip() for line in lines) if text]


def broken_words(root: Widget) -> list[Finding]:
    """A word split over two lines: a short label with no space (返回上一步, 非常满意) wrapped at
    all, or a Latin word cut between its letters ("Appoint / ment")."""
    found = []
    for widget in shown(root):
        text = drawn_text(widget)
        lines = _drawn_lines(widget) if text else []
        if len(lines) < 2:
            continue
        if len(text) <= SHORT_WORD and not any(c.isspace() for c in text):
            found.append(Finding("broken-word", describe(widget), f"{text!r} drawn on {len(lines)} lines"))
            continue
        for before, after in zip(lines, lines[1:], strict=False):
            joined = before.split()[-1] + after.split()[0]  # Kivy drops the space it wraps at
            if before[-1].isascii() and before[-1].isalpha() and after[0].isascii() and after[0].isalpha() \
                    and joined in text:
                found.append(Finding("broken-word", describe(widget), f"{joined!r} cut at a line's end"))
    return found


def _text_box(label: Label) -> Box:
    """Where a label's text is drawn: its texture, centred on the label as Kivy draws it."""
    box = window_box(label)
    tw, th = label.texture_size
    return Box(box.x + (box.w - tw) / 2, box.y + (box.h - th) / 2, float(tw), float(th))


def overlap(root: Widget) -> list[Finding]:
    """Two texts, or a text and a touch target not its own, drawn over each other."""
    parts: list[tuple[Widget, Box, set[int]]] = []
    for widget in shown(root):
        if is_target(widget):
            parts.append((widget, visible_box(widget, window_box(widget)), _lineage(widget, root)))
        elif drawn_text(widget):
            parts.append((widget, visible_box(widget, _text_box(widget)), _lineage(widget, root)))
    found = []
    for i, (a, box_a, line_a) in enumerate(parts):
        for b, box_b, line_b in parts[i + 1:]:
            if id(a) in line_b or id(b) in line_a or box_a.overlap(box_b) <= 0:
                continue
            found.append(Finding("overlap", describe(a), f"drawn over {describe(b)}"))
    return found


def _lineage(widget: Widget, root: Widget) -> set[int]:
    """The ids of ``widget`` and its parents up to ``root`` (the window is its own parent)."""
    seen = {id(widget)}
    while widget is not root and widget.parent is not None and widget.parent is not widget:
        widget = widget.parent
        seen.add(id(widget))
    return seen


def small_text(root: Widget, scale: float) -> list[Finding]:
    """Text below 18 pt; in elder mode, content text below 18 pt times the mode's scale (the
    header keeps its size: it is the same chrome in both modes)."""
    found = []
    for w in shown(root):
        if not drawn_text(w):
            continue
        minimum = MIN_TEXT_PT * PX_PER_PT * (1.0 if _in_header(w) else scale)
        if float(w.font_size) < minimum - 0.5:
            found.append(Finding("small-text", describe(w), f"{w.font_size:.0f} px < {minimum:.0f} px"))
    return found


def small_target(root: Widget, elder: bool) -> list[Finding]:
    minimum = ELDER_MIN_TARGET if elder else MIN_TARGET
    return [
        Finding("small-target", describe(w), f"{w.width:.0f}×{w.height:.0f} < {minimum}")
        for w in shown(root)
        if is_target(w) and min(w.width, w.height) < minimum
    ]


def no_label(root: Widget) -> list[Finding]:
    return [
        Finding("no-label", describe(w), "a touch target with no words to read out")
        for w in shown(root)
        if is_target(w) and not (words_of(w) or getattr(w, "voice", ""))
    ]


def scrolls(root: Widget) -> list[Finding]:
    found = []
    for widget in shown(root):
        if isinstance(widget, ScrollView) and widget.children:
            content = widget.children[0]
            if content.height > widget.height + SLACK or content.width > widget.width + SLACK:
                found.append(Finding("scrolls", describe(widget),
                                     f"content {content.width:.0f}×{content.height:.0f} in "
                                     f"{widget.width:.0f}×{widget.height:.0f}"))
    return found


def _luminance(rgb: np.ndarray) -> float:
    c = rgb / 255.0
    linear = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2])


def contrast_ratio(a: np.ndarray, b: np.ndarray) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def commonest_colour(patch: np.ndarray) -> np.ndarray:
    """The colour most pixels of ``patch`` have (to 4 levels per channel): what a text is drawn on."""
    levels = (patch.reshape(-1, 3) // 4).astype(np.int32)
    packed = (levels[:, 0] << 12) | (levels[:, 1] << 6) | levels[:, 2]
    top = int(np.argmax(np.bincount(packed, minlength=1 << 18)))
    return np.array([(top >> 12) & 63, (top >> 6) & 63, top & 63], dtype=float) * 4


def contrast(root: Widget, pixels: np.ndarray) -> list[Finding]:
    """Each text's declared colour against the commonest colour drawn behind it.

    ``pixels`` is the screen as drawn (rows from the top, RGB or RGBA, same size as ``root``)."""
    height = pixels.shape[0]
    found = []
    for widget in shown(root):
        if not drawn_text(widget) or widget.disabled:
            continue  # a control that cannot be used now is exempt (WCAG 1.4.3)
        box = _text_box(widget)
        top, bottom = int(max(0, height - box.top)), int(min(height, height - box.y))
        left, right = int(max(0, box.x)), int(min(pixels.shape[1], box.right))
        if bottom - top < 2 or right - left < 2:
            continue
        behind = commonest_colour(pixels[top:bottom, left:right, :3])
        colour = widget.color
        alpha = float(colour[3])
        text = np.array(colour[:3], dtype=float) * 255 * alpha + behind * (1 - alpha)
        ratio = contrast_ratio(text, behind)
        if ratio < MIN_CONTRAST:
            found.append(Finding("contrast", describe(widget), f"{ratio:.1f}:1 against {behind.astype(int).tolist()}"))
    return found


def audit(root: Widget, pixels: np.ndarray, elder: bool, scale: float) -> list[Finding]:
    """Every check on one drawn screen."""
    return [
        *outside(root), *clipped(root), *overlap(root), *small_text(root, scale),
        *small_target(root, elder), *contrast(root, pixels), *no_label(root), *scrolls(root),
        *broken_words(root),
    ]


CHECKS = ("outside", "clipped", "overlap", "small-text", "small-target", "contrast", "no-label", "scrolls",
          "broken-word")
__all__ = ["CHECKS", "Finding", "audit", "contrast_ratio"]
