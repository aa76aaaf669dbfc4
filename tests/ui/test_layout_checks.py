"""The layout audit's word check (``tests.ui.layout_checks.broken_words``) on real Kivy labels."""

from __future__ import annotations

import pytest

from kiosk.app import prepare_kivy
from kiosk.config.settings import load_config
from tests.ui.layout_checks import broken_words

pytestmark = [pytest.mark.ui]


def labels(*texts_and_widths: tuple[str, float]):  # type: ignore[no-untyped-def]
    """A row of labels, each wrapped at its width and laid out as Kivy draws it."""
    prepare_kivy(load_config(), "portrait")
    from kivy.core.window import Window  # noqa: F401 - the GL context a label's text is drawn in
    from kivy.uix.label import Label
    from kivy.uix.widget import Widget

    root = Widget(size=(1000, 600))
    x = 0.0
    for text, width in texts_and_widths:
        label = Label(text=text, font_size=40, size_hint=(None, None), size=(width, 300), pos=(x, 0),
                      text_size=(width, None))
        label.texture_update()
        root.add_widget(label)
        x += width
    return root


def test_a_short_word_or_a_latin_word_split_over_lines_is_found() -> None:
    root = labels(("非常满意", 100), ("Dissatisfied", 150), ("Very dissatisfied", 280), ("非常满意", 300),
                  ("您的评价将随受理编号一起送达", 300))
    found = sorted(f"{f.widget}: {f.detail}" for f in broken_words(root))
    assert len(found) == 2  # not the wrapped sentence, nor the words wrapped at their space
    assert found[0].startswith("Label(Dissatisfied): 'Dis") and found[0].endswith("' cut at a line's end")
    assert found[1] == "Label(非常满意): '非常满意' drawn on 2 lines"
