"""`systemctl stop` (SIGTERM) and Ctrl-C (SIGINT) stop `kiosk run` cleanly, as closing its window does.

The kiosk runs offscreen in a child process, started as systemd would (``NOTIFY_SOCKET`` on a
socket the test binds). After the signal it must tell systemd ``STOPPING=1`` once, stop the
terminal and exit 0. The outbox shows the terminal stopped: SQLite folds its write-ahead log
back into the file and deletes ``-wal``/``-shm`` only when the last connection closes, so a
killed kiosk leaves them behind and a stopped one does not.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.kiosk.kiosk_support import write_config
from tests.kiosk.test_watchdog import NotifySocket, notify_socket  # noqa: F401 - the fixture

STOP_WITHIN_S = 10  # the sender gets 5 s to finish a send (CentreLink.close); the rest is margin


@pytest.fixture
def kiosk(tmp_path: Path, notify_socket: NotifySocket) -> Iterator[subprocess.Popen[str]]:  # noqa: F811
    env = dict(
        os.environ, NOTIFY_SOCKET=notify_socket.address,
        SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1",
    )
    env.pop("WATCHDOG_USEC", None)
    env.pop("WATCHDOG_PID", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--config", str(write_config(tmp_path))],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    yield child
    if child.poll() is None:
        child.kill()
        child.communicate()


def wait_for(path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"{path.name} did not appear within {timeout} s")
        time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_stops_the_terminal_and_exits_zero(
    tmp_path: Path, notify_socket: NotifySocket, kiosk: subprocess.Popen[str], signum: int  # noqa: F811
) -> None:
    ready = notify_socket.receive(60)
    outbox = tmp_path / "data" / "outbox.sqlite3"
    if ready != "READY=1":
        kiosk.kill()
        pytest.fail(f"no READY=1 (got {ready!r}): {kiosk.communicate()[1]}")
    wait_for(outbox.with_name("outbox.sqlite3-wal"), timeout=30)  # the centre link is coming up

    kiosk.send_signal(signum)
    started = time.monotonic()
    try:
        _, stderr = kiosk.communicate(timeout=STOP_WITHIN_S)
    except subprocess.TimeoutExpired:
        kiosk.kill()
        pytest.fail(f"still running {STOP_WITHIN_S} s after {signal.Signals(signum).name}: {kiosk.communicate()[1]}")
    took = time.monotonic() - started

    assert kiosk.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert took < STOP_WITHIN_S
    messages = list(iter(lambda: notify_socket.receive(0.5), None))
    assert messages == ["STOPPING=1"], messages  # once, and nothing after it
    # The outbox was closed, not abandoned: its write-ahead log is folded back and gone, and no
    # case is left in flight.
    assert not outbox.with_name("outbox.sqlite3-wal").exists()
    assert not outbox.with_name("outbox.sqlite3-shm").exists()
    with closing(sqlite3.connect(f"file:{outbox}?mode=ro", uri=True)) as db:
        assert db.execute("SELECT COUNT(*) FROM outbox WHERE state = 'in_flight'").fetchone() == (0,)
