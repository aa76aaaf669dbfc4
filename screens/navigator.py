"""The one way screens change: ``Navigator.go(name)`` on the app's single ScreenManager."""

from __future__ import annotations

from kivy.uix.screenmanager import NoTransition, ScreenManager

from screens.base import KioskScreen


class Navigator:
    def __init__(self, manager: ScreenManager) -> None:
        self.manager = manager
        manager.transition = NoTransition()  # nothing moves unless it means something

    @property
    def current(self) -> KioskScreen:
        return self.manager.current_screen  # type: ignore[no-any-return]

    def go(self, name: str) -> None:
        if self.manager.current != name:
            self.manager.current = name
        else:
            self.current.refresh()
