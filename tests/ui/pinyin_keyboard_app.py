"""A minimal app showing only the pinyin keyboard, and a script that types with real touches.

Kivy allows one app per process: ``tests/ui/test_pinyin_keyboard.py`` runs the portrait
script in its own process and the landscape one as ``python -m tests.ui.pinyin_keyboard_app
--orientation landscape --out DIR``. The script types a name (names mode, a rare character
found by paging, a minority name with ``·``) and an address (committed piece by piece, digits
from the ``123`` layer), checks that every key fits on screen and is large enough in both
modes, and saves a PNG of the keyboard in standard and elder mode.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config.settings import KioskConfig

if TYPE_CHECKING:
    from tests.ui.ui_support import Script

NAME = "王堃"
MINORITY_NAME = "阿依·买买提"
ADDRESS = "南京市江北新区浦珠北路88号3栋2单元"
MIN_TARGET = 44  # dp, density 1 offscreen (docs/experience.md)
ELDER_MIN_TARGET = 60

ROOT_KV = """
BoxLayout:
    orientation: "vertical"
    canvas.before:
        Color:
            rgba: app.theme.background
        Rectangle:
            pos: self.pos
            size: self.size
    Widget:
    KLabel:
        test_name: "typed-value"
        text: keyboard.value
        role: "title"
        padding: 24, 12
    PinyinKeyboard:
        id: keyboard
        test_name: "keyboard"
"""


def build_keyboard_app(config: KioskConfig) -> Any:
    """The app: a label showing what is typed above a ``PinyinKeyboard``."""
    from kivy.app import App
    from kivy.lang import Builder
    from kivy.properties import StringProperty

    from kiosk.messages import DEFAULT_LANGUAGE, Message, MessageId, message, say
    from screens.glyphs import GlyphFallback
    from screens.registry import COMMON_KV, load_kv
    from screens.theme import Theme

    class KeyboardApp(App):
        language = StringProperty(DEFAULT_LANGUAGE)

        def say(self, msg: MessageId | Message, language: str | None = None, **params: Any) -> str:
            # Rules of screens another test loaded may run under this app too: take their params.
            return say(message(msg, **params) if isinstance(msg, MessageId) else msg, language or self.language)

        def build(self) -> Any:
            self.theme = Theme()
            self.theme.clear_window_to_background()
            self.glyphs = GlyphFallback(config.ui.font, config.ui.fallback_fonts)
            for name in COMMON_KV:
                load_kv(name)
            return Builder.load_string(ROOT_KV)

    return KeyboardApp()


def keyboard_script(app: Any, orientation: str, out: Path | None) -> Callable[[], Script]:
    from kivy.core.window import Window

    from tests.ui.ui_support import find, small_touch_targets, tap, until

    def visible_candidates(keyboard: Any) -> list[str]:
        return [b.candidate for b in sorted(keyboard.ids.bar.children, key=lambda b: b.index)]

    def type_letters(letters: str) -> Iterator[float]:
        for letter in letters:
            tap(find(app.root, f"key-{letter}"))
        yield 0.05

    def choose(keyboard: Any, wanted: str, pages: int = 0) -> Iterator[float]:
        """Page forward until ``wanted`` shows (at most ``pages`` times), then tap it."""
        for _ in range(pages + 1):
            yield from until(lambda: laid_out(keyboard), timeout=20)
            shown = visible_candidates(keyboard)
            if wanted in shown:
                tap(find(app.root, f"candidate-{shown.index(wanted)}"))
                yield 0.05
                return
            tap(find(app.root, "candidates-next"))
            yield 0.05
        raise AssertionError(f"{wanted!r} not among the candidates after {pages} pages")

    def laid_out(keyboard: Any) -> bool:
        """The bar's candidates are in place (a slow machine takes a few frames after a change)."""
        bar = keyboard.ids.bar
        return all(b.x >= bar.x - 1 and b.y >= bar.y - 1 for b in bar.children)

    def on_screen(root: Any) -> list[str]:
        """Buttons that reach past the window's edge."""
        from kivy.uix.behaviors import ButtonBehavior

        outside = []
        for widget in root.walk():
            if isinstance(widget, ButtonBehavior) and widget.opacity > 0 and widget.height > 0:
                x, y = widget.to_window(widget.x, widget.y)
                if x < 0 or y < 0 or x + widget.width > Window.width + 1 or y + widget.height > Window.height + 1:
                    outside.append(str(widget.text))
        return outside

    def script() -> Script:
        root = app.root
        keyboard = root.ids.keyboard
        yield from until(lambda: keyboard.ids.key_rows.children != [])
        yield from shots(keyboard, "empty")

        # A name: surname first, then a rare given-name character found by paging.
        keyboard.names = True
        yield from type_letters("wangk")
        assert find(root, "pinyin-letters").text == "wang'k"
        yield from type_letters("un")
        yield from choose(keyboard, "王")
        assert keyboard.value == "王" and keyboard.letters == "kun"
        yield from choose(keyboard, "堃", pages=3)
        assert keyboard.value == NAME and keyboard.letters == ""
        assert find(root, "typed-value").text == NAME
        tap(find(root, "key-back"))
        yield 0.05
        assert keyboard.value == "王", "backspace with no letters pending takes a character back"
        tap(find(root, "key-clear"))
        yield 0.05

        # A minority name with the middle dot.
        keyboard.allow_middle_dot = True
        yield 0.1
        yield from type_letters("a")
        yield from choose(keyboard, "阿")
        yield from type_letters("yi")
        yield from choose(keyboard, "依", pages=2)
        tap(find(root, "key-dot"))
        yield from type_letters("maimaiti")
        yield from choose(keyboard, "买买提")
        assert keyboard.value == MINORITY_NAME
        yield from shots(keyboard, "name")
        tap(find(root, "key-clear"))
        keyboard.names = False
        keyboard.allow_middle_dot = False
        yield 0.1

        # An address: the longest match first, committed piece by piece; digits from 123.
        yield from type_letters("nanjingshijiangbeixinqupuzhubeilu")
        assert keyboard.segmented.startswith("nan'jing'shi'jiang'bei")
        yield from choose(keyboard, "南京市江北新区浦珠北路")
        assert keyboard.letters == ""
        tap(find(root, "key-layer"))
        yield 0.1
        for key in ("8", "8", "sym0", "3", "sym1", "2", "sym2"):
            tap(find(root, f"key-{key}"))
        yield 0.05
        assert keyboard.value == ADDRESS, keyboard.value
        yield from shots(keyboard, "digits")
        tap(find(root, "key-layer"))
        yield 0.1

        # Typing more than the bar shows: part of the letters is committed, the rest kept.
        tap(find(root, "key-clear"))
        yield from type_letters("zhangw")
        assert keyboard.segmented == "zhang'w"
        yield from choose(keyboard, "张", pages=3)
        assert keyboard.value == "张" and keyboard.letters == "w"
        tap(find(root, "key-back"))
        yield 0.05
        assert keyboard.letters == "" and keyboard.value == "张"
        yield from type_letters("xian")
        assert len(visible_candidates(keyboard)) >= 4
        yield from shots(keyboard, "candidates")
        yield 0.05

    def shots(keyboard: Any, label: str) -> Iterator[float]:
        """Check sizes and edges in both modes; save a PNG of each when ``out`` is given."""
        for elder, minimum in ((False, MIN_TARGET), (True, ELDER_MIN_TARGET)):
            app.theme.set_elder_mode(elder)
            yield 0.3
            yield from until(lambda: laid_out(keyboard), timeout=20)
            if keyboard.letters:
                assert visible_candidates(keyboard), f"{label} elder={elder}: the bar is empty"
            assert small_touch_targets(keyboard, minimum) == [], f"{label} elder={elder}"
            assert on_screen(app.root) == [], f"{label} elder={elder}: keys past the screen edge"
            if out is not None:
                from screens.screenshot import save_screen

                mode = "elder" if elder else "standard"
                save_screen(app.root, str(out / f"pinyin-{label}-{orientation}-{mode}.png"))
        app.theme.set_elder_mode(False)
        yield 0.2

    return script


def run(config: KioskConfig, orientation: str, out: Path | None) -> None:
    from kiosk.app import prepare_kivy
    from tests.ui.ui_support import run_with_script

    prepare_kivy(config, orientation)
    app = build_keyboard_app(config)
    run_with_script(app, keyboard_script(app, orientation, out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orientation", choices=("portrait", "landscape"), default="portrait")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    for name, value in (("SDL_VIDEODRIVER", "offscreen"), ("KIVY_NO_ARGS", "1"), ("KIVY_NO_CONSOLELOG", "1")):
        os.environ.setdefault(name, value)
    from kiosk.config.settings import load_config

    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    run(load_config(), args.orientation, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
