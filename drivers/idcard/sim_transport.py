"""Serve a ``ReaderModel`` on a pseudo-terminal or a TCP socket, paced to the baud rate.

``PtyReaderSimulator`` serves it on a ``drivers.simlink.PtyLink``: the driver opens ``port``,
the slave's path (or a stable symlink to it, ``link=``), as if it were ``/dev/ttyUSB0``.
``unplug`` closes the pair and removes the link, as a pulled USB cable would; ``plug_in``
opens a new pair behind the same link. ``TcpReaderSimulator`` serves it on a
``drivers.simlink.TcpLink`` at ``url`` (``socket://127.0.0.1:PORT``), one client at a time.
The links own the pty, the socket and the serving thread; this module decodes the host's
frames, asks the model for each reply and sends it.

A pty moves bytes instantly, so with ``pace=True`` the simulator holds every frame for the
time its bytes take at ``baudrate`` 8N1 (10 bits a byte), in both directions: the bench
then measures the driver against real wire time.
"""

from __future__ import annotations

import time

from drivers.errors import ProtocolError
from drivers.idcard.protocol import FrameDecoder
from drivers.idcard.wire_simulator import ReaderModel, Reply
from drivers.simlink import PtyLink, SimLink, TcpLink

_CHUNK = 64  # bytes written between pacing checks


class _ReaderEnd:
    """The reader's end of a link: host frames in, the model's paced replies out."""

    _link: SimLink

    def __init__(self, model: ReaderModel, *, baudrate: int = 115200, pace: bool = False) -> None:
        self.model = model
        self.baudrate = baudrate
        self.pace = pace
        self._decoder = FrameDecoder()
        self._first_byte_at: float | None = None  # when the frame being received began

    def _byte_time(self, count: int) -> float:
        return count * 10 / self.baudrate if self.pace else 0.0

    def _connected(self) -> None:
        self._decoder = FrameDecoder()
        self._first_byte_at = None

    def _received(self, data: bytes) -> None:
        """Answer every whole frame in ``data`` (and what was buffered before it)."""
        decoder = self._decoder
        if self._first_byte_at is None:
            self._first_byte_at = time.monotonic()
        before = decoder.buffered + len(data)
        decoder.feed(data)
        while True:
            try:
                payload = decoder.next_payload()
            except ProtocolError as err:
                reply = self.model.handle_bad_frame(err)
            else:
                if payload is None:
                    return
                reply = self.model.handle_frame_payload(payload)
            # The command took its wire time to arrive; wait that out before answering.
            started = self._first_byte_at or time.monotonic()
            arrived = started + self._byte_time(before - decoder.buffered)
            self._sleep_until(arrived)
            if not self._send(reply):
                return
            self._first_byte_at = time.monotonic() if decoder.buffered else None
            before = decoder.buffered

    def _sleep_until(self, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining > 0:
            self._link.wait(remaining)

    def _send(self, reply: Reply) -> bool:
        for delay, chunk in reply.chunks:
            if delay and self._link.wait(delay):
                return False
            start = time.monotonic()
            for offset in range(0, len(chunk), _CHUNK):
                if not self._link.try_send(chunk[offset : offset + _CHUNK]):
                    return False
                self._sleep_until(start + self._byte_time(offset + _CHUNK))
            self._sleep_until(start + self._byte_time(len(chunk)))
        return True


class PtyReaderSimulator(_ReaderEnd):
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
        self._pty = PtyLink(self._received, link=link, on_connect=self._connected, name="idcard-pty-sim")
        self._link = self._pty

    @property
    def link(self) -> str | None:
        return self._pty.link

    @property
    def port(self) -> str:
        return self._pty.port

    @property
    def plugged(self) -> bool:
        return self._pty.plugged

    def start(self) -> PtyReaderSimulator:
        self._pty.start()
        return self

    def stop(self) -> None:
        self._pty.stop()

    def unplug(self) -> None:
        """Pull the cable: the pty closes and the link disappears."""
        self._pty.unplug()

    def plug_in(self) -> PtyReaderSimulator:
        """Plug back in: a new pty behind the same link."""
        return self.start()


class TcpReaderSimulator(_ReaderEnd):
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
        self._tcp = TcpLink(self._received, host=host, port=port, on_connect=self._connected, name="idcard-tcp-sim")
        self._link = self._tcp

    @property
    def url(self) -> str:
        return self._tcp.url

    def start(self) -> TcpReaderSimulator:
        self._tcp.start()
        return self

    def stop(self) -> None:
        self._tcp.stop()

    def unplug(self) -> None:
        """Drop the client and refuse new ones until ``plug_in``."""
        self._tcp.unplug()

    def plug_in(self) -> TcpReaderSimulator:
        return self.start()
