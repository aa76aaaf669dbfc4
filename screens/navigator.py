"""The one way screens change: ``Navigator.go(name)`` on the app's single ScreenManager."""

from __future__ import annotations

from collections.abc import Callable

from kivy.uix.screenmanager import NoTransition, ScreenManager

from screens.base import KioskScreen


class UnclippedScreenManager(ScreenManager):
    """A ScreenManager without Kivy's clip (its rule in ``chrome.kv`` drops the inherited one).

    Kivy clips a ScreenManager's screens with a stencil: two quads its size on every frame,
    ~25 ms a frame on a software renderer. Here screens change without a transition; one
    taller than its box runs under the header and footer, which are drawn after it
    (``KioskRoot``).
    """


class Navigator:
    """Shows screens by name, building each the first time it is needed (a fast cold start)."""

    def __init__(self, manager: ScreenManager, build: Callable[[str], KioskScreen]) -> None:
        self.manager = manager
        self.build = build
        manager.transition = NoTransition()  # nothing moves unless it means something

    @property
    def current(self) -> KioskScreen:
        return self.manager.current_screen  # type: ignore[no-any-return]

    def ready(self, name: str) -> KioskScreen:
        """The screen called ``name``, built and sized like the one showing, without showing it
        (to draw ahead: ``ChooseScreen.prepare``)."""
        if not self.manager.has_screen(name):
            self.manager.add_widget(self.build(name))
        screen: KioskScreen = self.manager.get_screen(name)
        screen.size = self.manager.size
        return screen

    def go(self, name: str) -> None:
        if not self.manager.has_screen(name):
            self.manager.add_widget(self.build(name))
        if self.manager.current != name:
            self.manager.current = name
        else:
            self.current.refresh()
