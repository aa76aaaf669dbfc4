"""The window's one layout: header, the screen manager, help line, countdown, footer, dev panel."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from kivy.app import App
from kivy.clock import Clock
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import ScreenManager

from kiosk.messages import MessageId, message
from kiosk.session.availability import Availability
from kiosk.session.session import Session, Step
from kiosk.terminal import Terminal
from screens.base import KioskScreen
from screens.chrome import CountdownBar, DeveloperPanel, Footer, Header
from screens.navigator import Navigator
from screens.registry import build_screen
from screens.widgets import MessageBox

PUMP_INTERVAL = 0.03  # seconds between hand-overs from device threads to the UI


class KioskRoot(BoxLayout):
    """Builds the frame around the screens and keeps it in step with the terminal."""

    def __init__(self, terminal: Terminal, theme: object, developer_panel: bool) -> None:
        super().__init__(orientation="vertical")
        self.terminal = terminal
        self.theme = theme
        site = terminal.config.site
        self.header = Header(title=site.branding.title, site_name=site.name, elder_action=self._toggle_elder)
        self.manager = ScreenManager()
        self.navigator = Navigator(self.manager, self._build_screen)
        self.help = MessageBox(kind="notice", test_name="help-text")
        self.help_open = False
        self.countdown = CountdownBar(continue_action=terminal.session.touched)
        self.footer = Footer(
            back_action=terminal.session.back, home_action=terminal.session.home, help_action=self._toggle_help
        )
        for widget in (self.header, self.manager, self.help, self.countdown, self.footer):
            self.add_widget(widget)
        self.developer_panel = DeveloperPanel() if developer_panel else None
        if self.developer_panel is not None:
            self.add_widget(self.developer_panel)
        terminal.session.subscribe(self._session_changed)
        terminal.subscribe_status(self._status_changed)
        self._update_clock()
        Clock.schedule_interval(self._pump, PUMP_INTERVAL)
        Clock.schedule_interval(self._every_second, 1.0)
        self._show()

    def _build_screen(self, name: str) -> KioskScreen:
        screen = build_screen(name)
        screen.terminal = self.terminal
        return screen

    def on_touch_down(self, touch: object) -> bool:
        """Every tap anywhere counts as activity (and extends a running countdown)."""
        self.terminal.session.touched()
        return bool(super().on_touch_down(touch))

    def _pump(self, _dt: float) -> None:
        self.terminal.pump()

    def _every_second(self, _dt: float) -> None:
        self.terminal.tick()
        self._update_clock()

    def _session_changed(self, session: Session) -> None:
        self._show()

    def _status_changed(self, availability: Availability) -> None:
        panel = self.developer_panel
        if panel is not None and not panel.children and self.terminal.started:
            from kiosk.devices.developer import DeveloperControls  # only with the panel, after start

            controls = DeveloperControls(self.terminal)  # the devices exist from now on
            panel.build([(c.label, partial(controls.run, c.action)) for c in controls.controls()])
        self._show()

    def _show(self) -> None:
        session = self.terminal.session
        App.get_running_app().language = session.language  # kv rules say their words in it
        self.navigator.go(self.terminal.screen_name)
        screen = self.navigator.current
        self.footer.show_back = bool(screen.show_back)
        self.footer.show_home = bool(screen.show_home)
        self.header.elder_mode = session.elder_mode
        self.theme.set_elder_mode(session.elder_mode)  # type: ignore[attr-defined]
        seconds = session.countdown()
        self.countdown.seconds = -1 if seconds is None else seconds
        if session.step is Step.ATTRACT:
            self.help_open = False
        self._show_help()

    def _toggle_elder(self) -> None:
        self.terminal.session.toggle_elder_mode()

    def _toggle_help(self) -> None:
        self.help_open = not self.help_open
        self._show_help()

    def _show_help(self) -> None:
        session = self.terminal.session
        phone = self.terminal.config.site.contact_phone
        self.help.heading = session.say(MessageId.UI_HELP_HEADING)
        self.help.text = session.say(message(MessageId.UI_HELP_TEXT, phone=phone)) if self.help_open else ""

    def _update_clock(self) -> None:
        self.header.clock_text = datetime.now().strftime("%Y-%m-%d  %H:%M")
