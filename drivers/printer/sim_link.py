"""Links that serve a ``WireSimulator`` the way a real printer is reached.

``PtyLink``: a pseudo-terminal in raw mode; the driver opens ``link.path`` as a serial port.
``TcpLink``: a local TCP port; the driver connects as to a network printer's port 9100.
"""

from __future__ import annotations

import os
import select
import socket
import threading
import tty

from drivers.printer.wire_simulator import WireSimulator


class PtyLink:
    """Serve a simulator on a pseudo-terminal; the driver opens ``path``."""

    def __init__(self, simulator: WireSimulator) -> None:
        self.simulator = simulator
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        tty.setraw(self._master)
        self.path = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._write_lock = threading.Lock()
        simulator.send = self._send
        self._thread = threading.Thread(target=self._serve, name="printer-sim-pty", daemon=True)

    def start(self) -> PtyLink:
        self._thread.start()
        return self

    def _send(self, data: bytes) -> None:
        with self._write_lock:
            try:
                os.write(self._master, data)
            except OSError:
                pass

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self._master, 4096)
                except OSError:
                    continue
                self.simulator.feed(data)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(1)
        for fd in (self._master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass


class TcpLink:
    """Serve a simulator on a local TCP port, one client at a time; ``port`` is where."""

    def __init__(self, simulator: WireSimulator, port: int = 0) -> None:
        self.simulator = simulator
        self._server = socket.create_server(("127.0.0.1", port))
        self._server.settimeout(0.05)
        self.port = self._server.getsockname()[1]
        self._client: socket.socket | None = None
        self._stop = threading.Event()
        simulator.send = self._send
        self._thread = threading.Thread(target=self._serve, name="printer-sim-tcp", daemon=True)

    def start(self) -> TcpLink:
        self._thread.start()
        return self

    def _send(self, data: bytes) -> None:
        client = self._client
        if client is not None:
            try:
                client.sendall(data)
            except OSError:
                pass

    def drop_client(self) -> None:
        """Close the current connection, as a printer that loses power does."""
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            if self._client is None:
                try:
                    client, _ = self._server.accept()
                except (TimeoutError, OSError):
                    continue
                if not self.simulator.powered:
                    client.close()
                    continue
                client.settimeout(0.05)
                self._client = client
                continue
            try:
                data = self._client.recv(4096)
            except TimeoutError:
                continue
            except (OSError, AttributeError):
                self._client = None
                continue
            if not data:
                self.drop_client()
                continue
            self.simulator.feed(data)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(1)
        self.drop_client()
        self._server.close()
