"""A fault-injecting proxy on loopback between a kiosk and the centre.

It speaks just enough HTTP/1.1 to find where each request and response ends (head, then a
``Content-Length`` body), so it can put a fault at a precise point of each exchange:

- ``PASS``             forward the request, return the answer.
- ``RESET_AT_ONCE``    read the request, then reset the connection without forwarding it.
- ``ANSWER_503``       answer 503 without forwarding (the centre never sees the case).
- ``ANSWER_500_AFTER`` forward, let the centre store the case, answer 500 instead of its ack.
- ``SLOW``             forward, then hold the answer for ``slow_s`` seconds (10 by default).
- ``RESET_IN_REQUEST`` forward half the request body upstream, then reset both sides.
- ``RESET_IN_ANSWER``  forward, send the head and half the body of the answer, then reset.

``down()`` closes the listening socket (connections are refused, as with a centre that is
off) and ``up()`` opens it again on the same port. Each request draws its fault from
``choose(n)``, ``n`` counting requests from 0, unless ``choose_by_head(head)`` names one for
that request (its request line and headers, e.g. only the booking POST); ``counts`` tallies
what was done.
"""

from __future__ import annotations

import enum
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable


class Fault(enum.Enum):
    PASS = "pass"
    RESET_AT_ONCE = "reset_at_once"
    ANSWER_503 = "answer_503"
    ANSWER_500_AFTER = "answer_500_after"
    SLOW = "slow"
    RESET_IN_REQUEST = "reset_in_request"
    RESET_IN_ANSWER = "reset_in_answer"


class _Closed(Exception):
    pass


def _reset(sock: socket.socket) -> None:
    """Close with RST rather than FIN: the peer sees 'connection reset by peer'."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def _read_message(sock: socket.socket, buffer: bytearray) -> tuple[bytes, bytes]:
    """Read one HTTP message (head, body) from ``sock``; leftovers stay in ``buffer``."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed()
        buffer += chunk
    end = buffer.index(b"\r\n\r\n") + 4
    head = bytes(buffer[:end])
    del buffer[:end]
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(buffer) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed()
        buffer += chunk
    body = bytes(buffer[:length])
    del buffer[:length]
    return head, body


def _canned(status: int, reason: str) -> bytes:
    body = b'{"detail": "injected fault"}'
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\n\r\n").encode() + body


class FaultProxy:
    def __init__(self, upstream_port: int, choose: Callable[[int], Fault] | None = None,
                 *, slow_s: float = 10.0, choose_by_head: Callable[[bytes], Fault | None] | None = None) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.choose = choose or (lambda n: Fault.PASS)
        self.choose_by_head = choose_by_head
        self.slow_s = slow_s
        self.counts: Counter[Fault] = Counter()
        self._lock = threading.Lock()
        self._requests = 0
        self._stopping = threading.Event()
        self._listener: socket.socket | None = None
        self.port = 0
        self.up()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> None:
        """Listen (again) on the proxy's port."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        """Stop listening: new connections are refused."""
        if self._listener is not None:
            listener, self._listener = self._listener, None
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()

    def stop(self) -> None:
        self._stopping.set()
        self.down()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _next_fault(self, head: bytes) -> Fault:
        with self._lock:
            named = self.choose_by_head(head) if self.choose_by_head is not None else None
            fault = named if named is not None else self.choose(self._requests)
            self._requests += 1
            self.counts[fault] += 1
        return fault

    def _serve(self, client: socket.socket) -> None:
        buffer = bytearray()
        try:
            while not self._stopping.is_set():
                head, body = _read_message(client, buffer)
                fault = self._next_fault(head)
                if fault is Fault.RESET_AT_ONCE:
                    _reset(client)
                    return
                if fault is Fault.ANSWER_503:
                    client.sendall(_canned(503, "Service Unavailable"))
                    continue
                with socket.create_connection(self.upstream, timeout=30) as upstream:
                    if fault is Fault.RESET_IN_REQUEST:
                        upstream.sendall(head + body[: len(body) // 2])
                        _reset(upstream)
                        _reset(client)
                        return
                    upstream.sendall(head + body)
                    answer_head, answer_body = _read_message(upstream, bytearray())
                if fault is Fault.ANSWER_500_AFTER:
                    client.sendall(_canned(500, "Internal Server Error"))
                elif fault is Fault.SLOW:
                    if self._stopping.wait(self.slow_s):
                        return
                    client.sendall(answer_head + answer_body)
                elif fault is Fault.RESET_IN_ANSWER:
                    client.sendall(answer_head + answer_body[: len(answer_body) // 2])
                    _reset(client)
                    return
                else:
                    client.sendall(answer_head + answer_body)
        except (_Closed, OSError):
            pass
        finally:
            try:
                client.close()
            except OSError:
                pass
