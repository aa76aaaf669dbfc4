"""The wire a simulated device is reached over: a pseudo-terminal or a loopback TCP port.

Every wire simulator (ID-card reader, serial QR scanner, receipt printer) is the far end of
a real driver. This module is the part they share; each device model only says what to do
with the bytes the host sends (``on_receive``) and what to send back (``send``).

- ``PtyLink(on_receive, link=None)``: a pty pair in raw mode (no echo, no line editing).
  The driver opens ``port``, the slave's path, or ``link``, a symlink to it that stays put
  across re-plugging, as ``/dev/ttyUSB0``. ``unplug`` closes the pair and removes the symlink,
  as a pulled USB cable does (the driver's reads and writes fail); ``plug_in`` opens a new
  pair behind the same symlink.
- ``TcpLink(on_receive, port=0)``: listens on ``socket://127.0.0.1:PORT`` (``url``), one host
  at a time, as a network printer's port 9100 or a serial server. ``unplug`` drops the host
  and refuses new ones (accepted and closed at once) until ``plug_in``; the port stays.

Each link runs one serving thread. It hands every chunk the host sends to ``on_receive``,
and calls ``on_connect`` first for each new host (a TCP client accepted, a pty plugged in),
so the model can forget half-read input. ``send`` may be called from any thread (the serving
thread included); it writes all the bytes or raises ``DeviceNotFound`` (no host, or the link
went down) or ``TimeoutError`` (the host does not read). ``wait(seconds)`` sleeps unless the
link stops, for models that pace their replies. ``stop`` ends the thread and closes every
descriptor and the symlink; a stopped link can be started again.

A pty or loopback socket moves bytes instantly; ``PacedReceiver(on_receive, baudrate, wait)``
wrapped around a model's ``on_receive`` hands it the host's bytes only as fast as a serial
wire at ``baudrate`` 8N1 (10 bits a byte) would, so a benchmark measures against real wire
time. The host's writes then block as they would on a real port once the pty's buffer fills.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
import tty
from collections.abc import Callable
from typing import Protocol

from drivers.errors import DeviceNotFound

__all__ = ["PacedReceiver", "PtyLink", "SimLink", "TcpLink"]

TICK = 0.05  # the longest the serving thread or a sender goes without checking for a stop
_READ_SIZE = 4096


class PacedReceiver:
    """Deliver the host's bytes to ``on_receive`` no faster than a ``baudrate`` 8N1 wire."""

    CHUNK = 64  # bytes handed over at a time

    def __init__(self, on_receive: Callable[[bytes], None], baudrate: int, wait: Callable[[float], bool]) -> None:
        self._on_receive = on_receive
        self._byte_time = 10 / baudrate
        self._wait = wait  # sleeps; True when the link is stopping
        self._free_at = 0.0  # when the wire has carried everything received so far

    def __call__(self, data: bytes) -> None:
        at = max(time.monotonic(), self._free_at)
        for offset in range(0, len(data), self.CHUNK):
            chunk = data[offset : offset + self.CHUNK]
            at += len(chunk) * self._byte_time
            delay = at - time.monotonic()
            if delay > 0 and self._wait(delay):
                return
            self._on_receive(chunk)
        self._free_at = at


class _Channel(Protocol):
    """One open connection to the host: a pty master or an accepted socket, non-blocking."""

    def fileno(self) -> int: ...

    def read(self) -> bytes: ...

    def write(self, data: memoryview) -> int: ...

    def close(self) -> None: ...


class _PtyMaster:
    def __init__(self, fd: int) -> None:
        self._fd = fd

    def fileno(self) -> int:
        return self._fd

    def read(self) -> bytes:
        return os.read(self._fd, _READ_SIZE)

    def write(self, data: memoryview) -> int:
        return os.write(self._fd, data)

    def close(self) -> None:
        fd, self._fd = self._fd, -1  # a late reader gets EBADF, never a reused descriptor
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)


class _Client:
    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock

    def fileno(self) -> int:
        return self._sock.fileno()

    def read(self) -> bytes:
        data = self._sock.recv(_READ_SIZE)
        if not data:
            raise ConnectionResetError("the host closed the connection")
        return data

    def write(self, data: memoryview) -> int:
        return self._sock.send(data)

    def close(self) -> None:
        self._sock.close()


class SimLink:
    """The serving thread and the send path shared by ``PtyLink`` and ``TcpLink``."""

    def __init__(
        self,
        on_receive: Callable[[bytes], None],
        *,
        on_connect: Callable[[], None] | None = None,
        name: str = "sim-link",
    ) -> None:
        self._on_receive = on_receive
        self._on_connect = on_connect or (lambda: None)
        self._name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._write_lock = threading.Lock()  # one whole ``send`` at a time
        self._channel: _Channel | None = None  # where ``send`` writes; None: no host

    # --- for the device model -------------------------------------------------------------

    def send(self, data: bytes, *, timeout: float = 5.0) -> None:
        """Write all of ``data`` to the host, waiting while it does not read."""
        deadline = time.monotonic() + timeout
        view = memoryview(data)
        with self._write_lock:
            channel = self._channel
            while view:
                if channel is None or channel is not self._channel or self._stop.is_set():
                    raise DeviceNotFound(f"{self._name}: no host on the link")
                try:
                    _, ready, _ = select.select([], [channel], [], TICK)
                    if ready:
                        view = view[channel.write(view) :]
                except BlockingIOError:
                    pass
                except (OSError, ValueError) as err:  # the host or the link went away
                    raise DeviceNotFound(f"{self._name}: the link went down") from err
                if view and time.monotonic() > deadline:
                    raise TimeoutError(f"{self._name}: the host did not read")

    def try_send(self, data: bytes, *, timeout: float = 5.0) -> bool:
        """Send ``data``; False if it was lost because the host is gone or does not read."""
        try:
            self.send(data, timeout=timeout)
        except (DeviceNotFound, TimeoutError):
            return False
        return True

    def wait(self, seconds: float) -> bool:
        """Sleep ``seconds``; True at once if the link is stopping."""
        return self._stop.wait(seconds)

    # --- the serving thread ---------------------------------------------------------------

    def _start_thread(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
            self._thread.start()

    def _stop_thread(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2.0)

    def _serve(self) -> None:
        raise NotImplementedError

    def _read_from(self, channel: _Channel) -> bytes | None:
        """The next chunk from the host: b"" for nothing yet, None when the host has gone."""
        try:
            ready, _, _ = select.select([channel], [], [], TICK)
            return channel.read() if ready else b""
        except BlockingIOError:
            return b""
        except (OSError, ValueError):
            return None

    def _deliver(self, data: bytes) -> None:
        try:
            self._on_receive(data)
        except (DeviceNotFound, TimeoutError):
            pass  # the link went down in the middle of the model's reply

    def _hang_up(self, channel: _Channel | None) -> None:
        """Close ``channel`` once no sender is writing to it."""
        if channel is None:
            return
        if self._channel is channel:
            self._channel = None  # a sender stops within a tick and lets go of the lock
        with self._write_lock:
            channel.close()


class PtyLink(SimLink):
    """Serve a device on a pseudo-terminal; the driver opens ``port``."""

    def __init__(
        self,
        on_receive: Callable[[bytes], None],
        *,
        link: str | None = None,
        on_connect: Callable[[], None] | None = None,
        name: str = "sim-pty",
    ) -> None:
        super().__init__(on_receive, on_connect=on_connect, name=name)
        self.link = link
        self._slave = -1
        self._slave_name = ""

    @property
    def port(self) -> str:
        """The path a driver opens: the symlink if there is one, else the slave's path."""
        return self.link or self._slave_name

    @property
    def plugged(self) -> bool:
        return self._slave >= 0

    def open(self) -> PtyLink:
        """Open the pty pair (and point the symlink at it), not yet serving."""
        if self.plugged:
            return self
        master, slave = os.openpty()
        tty.setraw(slave)  # before any driver opens it
        tty.setraw(master)
        os.set_blocking(master, False)
        self._channel, self._slave = _PtyMaster(master), slave
        self._slave_name = os.ttyname(slave)
        if self.link:
            staged = f"{self.link}.new"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(staged)
            os.symlink(self._slave_name, staged)
            os.replace(staged, self.link)  # the driver never sees the link missing mid-swap
        return self

    def start(self) -> PtyLink:
        """Plug in and serve."""
        self.open()
        self._start_thread()
        return self

    def stop(self) -> None:
        """Unplug: stop serving, close both ends, remove the symlink."""
        self._stop_thread()
        if self.link:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.link)
        self._hang_up(self._channel)
        if self._slave >= 0:
            with contextlib.suppress(OSError):
                os.close(self._slave)
            self._slave = -1

    plug_in = start
    unplug = stop

    def _serve(self) -> None:
        channel = self._channel
        if channel is None:
            return
        self._on_connect()
        while not self._stop.is_set():
            data = self._read_from(channel)
            if data is None:  # no host has the slave open (or it is closing): keep waiting
                self._stop.wait(TICK)
            elif data:
                self._deliver(data)


class TcpLink(SimLink):
    """Serve a device on a loopback TCP port, one host at a time; the driver opens ``url``."""

    def __init__(
        self,
        on_receive: Callable[[bytes], None],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        on_connect: Callable[[], None] | None = None,
        name: str = "sim-tcp",
    ) -> None:
        super().__init__(on_receive, on_connect=on_connect, name=name)
        self.host = host
        self._port = port
        self._listener: socket.socket | None = None
        self._accepting = True

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"socket://{self.host}:{self._port}"

    @property
    def plugged(self) -> bool:
        return self._accepting

    def open(self) -> TcpLink:
        """Listen (so ``port`` is known), not yet serving."""
        if self._listener is None:
            self._listener = socket.create_server((self.host, self._port))
            self._port = self._listener.getsockname()[1]
        return self

    def start(self) -> TcpLink:
        """Listen and serve."""
        self.open()
        self._accepting = True
        self._start_thread()
        return self

    def stop(self) -> None:
        """Stop serving, drop the host and close the port."""
        self._stop_thread()
        self._hang_up(self._channel)
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def unplug(self) -> None:
        """Drop the host and refuse new ones until ``plug_in``, keeping the port."""
        self._accepting = False
        self._hang_up(self._channel)

    def plug_in(self) -> None:
        self.start()

    def _serve(self) -> None:
        listener = self._listener
        if listener is None:
            return
        while not self._stop.is_set():
            channel = self._channel
            if channel is None:
                self._accept(listener)
                continue
            data = self._read_from(channel)
            if data is None:  # the host hung up, or ``unplug`` dropped it
                self._hang_up(channel)
            elif data:
                self._deliver(data)

    def _accept(self, listener: socket.socket) -> None:
        try:
            ready, _, _ = select.select([listener], [], [], TICK)
            if not ready:
                return
            sock, _ = listener.accept()
        except OSError:
            return
        if not self._accepting:
            sock.close()  # unplugged: the connection opens and drops at once
            return
        self._channel = _Client(sock)
        self._on_connect()
