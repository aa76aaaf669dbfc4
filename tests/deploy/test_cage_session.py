"""The kiosk's screen session, locked down: the real `kiosk run` under cage, seen through cage.

The test runs the unit's own command line (``ExecStart=`` of deploy/gov-kiosk.service: the
deploy/kiosk-session script, cage, then `kiosk run` with the simulated devices and the embedded
centre; plus ``-r``, see ROTATE) on cage's headless backend, as an unprivileged user, with a
notify socket standing in for systemd's. Once the kiosk says READY=1 it takes a screenshot
through the compositor (grim) and looks at its edges: the attract screen covers the whole
output, the header's colour along the top, the footer's along the bottom, no black border and no
title bar. Then it presses the keys a resident might try (Escape, F1, Alt+F4), checks the kiosk
is still there, unchanged and pinging its watchdog, and stops it as systemd would.

The keys go in through Xwayland's XTEST extension (xdotool): cage 0.1.4 has no virtual-keyboard
protocol, so they cannot come through the compositor's seat. A stock Kivy app under the same
session shows they arrive: Escape closes it. Set ``CAGE_SCREENSHOT=<file.png>`` to keep the
screenshot (docs/screens/cage-attract.png is one).
"""

from __future__ import annotations

import contextlib
import io
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.deploy.test_units import DEPLOY, unit_settings
from tests.kiosk.kiosk_support import write_config
from tests.kiosk.test_watchdog import NotifySocket

PROGRAMS = ("cage", "grim", "Xwayland", "xdotool")  # install-system-packages.sh --with-tests
missing = [name for name in PROGRAMS if shutil.which(name) is None]
pytestmark = pytest.mark.skipif(
    bool(missing), reason=f"not installed: {', '.join(missing)} (deploy/install-system-packages.sh --with-tests)"
)

REPO = DEPLOY.parent
# wlroots 0.15's headless backend has one output, always 1280x720; kiosk-session -r turns it to
# portrait, the kiosk's shipped orientation. Unrotated, cage 0.1.4 tries direct scan-out of the
# window, which fails on this backend every frame and leaves the picture frozen at an early frame.
ROTATE = "-r"
OUTPUT_SIZE = (720, 1280)
KEYS = ("Escape", "F1", "alt+F4")
STOP_WITHIN_S = 15  # the kiosk's own stop takes up to 10 s (tests/kiosk/test_graceful_stop.py)
HEADLESS = {"WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1"}
RGB = tuple[int, int, int]


def session_user(runs_python: bool = True) -> list[str]:
    """The command prefix that runs the session unprivileged, as the kiosk user is in production.

    cage refuses to start as root. A root test runs it as ``nobody``, and when this Python sits
    where ``nobody`` cannot reach it (under /root), keeps CAP_DAC_READ_SEARCH alone, to read it.
    """
    if os.geteuid() != 0:
        return []
    prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    python = Path(sys.executable).resolve()
    if runs_python and not all(folder.stat().st_mode & stat.S_IXOTH for folder in python.parents):
        prefix += ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
    return prefix


class Session:
    """deploy/kiosk-session running ``program`` on cage's headless backend, in a folder of its own."""

    def __init__(self, folder: Path, program: list[str], env: dict[str, str]) -> None:
        self.folder = folder
        self.runtime = folder / "run"  # systemd's RuntimeDirectory=
        self.log = folder / "session.log"
        env = {
            "PATH": "/usr/bin:/bin", "HOME": str(folder), "KIVY_HOME": str(folder / "kivy"),
            "KIVY_NO_ARGS": "1", "RUNTIME_DIRECTORY": str(self.runtime), **HEADLESS, **env,
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [*session_user(), str(DEPLOY / "kiosk-session"), *program],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def program_pid(self) -> int:
        """The program's process, as kiosk-session notes it (cage's child, which becomes it)."""
        pid_file = self.runtime / "program.pid"
        assert pid_file.exists(), f"kiosk-session noted no program\n{self.output()}"
        return int(pid_file.read_text())

    def program_env(self, name: str) -> str:
        environ = Path(f"/proc/{self.program_pid()}/environ").read_bytes().split(b"\0")
        return dict(item.decode().split("=", 1) for item in environ if b"=" in item)[name]

    def screenshot(self) -> Image.Image:
        """The output as the compositor shows it (grim, over cage's Wayland socket)."""
        sockets = [p.name for p in self.runtime.glob("wayland-*") if not p.name.endswith(".lock")]
        assert sockets, f"cage has no Wayland socket\n{self.output()}"
        shot = subprocess.run(
            ["grim", "-"], env={"XDG_RUNTIME_DIR": str(self.runtime), "WAYLAND_DISPLAY": sockets[0]},
            capture_output=True, timeout=10, check=True,
        )
        return Image.open(io.BytesIO(shot.stdout)).convert("RGB")

    def press(self, *keys: str) -> None:
        """Press ``keys`` (xdotool names) in the program's X display, through XTEST."""
        subprocess.run(
            [*session_user(runs_python=False), "xdotool", "key", *keys],
            env={"DISPLAY": self.program_env("DISPLAY")}, capture_output=True, timeout=10, check=True,
        )

    def stop(self, timeout: float = STOP_WITHIN_S) -> int | None:
        """Stop as systemd does (KillMode=mixed): SIGTERM to kiosk-session alone, then SIGKILL to
        every process left; its exit status, or None if it had to be killed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        status = self.process.poll()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        # a killed kiosk must not write into the folder after the test removes it
        pid_file = self.runtime / "program.pid"
        program = Path(f"/proc/{pid_file.read_text().strip()}") if pid_file.exists() else None
        deadline = time.monotonic() + 5
        while program is not None and program.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return status

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder the session's user owns, short enough for unix socket paths (not tmp_path, 0700 root's)."""
    path = Path(tempfile.mkdtemp(prefix="cage-"))
    (path / "run").mkdir(mode=0o700)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def give_to_session_user(path: Path) -> None:
    """Make ``path`` and all in it the session user's (``nobody``'s when the test runs as root)."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        for item in [path, *path.rglob("*")]:
            os.chown(item, nobody.pw_uid, nobody.pw_gid, follow_symlinks=False)


def kiosk_command(config: Path) -> list[str]:
    """The unit's ExecStart after kiosk-session, with this checkout's kiosk and ``config``."""
    session, kiosk, *args = unit_settings(DEPLOY / "gov-kiosk.service")["Service.ExecStart"][0].split()
    assert Path(session).name == "kiosk-session" and Path(kiosk).name == "kiosk", "ExecStart changed shape"
    assert args[:2] == ["run", "--config"] and len(args) == 3, args
    return [ROTATE, sys.executable, "-m", "kiosk", "run", "--config", str(config)]


def rgb(rgba: list[float]) -> RGB:
    """A Kivy colour (0..1, with alpha) as a screenshot's pixel."""
    r, g, b, _a = rgba
    return round(r * 255), round(g * 255), round(b * 255)


def pixels(shot: Image.Image, points: Iterable[tuple[int, int]]) -> list[RGB]:
    colours = []
    for point in points:
        r, g, b = shot.getpixel(point)  # type: ignore[misc]  # an RGB image: always three ints
        colours.append((r, g, b))
    return colours


def near(pixel: RGB, colour: RGB) -> bool:
    return all(abs(p - c) <= 2 for p, c in zip(pixel, colour, strict=True))


def edge_faults(shot: Image.Image, header: RGB, footer: RGB) -> list[str]:
    """What is wrong at the screenshot's edges for an attract screen covering the whole output."""
    width, height = shot.size
    top = pixels(shot, ((x, 0) for x in range(width)))
    bottom = pixels(shot, ((x, height - 1) for x in range(width)))
    sides = pixels(shot, ((x, y) for x in (0, width - 1) for y in range(height)))
    faults = []
    if shot.size != OUTPUT_SIZE:
        faults.append(f"size {shot.size}, not the output's {OUTPUT_SIZE}")
    if not all(near(p, header) for p in top):
        faults.append(f"top row is not all the header's {header}: {sorted(set(top))[:5]}")
    if not all(near(p, footer) for p in bottom):
        faults.append(f"bottom row is not all the footer's {footer}: {sorted(set(bottom))[:5]}")
    if any(sum(p) < 60 for p in top + bottom + sides):
        faults.append("black at an edge: the window does not cover the output")
    return faults


def settled(session: Session, header: RGB, footer: RGB, timeout: float) -> Image.Image:
    """The first screenshot with nothing wrong at its edges (the window is being placed and sized
    while the first frames come), or the last one when ``timeout`` runs out."""
    deadline = time.monotonic() + timeout
    while True:
        shot = session.screenshot()
        if not edge_faults(shot, header, footer) or time.monotonic() > deadline:
            return shot
        time.sleep(0.2)


def test_the_kiosk_fills_the_screen_under_cage_and_its_keys_do_not_leave(folder: Path) -> None:
    """READY, a screenshot filled edge to edge, keys that change nothing, a clean stop."""
    from kiosk.config.settings import load_config
    from screens.theme import Theme

    config = write_config(folder, {"ui.developer_panel": False})  # as on a kiosk: no developer buttons
    theme = Theme()
    theme.set_primary(load_config(config).site.branding.primary_colour)
    header, footer = rgb(theme.primary), rgb(theme.surface)
    give_to_session_user(folder)
    notify = NotifySocket(f"@gov-kiosk-cage-{os.getpid()}-{time.monotonic_ns()}")  # abstract: any user may send
    session = Session(folder, kiosk_command(config), {
        "NOTIFY_SOCKET": notify.address,
        # systemd names the unit's main process, kiosk-session: the kiosk must not see it, or it would not ping.
        "WATCHDOG_USEC": "2000000", "WATCHDOG_PID": str(os.getpid()),
    })
    try:
        assert notify.receive(60) == "READY=1", session.output()
        shot = settled(session, header, footer, timeout=15)
        if os.environ.get("CAGE_SCREENSHOT"):
            shot.save(os.environ["CAGE_SCREENSHOT"])
        assert edge_faults(shot, header, footer) == [], session.output()

        kiosk = session.program_pid()
        session.press(*KEYS)
        time.sleep(2)  # Kivy's settings panel (F1) slides in within a second
        assert session.process.poll() is None and Path(f"/proc/{kiosk}").exists(), session.output()
        assert edge_faults(session.screenshot(), header, footer) == [], f"after {KEYS}: the attract screen changed"
        assert [notify.receive(3) for _ in range(2)] == ["WATCHDOG=1"] * 2, "the kiosk stopped pinging"

        # systemctl stop: the kiosk stops cleanly (terminal closed, STOPPING=1) and cage after it
        assert session.stop() == 0, session.output()
        assert "the kiosk stopped" in session.output()
        assert "STOPPING=1" in notify.receive_until("STOPPING=1", timeout=5)
    finally:
        session.stop()
        notify.close()


STOCK_KIVY_APP = """
from kivy.app import App
from kivy.clock import Clock
from kivy.uix.widget import Widget

class Stock(App):
    def build(self):
        Clock.schedule_once(lambda _dt: print("first frame", flush=True), 0.5)
        return Widget()

Stock().run()
"""


def test_the_keys_reach_a_kivy_window_under_cage(folder: Path) -> None:
    """The control: XTEST keys do reach a Kivy window in the session, so the test above means something."""
    app = folder / "stock_app.py"
    app.write_text(STOCK_KIVY_APP)
    give_to_session_user(folder)
    session = Session(folder, [ROTATE, sys.executable, str(app)], {})
    try:
        deadline = time.monotonic() + 30
        while "first frame" not in session.output():
            assert time.monotonic() < deadline and session.process.poll() is None, session.output()
            time.sleep(0.1)
        session.press("Escape")  # Kivy's default: exit on Escape
        assert session.process.wait(15) == 0, session.output()  # the app exits, and cage with it
    finally:
        session.stop()
