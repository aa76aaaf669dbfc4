"""The pinyin keyboard in a real Kivy window, offscreen, typed with real touches.

A name (names mode, a rare character found by paging, a minority name with ``·``) and an
address (longest match first, digits from the ``123`` layer), in portrait in this process
and in landscape in a child process (one Kivy app per process); in both, every key is large
enough and on screen in standard and elder mode (``tests/ui/pinyin_keyboard_app.py``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config.settings import KioskConfig
from tests.ui.pinyin_keyboard_app import run

pytestmark = [pytest.mark.ui, pytest.mark.timeout(200)]
SHOTS = {"empty", "name", "digits", "candidates"}


def test_a_name_and_an_address_are_typed_by_touch_in_portrait(shipped_config: KioskConfig, tmp_path: Path) -> None:
    run(shipped_config, "portrait", tmp_path)
    drawn = {p.name for p in tmp_path.glob("*.png")}
    assert drawn == {f"pinyin-{s}-portrait-{m}.png" for s in SHOTS for m in ("standard", "elder")}


def test_the_same_in_landscape(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.pinyin_keyboard_app", "--orientation", "landscape", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=180, cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(list(tmp_path.glob("pinyin-*-landscape-*.png"))) == 2 * len(SHOTS)


def test_the_keys_shrink_to_the_room_they_are_given_and_no_further() -> None:
    from screens.pinyin_keyboard import KEY_TALL, SMALLEST_KEY, key_scale

    elder_button, elder_title = 156, 57
    assert key_scale(0, elder_button, elder_title, 4) == 1.0  # no room given: as tall as they like
    assert key_scale(2000, elder_button, elder_title, 4) == 1.0  # more than enough
    tight = key_scale(700, elder_button, elder_title, 4)  # elder landscape's answer column
    assert 0.7 < tight < 1.0
    assert key_scale(100, elder_button, elder_title, 4) * KEY_TALL == pytest.approx(SMALLEST_KEY)
    assert SMALLEST_KEY * elder_button >= 60 and SMALLEST_KEY * 120 >= 44  # the audit's touch targets
