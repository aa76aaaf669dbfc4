"""systemd supervision: READY=1 once, WATCHDOG=1 from the UI clock, against a real notify socket.

The test binds the unix datagram socket systemd would and passes it as ``NOTIFY_SOCKET``. The
UI-clock tests run in a child process: Kivy's Clock is global, one per process.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.supervision import Notifier, Supervision, watchdog_interval
from tests.kiosk.kiosk_support import write_config


class NotifySocket:
    """The receiving end systemd holds: a bound unix datagram socket and its NOTIFY_SOCKET."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(b"\0" + address[1:].encode() if address.startswith("@") else address)

    def receive(self, timeout: float) -> str | None:
        """The next message, or None if none comes within ``timeout`` seconds."""
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(4096).decode()
        except TimeoutError:
            return None

    def receive_until(self, last: str, timeout: float) -> list[str]:
        """Every message up to and including ``last``; fail if it does not come in time."""
        deadline = time.monotonic() + timeout
        messages: list[str] = []
        while (remaining := deadline - time.monotonic()) > 0:
            message = self.receive(remaining)
            if message is None:
                break
            messages.append(message)
            if message == last:
                return messages
        pytest.fail(f"no {last!r} within {timeout} s; got {messages}")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def notify_socket() -> Iterator[NotifySocket]:
    # A short path: unix socket paths are limited to 108 bytes, pytest's tmp_path can be longer.
    folder = tempfile.mkdtemp(prefix="notify-")
    sock = NotifySocket(os.path.join(folder, "notify"))
    yield sock
    sock.close()
    os.unlink(sock.address)
    os.rmdir(folder)


@pytest.fixture
def abstract_notify_socket() -> Iterator[NotifySocket]:
    sock = NotifySocket(f"@gov-kiosk-test-{os.getpid()}-{time.monotonic_ns()}")
    yield sock
    sock.close()


def test_ready_reaches_a_path_socket_once(notify_socket: NotifySocket) -> None:
    supervision = Supervision(Notifier(notify_socket.address), interval=None)
    supervision.start(lambda *_args: pytest.fail("no watchdog was asked for"))
    supervision.start(lambda *_args: pytest.fail("no watchdog was asked for"))
    assert notify_socket.receive(1.0) == "READY=1"
    assert notify_socket.receive(0.2) is None


def test_an_abstract_socket_is_named_with_an_at_sign(abstract_notify_socket: NotifySocket) -> None:
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": abstract_notify_socket.address})
    assert notifier.ready() and notifier.watchdog()
    assert [abstract_notify_socket.receive(1.0), abstract_notify_socket.receive(1.0)] == ["READY=1", "WATCHDOG=1"]


def test_without_a_notify_socket_everything_is_a_no_op() -> None:
    notifier = Notifier.from_environment({})
    assert not notifier.enabled
    assert not notifier.ready() and not notifier.watchdog() and not notifier.stopping()
    supervision = Supervision.from_environment({"WATCHDOG_USEC": "30000000"})
    supervision.start(lambda *_args: pytest.fail("nothing to ping without a socket"))
    supervision.stop()


def test_a_vanished_socket_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    notifier = Notifier("/nonexistent/notify")
    assert not notifier.watchdog() and not notifier.watchdog()
    assert len([r for r in caplog.records if "sd_notify" in r.getMessage()]) == 1


def test_the_watchdog_pings_at_half_its_interval_and_only_when_asked() -> None:
    assert watchdog_interval({"WATCHDOG_USEC": "30000000"}) == 15.0
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}) == 15.0
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, pid=4242) is None  # another's
    assert watchdog_interval({}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "0"}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "soon"}) is None


# The child: Kivy's clock ticked by its main thread (the UI thread), a busy background thread,
# and phases marked with STATUS= messages through the same socket, so their order is exact.
CLOCK_CHILD = textwrap.dedent(
    """
    import threading, time
    from kivy.clock import Clock
    from kiosk.supervision import Supervision

    def tick_for(seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            Clock.tick()
            time.sleep(0.01)

    stop = threading.Event()
    def busy():  # a sender thread hard at work must not matter either way
        while not stop.is_set():
            sum(range(10_000))
    threading.Thread(target=busy, daemon=True).start()

    supervision = Supervision.from_environment()
    supervision.start(Clock.schedule_interval)
    tick_for(1.0)
    supervision.notifier.notify("STATUS=ui-blocked")
    time.sleep(1.5)  # the UI thread hangs: the clock does not run
    supervision.notifier.notify("STATUS=ui-running")
    tick_for(0.6)
    stop.set()
    supervision.notifier.notify("STATUS=done")
    """
)


def test_watchdog_pings_come_from_the_ui_clock_and_stop_when_it_hangs(notify_socket: NotifySocket) -> None:
    env = dict(
        os.environ, NOTIFY_SOCKET=notify_socket.address, WATCHDOG_USEC="200000",  # ping every 0.1 s
        KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1", KIVY_NO_FILELOG="1",
    )
    env.pop("WATCHDOG_PID", None)
    child = subprocess.Popen([sys.executable, "-c", CLOCK_CHILD], env=env, stderr=subprocess.PIPE, text=True)
    try:
        messages = notify_socket.receive_until("STATUS=done", timeout=30)
    finally:
        _, stderr = child.communicate(timeout=30)
    assert child.returncode == 0, stderr
    assert messages.count("READY=1") == 1 and messages[0] == "READY=1"
    running = messages[: messages.index("STATUS=ui-blocked")]
    blocked = messages[messages.index("STATUS=ui-blocked") + 1 : messages.index("STATUS=ui-running")]
    resumed = messages[messages.index("STATUS=ui-running") + 1 : messages.index("STATUS=done")]
    assert running.count("WATCHDOG=1") >= 4, running  # about ten in the second the clock ran
    assert blocked == [], "a hung UI thread must stop the pings, whatever other threads do"
    assert "WATCHDOG=1" in resumed


def test_kiosk_run_says_ready_with_its_first_frame_and_keeps_pinging(
    tmp_path: Path, notify_socket: NotifySocket
) -> None:
    """The real wiring in kiosk/app.py: `kiosk run` offscreen, as systemd would start it."""
    env = dict(
        os.environ, NOTIFY_SOCKET=notify_socket.address, WATCHDOG_USEC="400000",
        SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1",
    )
    env.pop("WATCHDOG_PID", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--config", str(write_config(tmp_path))],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        first = notify_socket.receive(60)
        pings = [notify_socket.receive(5) for _ in range(3)]
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            _, stderr = child.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            _, stderr = child.communicate()
    assert first == "READY=1", stderr
    assert pings == ["WATCHDOG=1"] * 3, stderr
