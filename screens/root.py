"""The window's one layout: header, the screen manager, help line, countdown, footer, dev panel.

It shows whatever the terminal's mode names (``Terminal.screen_name``), with two refinements
that only the screens know of: the maintenance PIN pad, opened by the hidden corner gesture
on the attract (or out-of-service) screen, and the maintenance section the technician opened
(``MaintenancePanel``). In maintenance the footer's Back returns to the maintenance menu and
Home leaves maintenance; the elder-mode toggle and Help are a resident's and are hidden.
Outside the site's staffed hours Help opens the call-back form (``kiosk.session.callback``)
instead of its line; the form shows over the session's step until closed or the session ends.
"""

from __future__ import annotations

import time
from datetime import datetime
from functools import partial

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.boxlayout import BoxLayout

from kiosk.delivery.callbacks import CallbackSender
from kiosk.delivery.heartbeat import software_version
from kiosk.maintenance.entry import CornerGesture
from kiosk.maintenance.panel import MaintenancePanel
from kiosk.maintenance.pin_pad import PinPad
from kiosk.maintenance.wording import Tech, tech
from kiosk.messages import MessageId, message
from kiosk.modes import Mode
from kiosk.session.availability import Availability
from kiosk.session.callback import CallbackForm, known_phone
from kiosk.session.session import Session, Step
from kiosk.terminal import Terminal
from screens.base import KioskScreen
from screens.callback import CallbackScreen
from screens.chrome import CountdownBar, DeveloperPanel, Footer, Header
from screens.maintenance import MaintenanceScreen
from screens.maintenance_pin import MaintenancePinScreen
from screens.navigator import Navigator, UnclippedScreenManager
from screens.registry import CALLBACK_SCREEN, PIN_SCREEN, build_screen
from screens.screenshot import screen_png
from screens.widgets import MessageBox

# Hand-overs from device threads to the UI: every frame (0), so a card read waits at most one
# frame (1/60 s) before the session sees it; an empty queue costs microseconds.
PUMP_INTERVAL = 0.0
CHOOSE_SCREEN = Step.CHOOSE.value
PREPARE_AFTER_S = 3.0  # at attract this long (start-up done, the last resident gone) before drawing ahead


class KioskRoot(BoxLayout):
    """Builds the frame around the screens and keeps it in step with the terminal."""

    def __init__(self, terminal: Terminal, theme: object, developer_panel: bool) -> None:
        super().__init__(orientation="vertical")
        self.terminal = terminal
        self.theme = theme
        site = terminal.config.site
        self.header = Header(title=site.branding.title, site_name=site.name, elder_action=self._toggle_elder)
        self.manager = UnclippedScreenManager()
        self.navigator = Navigator(self.manager, self._build_screen)
        self.help = MessageBox(kind="notice", test_name="help-text")
        self.help_open = False
        self._quiet_since = time.monotonic()  # at attract since (see _prepare_choose)
        self.countdown = CountdownBar(continue_action=terminal.session.touched)
        self.voice_guide = App.get_running_app().voice_guide  # 语音播报 (screens.voice_guide)
        self.footer = Footer(back_action=self._back, home_action=self._home, help_action=self._toggle_help,
                             repeat_action=self.voice_guide.repeat, volume_action=self._step_volume)
        self.gesture = CornerGesture(*Window.size)
        Window.bind(size=lambda _w, size: self.gesture.resize(*size))
        self.pin_pad = PinPad(terminal.open_maintenance_with_pin, clock=terminal.clock)
        site = terminal.config.site
        self.panel = MaintenancePanel(
            terminal.config.terminal_id,
            site.name,
            software_version(),
            service=lambda: terminal.service_state,
            post=lambda call: Clock.schedule_once(lambda _dt: call(), 0),  # to the UI thread
        )
        self.panel.subscribe(self._show)
        self.callback = CallbackForm(site, CallbackSender(terminal.uploader), terminal.now,
                                     post=lambda call: Clock.schedule_once(lambda _dt: call(), 0))
        self.callback.subscribe(lambda _form: self._show())
        terminal.subscribe_mode(self._mode_changed)
        terminal.screenshot = lambda: screen_png(self)
        for widget in (self.header, self.manager, self.help, self.countdown, self.footer):
            # The header is drawn last, the footer after the screens: a screen taller than its
            # box (a display smaller than the panel it is laid out for) runs under them, not over.
            self.add_widget(widget, canvas="after" if widget is self.header else None)
        self.developer_panel = DeveloperPanel() if developer_panel else None
        if self.developer_panel is not None:
            self.add_widget(self.developer_panel)
        terminal.session.subscribe(self._session_changed)
        terminal.applying.face.subscribe(lambda _face: self._show())  # the face step's hints and outcome
        terminal.applying.documents.subscribe(lambda _documents: self._show())  # the papers' hints and pages
        terminal.subscribe_status(self._status_changed)
        self._update_clock()
        self.app = App.get_running_app()  # its own app: a stale root must never set another's language
        self._intervals = [Clock.schedule_interval(self._pump, PUMP_INTERVAL),
                           Clock.schedule_interval(self._every_second, 1.0)]
        self._show()

    def close(self) -> None:
        """The app stopped: stop pumping and ticking. Kivy's clock is one per process, so a
        root left ticking would go on drawing (and setting the language) under the next app."""
        for event in self._intervals:
            event.cancel()

    def _build_screen(self, name: str) -> KioskScreen:
        screen = build_screen(name)
        screen.terminal = self.terminal
        if isinstance(screen, MaintenanceScreen):
            screen.panel = self.panel
        if isinstance(screen, MaintenancePinScreen):
            screen.pad, screen.changed = self.pin_pad, self._show
        if isinstance(screen, CallbackScreen):
            screen.form = self.callback
        return screen

    def on_touch_down(self, touch: object) -> bool:
        """Every tap anywhere counts as activity (and extends a running countdown); between
        residents a touch may also be part of the hidden gesture that opens the PIN pad."""
        if self.terminal.mode is Mode.MAINTENANCE:
            self.terminal.maintenance_touched()
        else:
            self.terminal.session.touched()
            if self._gesture_listens():
                self.gesture.down(touch.x, touch.y, time.monotonic())  # type: ignore[attr-defined]
        return bool(super().on_touch_down(touch))

    def on_touch_up(self, touch: object) -> bool:
        handled = bool(super().on_touch_up(touch))
        if self._gesture_listens() and self.gesture.up(touch.x, touch.y, time.monotonic()):  # type: ignore[attr-defined]
            self.pin_pad.open()
            self.help_open = False  # the gesture's tap may have landed on Help
            self._show()
        return handled

    def _gesture_listens(self) -> bool:
        """Only between residents, and not while the PIN pad is already open."""
        return self.terminal.mode is not Mode.MAINTENANCE and self.terminal.may_enter_maintenance() \
            and not self.pin_pad.is_open

    def _mode_changed(self, mode: Mode) -> None:
        """A technician came in (start at the menu) or left (forget the visit)."""
        desk = self.terminal.desk
        if mode is Mode.MAINTENANCE and desk is not None:
            self.pin_pad.close()
            self.panel.begin(desk)
        else:
            self.panel.end()
        self._show()

    def _back(self) -> None:
        if self.terminal.mode is Mode.MAINTENANCE:
            self.panel.back()
        elif self.callback.is_open:
            self.callback.close()
        else:
            self.terminal.session.back()

    def _home(self) -> None:
        if self.terminal.mode is Mode.MAINTENANCE:
            self.terminal.leave_maintenance()
        else:
            self.terminal.session.home()

    def _pump(self, _dt: float) -> None:
        self.terminal.pump()

    def _every_second(self, _dt: float) -> None:
        self.terminal.tick()
        if self.navigator.current.insists:
            self.voice_guide.again_if_due()
        self._prepare_choose()
        if self.pin_pad.expired() or (self.pin_pad.is_open and not self.terminal.may_enter_maintenance()):
            self.pin_pad.close()
            self._show()
        self._update_clock()

    def _session_changed(self, session: Session) -> None:
        if session.step is Step.ATTRACT:
            self.callback.close()  # the session ended: forget the number
            self._quiet_since = time.monotonic()
            self.voice_guide.reset_volume()  # the next resident hears the site's volume
            self.footer.volume_level = self.voice_guide.level
        self._show()

    def _step_volume(self) -> None:
        """音量: the next level, said at once (``VoiceGuide.step_volume``)."""
        self.terminal.session.touched()
        self.voice_guide.step_volume()
        self.footer.volume_level = self.voice_guide.level

    def _prepare_choose(self) -> None:
        """Draw the next resident's choose screen ahead while nobody is at the kiosk (each second
        at attract; nothing to do once drawn, until the catalogue or the ranking changes)."""
        if self.terminal.started and self.terminal.session.step is Step.ATTRACT \
                and self.terminal.mode is Mode.RESIDENT and time.monotonic() - self._quiet_since >= PREPARE_AFTER_S:
            self.navigator.ready(CHOOSE_SCREEN).prepare()  # type: ignore[attr-defined]

    def _status_changed(self, availability: Availability) -> None:
        self.panel.devices_changed()
        panel = self.developer_panel
        if panel is not None and not panel.children and self.terminal.started:
            from kiosk.devices.developer import DeveloperControls  # only with the panel, after start

            controls = DeveloperControls(self.terminal)  # the devices exist from now on
            panel.build([(c.label, partial(controls.run, c.action)) for c in controls.controls()])
        self._show()

    def _screen_name(self) -> str:
        """The terminal's screen, or the PIN pad over attract (or out of service)."""
        terminal = self.terminal
        if terminal.mode is not Mode.MAINTENANCE and self.pin_pad.is_open and terminal.may_enter_maintenance():
            return PIN_SCREEN
        if terminal.mode is Mode.RESIDENT and self.callback.is_open:
            return CALLBACK_SCREEN
        return terminal.screen_name

    def _show(self) -> None:
        session = self.terminal.session
        self.app.language = session.language  # kv rules say their words in it
        name = self._screen_name()
        technician = self.terminal.mode is Mode.MAINTENANCE or name == PIN_SCREEN
        # Elder mode is a resident's setting: the technician's screens keep the standard sizes.
        # Set before the screen refreshes, so what it draws in code (the review's rows) has the
        # sizes it is shown at, not the last mode's.
        self.theme.set_elder_mode(session.elder_mode and not technician)  # type: ignore[attr-defined]
        self.navigator.go(name)
        screen = self.navigator.current
        self.footer.show_back = bool(screen.show_back)
        self.footer.show_home = bool(screen.show_home)
        self.footer.show_help = not technician
        self.footer.show_repeat = self.voice_guide.enabled and not technician
        self.footer.compact = self.footer.show_repeat and Window.width < Window.height  # five buttons upright
        self.footer.back_text = tech(Tech.MENU_BACK) if technician else ""
        self.footer.home_text = tech(Tech.LEAVE) if technician else ""
        self.header.show_elder = not technician
        self.header.elder_mode = session.elder_mode
        seconds = session.countdown()
        self.countdown.seconds = -1 if seconds is None else seconds
        if session.step is Step.ATTRACT:
            self.help_open = False
        self._show_help()
        self.voice_guide.shown(screen.name, "" if technician else screen.instruction(), session.language)

    def _toggle_elder(self) -> None:
        self.terminal.session.toggle_elder_mode()

    def _toggle_help(self) -> None:
        session = self.terminal.session
        if self.callback.is_open:
            self.callback.close()  # Help again closes the form, and nothing opens in its place
            return
        if self.callback.offered() and self.terminal.mode is Mode.RESIDENT:
            if session.step is Step.ATTRACT:
                session.begin()  # the session's timeout applies to the form too
            self.help_open = False
            self.callback.open(known_phone(session))
            return
        self.help_open = not self.help_open
        self._show_help()

    def _show_help(self) -> None:
        session = self.terminal.session
        phone = self.terminal.config.site.contact_phone
        self.help.heading = session.say(MessageId.UI_HELP_HEADING)
        self.help.text = session.say(message(MessageId.UI_HELP_TEXT, phone=phone)) if self.help_open else ""

    def _update_clock(self) -> None:
        self.header.clock_text = datetime.now().strftime("%Y-%m-%d  %H:%M")
