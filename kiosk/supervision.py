"""Telling systemd that the kiosk is up and still alive (the sd_notify protocol), no Kivy.

systemd starts ``kiosk run`` as ``Type=notify`` with ``WatchdogSec=`` (``deploy/gov-kiosk.service``)
and passes two things in the environment:

- ``NOTIFY_SOCKET``: a unix datagram socket, a path or, starting with ``@``, an abstract name;
  each message is one datagram of ``KEY=VALUE`` lines (``READY=1``, ``WATCHDOG=1``,
  ``STOPPING=1``, ``STATUS=...``);
- ``WATCHDOG_USEC`` (and ``WATCHDOG_PID``): the watchdog interval in microseconds, for this
  process. Without a ``WATCHDOG=1`` in each interval systemd kills and restarts the service.

The kiosk sends ``READY=1`` once its first frame is on screen and ``WATCHDOG=1`` from the UI
thread's clock at half the interval (``Supervision.start`` takes the UI clock's scheduler), so
a hung UI thread stops the pings while a busy background thread (sender, printer) does not.
Without ``NOTIFY_SOCKET`` (a developer's machine, the tests) every call is a no-op. No library:
the protocol is one ``sendto``.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)

# Kivy's Clock.schedule_interval, or anything that calls ``callback(dt)`` every ``interval`` s
# on the thread that must stay alive.
ScheduleInterval = Callable[[Callable[[float], object], float], object]


class Notifier:
    """Send sd_notify messages to one notify socket, or do nothing when there is none."""

    def __init__(self, address: str | None) -> None:
        self.address = _socket_address(address) if address else None
        self._failed = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Notifier:
        """The notifier systemd asked for through ``NOTIFY_SOCKET`` (a no-op one without)."""
        env = os.environ if environ is None else environ
        return cls(env.get("NOTIFY_SOCKET") or None)

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def notify(self, state: str) -> bool:
        """Send ``state`` (``KEY=VALUE`` lines) in one datagram; say whether it went out."""
        if self.address is None:
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto(state.encode(), self.address)
        except OSError as err:
            # Never let supervision take the kiosk down; a missed ping is systemd's to judge.
            if not self._failed:
                log.warning("sd_notify to the notify socket failed: %s", err.strerror or err)
                self._failed = True
            return False
        self._failed = False
        return True

    def ready(self) -> bool:
        """Tell systemd the kiosk is up (``Type=notify`` waits for this)."""
        return self.notify("READY=1")

    def watchdog(self) -> bool:
        """Tell systemd the kiosk is still alive."""
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        """Tell systemd the kiosk is shutting down on purpose."""
        return self.notify("STOPPING=1")


def _socket_address(address: str) -> str | bytes:
    """The ``sendto`` address of ``NOTIFY_SOCKET``: a path, or ``@name`` for an abstract socket."""
    if address.startswith("@"):
        return b"\0" + address[1:].encode()
    return address


def watchdog_interval(environ: Mapping[str, str] | None = None, pid: int | None = None) -> float | None:
    """Seconds between ``WATCHDOG=1`` pings: half of ``WATCHDOG_USEC``, or None if not asked.

    As ``sd_watchdog_enabled``: a ``WATCHDOG_PID`` naming another process means the watchdog
    is not this process's to keep.
    """
    env = os.environ if environ is None else environ
    usec = env.get("WATCHDOG_USEC", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    watchdog_pid = env.get("WATCHDOG_PID", "")
    if watchdog_pid and watchdog_pid != str(os.getpid() if pid is None else pid):
        return None
    return int(usec) / 1_000_000 / 2


class Supervision:
    """The kiosk's side of systemd's supervision: ready once, then pings from the UI clock."""

    def __init__(self, notifier: Notifier, interval: float | None) -> None:
        self.notifier = notifier
        self.interval = interval if notifier.enabled else None
        self._started = False
        self._stopped = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Supervision:
        return cls(Notifier.from_environment(environ), watchdog_interval(environ))

    def start(self, schedule_interval: ScheduleInterval) -> None:
        """Send ``READY=1`` and ping the watchdog from ``schedule_interval``'s thread; once only.

        Call it on the UI thread once the first frame is on screen.
        """
        if self._started or not self.notifier.enabled:
            return
        self._started = True
        self.notifier.ready()
        if self.interval is not None:
            self.notifier.watchdog()
            schedule_interval(lambda _dt: self.notifier.watchdog(), self.interval)
            log.info("systemd watchdog: pinging every %.1f s from the UI clock", self.interval)

    def stop(self) -> None:
        """Say the kiosk stops on purpose (systemd then does not count it as a hang); once only.

        Kivy dispatches ``on_stop`` twice when ``App.stop()`` ends the run (once in ``stop``,
        again as ``run`` returns), so repeats are ignored.
        """
        if self._started and not self._stopped:
            self._stopped = True
            self.notifier.stopping()
