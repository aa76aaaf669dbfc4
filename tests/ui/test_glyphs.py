"""Rare characters get a fallback font on screen; everything else stays plain, escaped text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.config.settings import KioskConfig, Ui
from screens.glyphs import GlyphFallback, escape_markup


@pytest.fixture
def ui(shipped_config: KioskConfig) -> Ui:
    return shipped_config.ui


@pytest.fixture
def fallback(ui: Ui) -> Callable[[], GlyphFallback]:
    return lambda: GlyphFallback(ui.font, ui.fallback_fonts)


def test_common_text_is_only_escaped(fallback: Callable[[], GlyphFallback]) -> None:
    assert fallback().markup("您好，张*丰 [A&B]") == "您好，张*丰 &bl;A&amp;B&br;"
    assert escape_markup("[b]") == "&bl;b&br;"


def test_extension_a_and_b_characters_get_a_font_that_has_them(
    ui: Ui, fallback: Callable[[], GlyphFallback]
) -> None:
    glyphs = fallback()
    marked = glyphs.markup("䶮*丰 𠀾")
    assert marked.startswith(f"[font={glyphs.font_for('䶮')}]䶮[/font]*丰 ")
    assert glyphs.font_for("䶮") in ui.fallback_fonts and glyphs.font_for("𠀾") in ui.fallback_fonts
    assert glyphs.font_for("张") is None  # the main font draws it


def test_a_character_no_font_has_stays_as_it_is(fallback: Callable[[], GlyphFallback]) -> None:
    assert fallback().markup("\U000F0000") == "\U000F0000"
