"""The soak's Kivy window (``python -m bench.soak --window``): the real app shows every screen
each session passes, and the widgets are counted.

The soak drives the terminal from the main thread; in a window it must also give Kivy its
loop, so ``soak_flows`` waits by ``SoakWindow.idle`` (one pass of Kivy's loop, its clock
included: the root's pump and every-second tick run as on a kiosk) instead of sleeping. The
window is offscreen (``SDL_VIDEODRIVER=offscreen``) at the site's orientation, with no frame
rate cap. Its frames are not rasterised unless ``draw``: widgets, layouts and their textures
are made as on a kiosk, but Mesa's software renderer would spend 50-100 ms of CPU on each
1080x1920 frame, slowing the soak several times over.
"""

from __future__ import annotations

import gc
import os

from kiosk.config.settings import KioskConfig
from kiosk.terminal import Terminal


class SoakWindow:
    """The kiosk app around ``terminal``, stepped one frame at a time by the soak."""

    def __init__(self, config: KioskConfig, terminal: Terminal, *, draw: bool = False) -> None:
        os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
        from kiosk.app import build_app, prepare_kivy

        prepare_kivy(config, config.ui.orientation)
        from kivy.config import Config

        Config.set("graphics", "maxfps", "0")  # no frame cap: a frame costs its drawing only
        from kivy.base import EventLoop, runTouchApp
        from kivy.clock import Clock

        Clock._max_fps = 0.0  # the clock read the cap when it was made (13 % of a soak's time went asleep)

        self._loop = EventLoop
        self.app = build_app(config, terminal, developer_panel=False)
        self.app._run_prepare()  # builds the root and opens the window, as App.run does
        runTouchApp(embedded=True)  # the loop started, not run: ``idle`` steps it
        if not draw:
            from tests.ui.ui_support import skip_window_frames

            skip_window_frames()

    def idle(self) -> None:
        """One frame: input, the clock's callbacks, drawing."""
        self._loop.idle()

    def frames(self, count: int) -> None:
        for _ in range(count):
            self._loop.idle()

    def widgets(self) -> tuple[int, int]:
        """(widgets in the window's tree, live widget objects after a full collection)."""
        from kivy.core.window import Window
        from kivy.uix.widget import Widget

        in_tree = sum(1 for child in Window.children for _ in child.walk(restrict=True))
        gc.collect()
        alive = sum(1 for o in gc.get_objects() if issubclass(type(o), Widget))  # not through weak proxies
        return in_tree, alive

    def clock_events(self) -> int:
        """Callbacks scheduled on Kivy's clock (a leak of intervals grows this)."""
        from kivy.clock import Clock

        return len(Clock.get_events())

    def close(self) -> None:
        self.app.stop()
        self._loop.idle()
