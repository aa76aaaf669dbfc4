"""The one module that wires Kivy to the kiosk: window, font, screens, the terminal.

``run_kiosk`` runs on the kiosk's screen; ``run_demo`` plays the scripted session offscreen
and saves a PNG of every screen plus the printed receipt. Kivy is imported inside the
functions, after the window's size is set, so importing this module draws nothing. Both
install the log redaction (``contract.redaction``) before anything logs.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config.settings import KioskConfig
from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.delivery.endpoint import CentreConnector

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}

log = logging.getLogger(__name__)


def prepare_kivy(config: KioskConfig, orientation: str, full_screen: bool = False) -> None:
    """Size the window and make the CJK font the default; call before any Kivy window exists.

    ``full_screen``: the whole display at its own resolution, with no border or title bar (the
    kiosk on its screen; cage gives its one window the whole output as well).
    """
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    from kivy.config import Config

    width, height = SIZES[orientation]
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "fullscreen", "auto" if full_screen else "0")
    Config.set("graphics", "borderless", "1" if full_screen else "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("kivy", "exit_on_escape", "0")  # Escape must not end a resident's session, or the kiosk

    from kivy.core.text import DEFAULT_FONT, LabelBase

    LabelBase.register(DEFAULT_FONT, str(config.ui.font))


def build_app(config: KioskConfig, terminal: object, developer_panel: bool):  # type: ignore[no-untyped-def]
    """The Kivy app showing ``terminal`` (not yet running)."""
    from kivy.app import App
    from kivy.properties import StringProperty

    from kiosk.messages import DEFAULT_LANGUAGE, Message, MessageId, Param, catalog_text, message, say
    from kiosk.voice.build import build_voice
    from kiosk.voice.startup import fixed_words
    from screens.glyphs import GlyphFallback
    from screens.pixel_exact import sample_blank_texture_exactly
    from screens.registry import COMMON_KV, load_kv
    from screens.root import KioskRoot
    from screens.theme import Theme
    from screens.voice_guide import VoiceGuide

    voice = build_voice(config.voice, Path(config.data_dir))  # fails now if enabled and not installed
    if voice.enabled and config.voice.output != "null":  # nothing plays on null: nothing to prepare
        voice.prewarm(fixed_words())  # the fixed instructions, before the first resident

    class KioskApp(App):
        title = config.site.branding.title
        language = StringProperty(DEFAULT_LANGUAGE)  # the session's, kept in step by KioskRoot
        voice_guide = VoiceGuide(voice)  # 语音播报: what the screens say aloud

        def say(self, msg: MessageId | Message, language: str | None = None, **params: Param) -> str:
            """Words for kv rules: ``app.say(MessageId.UI_FORM_NEXT, app.language)``.

            Pass ``app.language`` even though it is the default: Kivy re-evaluates a rule when
            a property it names changes, so the texts follow a change of language.
            """
            if isinstance(msg, MessageId):
                msg = message(msg, **params)
            return say(msg, language or self.language)

        def catalog_text(self, text: str, language: str) -> str:
            """A catalogue's or site's text for kv rules: ``app.catalog_text(root.title, app.language)``."""
            return catalog_text(text, language)

        def choose_language(self, language: str) -> None:
            """The header's language switch: the session, where it is, in ``language``."""
            terminal.session.set_language(language)  # type: ignore[attr-defined]

        def on_stop(self) -> None:
            if self.root is not None:
                self.root.close()
            self.voice_guide.close()

        def open_settings(self, *_args: object) -> bool:
            """Never: Kivy opens its settings panel on F1, and a kiosk has none to show."""
            return False

        def build(self):  # type: ignore[no-untyped-def]
            self.theme = Theme()
            self.glyphs = GlyphFallback(config.ui.font, config.ui.fallback_fonts)
            self.theme.set_primary(config.site.branding.primary_colour)
            self.theme.clear_window_to_background()
            sample_blank_texture_exactly()
            for name in COMMON_KV:
                load_kv(name)
            return KioskRoot(terminal, self.theme, developer_panel)  # type: ignore[arg-type]

    return KioskApp()


def kiosk_app(config: KioskConfig, centre: CentreConnector, windowed: bool = False):  # type: ignore[no-untyped-def]
    """The kiosk as it runs on a screen: the app, its terminal, and a list that receives any
    error bringing the terminal up.

    The window is locked: full screen with no border, and a request to close it (a close
    button, Alt+F4 where a window manager offers them) is refused; SIGTERM stops the kiosk.
    ``windowed`` (a developer's desktop) gives an ordinary window that closes.

    The terminal starts (devices, outbox, centre link) on a background thread as soon as the
    first frame is on screen: the attract screen shows at once and the devices report in a
    moment later. If bringing it up fails, the app closes and the error is kept. Under systemd
    the first frame also tells it the kiosk is ready and starts the watchdog pings
    (``kiosk.supervision``).
    """
    prepare_kivy(config, config.ui.orientation, full_screen=not windowed)  # before the window exists
    from kivy.clock import Clock
    from kivy.core.window import Window

    from kiosk.daily_restart import DailyRestart
    from kiosk.supervision import Supervision
    from kiosk.terminal import Terminal

    if not windowed:
        Window.bind(on_request_close=lambda *_args, **_kwargs: True)  # True: handled, stay open
    terminal = Terminal(config, centre=centre)
    app = build_app(config, terminal, config.ui.developer_panel)
    # A technician's "restart" (maintenance or the console) stops the app as SIGTERM does: the
    # terminal stops, the exit code is 0, and the service manager starts the kiosk again.
    terminal.restart_hook = lambda: Clock.schedule_once(lambda _dt: app.stop(), 0)
    failures: list[Exception] = []
    # systemd (deploy/gov-kiosk.service): READY=1 with the first frame, then WATCHDOG=1 from the
    # UI thread's clock, so a hung UI thread gets the kiosk restarted; a no-op outside systemd.
    supervision = Supervision.from_environment()
    app.bind(on_stop=lambda *_args: supervision.stop())

    def bring_up() -> None:
        try:
            terminal.start()
        except Exception as err:  # noqa: BLE001 - whatever it is, a kiosk without its terminal must not stay up
            if not isinstance(err, KioskError):
                log.exception("bringing the terminal up failed")
            failures.append(err)
            Clock.schedule_once(lambda _dt: app.stop(), 0)

    # run_kiosk waits for it before stopping the terminal, so a stop during bring-up closes what it opened.
    app.bring_up = threading.Thread(target=bring_up, name="bring-up", daemon=True)

    drawn: list[bool] = []
    follow_updates = updates_follower(config, terminal, app, failures, drawn)
    daily_restart = DailyRestart(terminal)  # once a day at a quiet moment, through restart_hook

    def first_frame(*_args: object) -> None:
        Window.unbind(on_flip=first_frame)
        drawn.append(True)
        supervision.start(Clock.schedule_interval)
        app.bring_up.start()
        Clock.schedule_interval(follow_updates, UPDATES_TICK_S)
        if supervision.notifier.enabled:  # only a service manager brings a stopped kiosk back
            Clock.schedule_interval(lambda _dt: daily_restart.check(), daily_restart.every_s)

    Window.bind(on_flip=first_frame)
    return app, terminal, failures


UPDATES_TICK_S = 5.0


def updates_follower(config: KioskConfig, terminal, app, failures: list[Exception], drawn: list[bool]):  # type: ignore[no-untyped-def]
    """A UI-clock callback for signed updates (``kiosk.updates.runtime``): commit this version's
    trial once healthy (or exit non-zero for the watchdog to roll back), switch to a staged
    version at a quiet moment (exit 0: the service starts it), and audit what happened."""
    from datetime import datetime

    from kiosk.updates.errors import UpdateError
    from kiosk.updates.runtime import Action, AppUpdates

    updates = AppUpdates(config.updates, config.site, now=lambda: datetime.now().astimezone())

    def follow(_dt: float) -> bool:
        link = terminal.link
        action = updates.tick(
            first_frame=bool(drawn),
            devices_open=terminal.availability is not None,  # the devices opened and reported
            centre_reached=link is not None and link.heartbeats.last_ack is not None,
            quiet=terminal.may_enter_maintenance() and not terminal.maintenance.active,
        )
        if terminal.started:
            for report in updates.take_reports():
                terminal.audit.append("updater", report["action"], report["outcome"], report["detail"])
        if action is Action.CARRY_ON:
            return True
        if action is Action.FAIL:
            failures.append(UpdateError(f"this version's trial failed: {updates.failure}"))
        log.info("updates: %s", action.value)
        app.stop()
        return False

    return follow


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
BRING_UP_WAIT_S = 10.0  # how long a stop waits for a terminal still coming up


def stop_on_signals(app: object) -> Callable[[], None]:
    """Make SIGTERM (``systemctl stop``) and SIGINT stop ``app`` as closing its window would.

    Python runs signal handlers on the main thread, which is Kivy's, between bytecodes; the
    handler only schedules ``app.stop()`` on the Kivy clock, so the stop itself happens in the
    next frame, and the caller's ``finally`` stops the terminal. Repeats are ignored while the
    kiosk stops (systemd's answer to a stop that hangs is SIGKILL after ``TimeoutStopSec=``).
    Returns a function that puts the previous handlers back.
    """
    from kivy.clock import Clock

    stopping: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        if stopping:
            return
        stopping.append(signum)
        log.info("%s received: stopping the kiosk", signal.Signals(signum).name)
        Clock.schedule_once(lambda _dt: app.stop(), 0)  # type: ignore[attr-defined]

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def run_kiosk(config: KioskConfig, centre: CentreConnector, windowed: bool = False) -> int:
    """Run the kiosk on this machine's screen until SIGTERM/SIGINT comes (or, ``windowed``, its
    window closes).

    Either way the terminal stops (devices closed, the sender finishes or returns its in-flight
    cases, ratings and heartbeats stop) and systemd hears ``STOPPING=1``; a stop exits 0, a
    failed bring-up 2 (a ``KioskError``) or 1.
    """
    from contract.redaction import install_log_redaction  # before anything logs; off the import path

    install_log_redaction()
    app, terminal, failures = kiosk_app(config, centre, windowed)
    restore_signals = stop_on_signals(app)
    try:
        try:
            app.run()
        finally:
            if app.bring_up.is_alive():
                app.bring_up.join(BRING_UP_WAIT_S)
            terminal.stop()
            log.info("the kiosk stopped: devices and the centre link are closed")
    finally:
        restore_signals()
    if failures:
        failure = failures[0]
        print(f"kiosk: {failure if isinstance(failure, KioskError) else repr(failure)}", file=sys.stderr)
        return 2 if isinstance(failure, KioskError) else 1
    return 0


def run_demo(
    config: KioskConfig, out: Path, orientation: str | None, connect: Callable[[KioskConfig], CentreConnector]
) -> int:
    """Play the scripted session offscreen, saving each screen and the receipt under ``out``."""
    from contract.redaction import install_log_redaction  # before anything logs; off the import path

    install_log_redaction()
    from kiosk.cli.demo import DemoClock, demo_steps, unhappy_steps
    from kiosk.terminal import Terminal

    orientation = orientation or config.ui.orientation
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    config = dataclasses.replace(
        config,
        data_dir=out / "data",
        outbox_key_file=out / "data" / config.outbox_key_file.name,
        ui=dataclasses.replace(config.ui, orientation=orientation, developer_panel=False),
    )
    prepare_kivy(config, orientation)
    from kivy.clock import Clock

    from screens.screenshot import save_screen

    terminal = Terminal(config, clock=DemoClock(), centre=connect(config))
    terminal.start()
    app = build_app(config, terminal, developer_panel=False)
    steps = demo_steps() + unhappy_steps()
    shots: list[Path] = []
    failure: list[str] = []

    def run_step(index: int) -> None:
        if index == len(steps):
            app.stop()
            return
        step = steps[index]
        step.action(terminal)
        deadline = time.monotonic() + 10

        def wait(_dt: float) -> None:
            terminal.pump()
            if not step.ready(terminal):
                if time.monotonic() > deadline:
                    failure.append(f"step {step.name!r} did not reach its screen")
                    app.stop()
                    return
                Clock.schedule_once(wait, 0.05)
                return
            Clock.schedule_once(lambda _dt: capture(index), 0.3)  # let layout settle (fonts load lazily)

        Clock.schedule_once(wait, 0)

    def capture(index: int) -> None:
        path = out / f"{index + 1:02d}-{steps[index].name}.png"
        save_screen(app.root, str(path))
        shots.append(path)
        run_step(index + 1)

    Clock.schedule_once(lambda _dt: run_step(0), 0.3)
    try:
        app.run()
    finally:
        entries = terminal.link.outbox.entries() if terminal.link else []
        case = entries[0].case_number if entries else ""
        printed = sorted((Path(config.data_dir) / "prints").glob("*.png"))
        terminal.stop()
    if failure:
        print(f"kiosk demo: {failure[0]}", file=sys.stderr)
        return 1
    for path in shots:
        print(path)
    if printed:
        receipt = out / "receipt.png"
        shutil.copy(printed[-1], receipt)
        print(receipt)
    print(f"case number: {case}")
    return 0
