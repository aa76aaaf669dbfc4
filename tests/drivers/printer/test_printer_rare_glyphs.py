"""The printer simulator draws rare characters (CJK Extension A/B) with a fallback font."""

from __future__ import annotations

from PIL import ImageChops

from drivers.printer.document import Cut, Document, Text
from drivers.printer.encoder import EscposEncoder
from drivers.printer.profile import PROFILES
from drivers.printer.wire_simulator import WireSimulator
from kiosk.config.settings import load_config

UI = load_config().ui
NO_SUCH_CHARACTER = "\U000F0000"  # a private-use character no font draws: the box


def test_rare_characters_are_drawn_not_boxed() -> None:
    profile = PROFILES["80mm"]
    simulator = WireSimulator(profile, UI.font, fallback_fonts=UI.fallback_fonts)
    simulator.feed(EscposEncoder(profile, UI.font).encode(Document("t", (Text("邓䶮 𠀾"), Cut()))))
    assert simulator.lines == ["邓䶮 𠀾"]
    box = simulator._glyph(NO_SUCH_CHARACTER, 2, False)
    for rare in "䶮𠀾":
        assert ImageChops.difference(simulator._glyph(rare, 2, False), box).getbbox() is not None
    without = WireSimulator(profile, UI.font)  # no fallback: the box, as before
    assert ImageChops.difference(without._glyph("䶮", 2, False), box).getbbox() is None
