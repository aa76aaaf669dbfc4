"""Child processes for the UI benchmarks (one Kivy app per process).

``python -m bench.ui_child start bare|kiosk``: print ``FRAME`` when the first frame is on
screen, then exit. ``python -m bench.ui_child taps bare|kiosk N``: tap N times between two
screens and print the tap-to-first-frame latencies (seconds) as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def bare_app(on_ready):  # type: ignore[no-untyped-def]
    """A bare Kivy app the same size, with the same font: two screens, one button each."""
    from kivy.config import Config

    Config.set("graphics", "width", "1080")
    Config.set("graphics", "height", "1920")
    from kivy.app import App
    from kivy.core.text import DEFAULT_FONT, LabelBase
    from kivy.uix.button import Button
    from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

    LabelBase.register(DEFAULT_FONT, FONT)

    class Bare(App):
        def build(self):  # type: ignore[no-untyped-def]
            manager = ScreenManager(transition=NoTransition())
            for name, other in (("a", "b"), ("b", "a")):
                screen = Screen(name=name)
                button = Button(text=f"前往 {other}", font_size=40)
                button.bind(on_release=lambda _b, o=other: setattr(manager, "current", o))
                screen.add_widget(button)
                manager.add_widget(screen)
            return manager

        def on_start(self) -> None:
            on_ready(self, lambda: self.root.current_screen.children[0])

    return Bare()


def kiosk_app(on_ready):  # type: ignore[no-untyped-def]
    """The real kiosk on its default configuration, data in a temporary folder."""
    import dataclasses

    from kiosk.app import kiosk_app as make_kiosk_app
    from kiosk.cli.embedded_centre import centre_connector
    from kiosk.config.settings import load_config

    config = load_config()
    data = Path(tempfile.mkdtemp(prefix="bench-kiosk-"))
    config = dataclasses.replace(
        config,
        data_dir=data,
        outbox_key_file=data / "outbox.key",
        ui=dataclasses.replace(config.ui, developer_panel=False),
    )
    app, _terminal, _failures = make_kiosk_app(config, centre_connector(config))

    def visible_button():  # type: ignore[no-untyped-def]
        root = app.root
        name = root.manager.current
        wanted = "start" if name == "attract" else "home"
        for widget in root.walk():
            if getattr(widget, "test_name", None) == wanted:
                return widget
        raise RuntimeError(f"no {wanted} button on {name}")

    app.on_start = lambda: on_ready(app, visible_button)
    return app


def start(kind: str) -> None:
    from kivy.core.window import Window

    def ready(app, _button):  # type: ignore[no-untyped-def]
        from kivy.graphics.opengl import glFinish

        def flipped(*_args: object) -> None:
            glFinish()
            print("FRAME", flush=True)
            os._exit(0)

        Window.bind(on_flip=flipped)

    (bare_app if kind == "bare" else kiosk_app)(ready).run()


def taps(kind: str, count: int) -> None:
    from kivy.clock import Clock
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch

    latencies: list[float] = []
    state: dict[str, float] = {}

    def ready(app, button_of):  # type: ignore[no-untyped-def]
        from kivy.graphics.opengl import glFinish

        def flipped(*_args: object) -> None:
            glFinish()  # the frame is on screen only when the (software) renderer is done
            if "tapped" in state:
                latencies.append(time.perf_counter() - state.pop("tapped"))
                if len(latencies) == count:
                    print(json.dumps(latencies), flush=True)
                    os._exit(0)
                Clock.schedule_once(tap, 0.05)

        def tap(_dt: float) -> None:
            button = button_of()
            x, y = button.to_window(*button.center)
            touch = UnitTestTouch(x, y)
            state["tapped"] = time.perf_counter()
            touch.touch_down()
            touch.touch_up()

        Window.bind(on_flip=flipped)
        Clock.schedule_once(tap, 0.5)

    (bare_app if kind == "bare" else kiosk_app)(ready).run()


if __name__ == "__main__":
    if sys.argv[1] == "start":
        start(sys.argv[2])
    else:
        taps(sys.argv[2], int(sys.argv[3]))
