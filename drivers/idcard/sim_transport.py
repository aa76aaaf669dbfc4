"""Serve a ``ReaderModel`` on a pseudo-terminal or a TCP socket.

``PtyReaderSimulator`` opens a pty pair; the driver opens the slave's path (or a stable
symlink to it, ``link=``) as if it were ``/dev/ttyUSB0``. ``unplug`` closes the pair and
removes the link, as a pulled USB cable would; ``plug_in`` opens a new pair behind the same
link. ``TcpReaderSimulator`` listens on ``socket://127.0.0.1:PORT`` and serves one client
at a time.

A pty moves bytes instantly, so with ``pace=True`` the simulator holds every frame for the
time its bytes take at ``baudrate`` 8N1 (10 bits a byte), in both directions: the bench
then measures the driver against real wire time.
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

from drivers.errors import ProtocolError
from drivers.idcard.protocol import FrameDecoder
from drivers.idcard.wire_simulator import ReaderModel, Reply

_TICK = 0.05  # longest wait between checks of the stop flag
_CHUNK = 64


class _LinkServer:
    def __init__(self, model: ReaderModel, *, baudrate: int = 115200, pace: bool = False) -> None:
        self.model = model
        self.baudrate = baudrate
        self.pace = pace
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _byte_time(self, count: int) -> float:
        return count * 10 / self.baudrate if self.pace else 0.0

    def _start_thread(self, target: Callable[[], None], name: str) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=target, name=name, daemon=True)
        self._thread.start()

    def _stop_thread(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None

    def _serve(self, read: Callable[[float], bytes | None], write: Callable[[bytes], bool]) -> None:
        """Answer frames until ``read`` returns None (link closed) or the server stops."""
        decoder = FrameDecoder()
        first_byte_at: float | None = None
        while not self._stop.is_set():
            data = read(_TICK)
            if data is None:
                return
            if not data:
                continue
            if first_byte_at is None:
                first_byte_at = time.monotonic()
            before = decoder.buffered + len(data)
            decoder.feed(data)
            while True:
                try:
                    payload = decoder.next_payload()
                except ProtocolError as err:
                    reply = self.model.handle_bad_frame(err)
                else:
                    if payload is None:
                        break
                    reply = self.model.handle_frame_payload(payload)
                # The command took its wire time to arrive; wait that out before answering.
                started = first_byte_at or time.monotonic()
                arrived = started + self._byte_time(before - decoder.buffered)
                self._sleep_until(arrived)
                if not self._send(reply, write):
                    return
                first_byte_at = time.monotonic() if decoder.buffered else None
                before = decoder.buffered

    def _sleep_until(self, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining > 0:
            self._stop.wait(remaining)

    def _send(self, reply: Reply, write: Callable[[bytes], bool]) -> bool:
        for delay, chunk in reply.chunks:
            if delay:
                self._stop.wait(delay)
            start = time.monotonic()
            for offset in range(0, len(chunk), _CHUNK):
                if self._stop.is_set() or not write(chunk[offset : offset + _CHUNK]):
                    return False
                self._sleep_until(start + self._byte_time(offset + _CHUNK))
            self._sleep_until(start + self._byte_time(len(chunk)))
        return True


class PtyReaderSimulator(_LinkServer):
    """The reader on a pseudo-terminal; ``port`` is the path a driver opens."""

    def __init__(
        self,
        model: ReaderModel,
        *,
        link: str | None = None,
        baudrate: int = 115200,
        pace: bool = False,
    ) -> None:
        super().__init__(model, baudrate=baudrate, pace=pace)
        self.link = link
        self._master = -1
        self._slave = -1
        self._slave_name = ""

    @property
    def port(self) -> str:
        return self.link or self._slave_name

    @property
    def plugged(self) -> bool:
        return self._master >= 0

    def start(self) -> PtyReaderSimulator:
        if self.plugged:
            return self
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line editing, before any driver opens it
        self._slave_name = os.ttyname(self._slave)
        if self.link:
            tmp = f"{self.link}.new"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            os.symlink(self._slave_name, tmp)
            os.replace(tmp, self.link)
        self._start_thread(self._run, "idcard-pty-sim")
        return self

    def stop(self) -> None:
        self._stop_thread()
        for fd in (self._master, self._slave):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = -1
        if self.link:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.link)

    unplug = stop
    plug_in = start

    def _run(self) -> None:
        master = self._master

        def read(timeout: float) -> bytes | None:
            try:
                ready, _, _ = select.select([master], [], [], timeout)
                return os.read(master, 4096) if ready else b""
            except OSError:
                return None

        def write(data: bytes) -> bool:
            view = memoryview(data)
            while view and not self._stop.is_set():
                try:
                    _, ready, _ = select.select([], [master], [], _TICK)
                    if ready:
                        view = view[os.write(master, view) :]
                except OSError:
                    return False
            return not view

        self._serve(read, write)


class TcpReaderSimulator(_LinkServer):
    """The reader behind a TCP port on localhost; ``url`` is its pyserial URL."""

    def __init__(
        self,
        model: ReaderModel,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        baudrate: int = 115200,
        pace: bool = False,
    ) -> None:
        super().__init__(model, baudrate=baudrate, pace=pace)
        self._host = host
        self._port = port
        self._listener: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"socket://{self._host}:{self._port}"

    def start(self) -> TcpReaderSimulator:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self._host, self._port))
        listener.listen(1)
        self._port = listener.getsockname()[1]
        self._listener = listener
        self._start_thread(self._run, "idcard-tcp-sim")
        return self

    def stop(self) -> None:
        self._stop_thread()
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _run(self) -> None:
        assert self._listener is not None
        listener = self._listener
        while not self._stop.is_set():
            ready, _, _ = select.select([listener], [], [], _TICK)
            if not ready:
                continue
            conn, _ = listener.accept()
            with conn:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._serve(_socket_reader(conn), _socket_writer(conn))


def _socket_reader(conn: socket.socket) -> Callable[[float], bytes | None]:
    def read(timeout: float) -> bytes | None:
        try:
            ready, _, _ = select.select([conn], [], [], timeout)
            if not ready:
                return b""
            data = conn.recv(4096)
        except OSError:
            return None
        return data or None

    return read


def _socket_writer(conn: socket.socket) -> Callable[[bytes], bool]:
    def write(data: bytes) -> bool:
        try:
            conn.sendall(data)
        except OSError:
            return False
        return True

    return write
