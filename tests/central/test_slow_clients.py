"""Slow clients are cut off and never keep a prompt kiosk out (the real server, on loopback).

The timeouts are set low (``LIMITS``) so the test takes a few seconds; the bounds asserted
are generous multiples of them, since they only show the slow ones are closed at all.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from centre_support import KIOSK, Api, build_app

from central.server import ServerThread, serve_in_thread
from central.slow_clients import LOGGER_NAME, ClientLimits

LIMITS = ClientLimits(header_timeout_s=1.0, body_timeout_s=1.0, keep_alive_s=1.0,
                      max_connections=120, log_interval_s=60.0, log_burst=3)
BEAT = json.dumps({"terminal_id": "T001", "site_id": "community-1",
                   "sent_at": "2026-11-23T08:00:00Z", "software_version": "0.1.0",
                   "outbox_depth": 0}).encode()


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def centre(sqlite_url: str) -> Iterator[ServerThread]:
    running = serve_in_thread(build_app(sqlite_url), limits=LIMITS)
    yield running
    running.stop()


_opened: list[socket.socket] = []


@pytest.fixture(autouse=True)
def _close_sockets() -> Iterator[None]:
    yield
    while _opened:
        _opened.pop().close()


def connect(base_url: str) -> socket.socket:
    """A connection to the centre, closed after the test whatever happens."""
    address = urlsplit(base_url)
    sock = socket.create_connection((address.hostname, address.port), timeout=10)
    _opened.append(sock)
    return sock


def closed_by_centre(sock: socket.socket, deadline: float) -> bytes | None:
    """Read until the centre closes the connection; what it said, or None if still open."""
    said = b""
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            return None
        except ConnectionResetError:
            return said
        if not chunk:
            return said
        said += chunk
    return None


def test_slow_clients_are_cut_off_and_a_heartbeat_still_gets_through(
        centre: ServerThread) -> None:
    records = Records()
    logging.getLogger(LOGGER_NAME).addHandler(records)
    try:
        # 150 clients that send half a request and then nothing: more than max_connections.
        stalled = [connect(centre.base_url) for _ in range(150)]
        for sock in stalled:
            sock.sendall(b"POST /api/v1/heartbeats HTTP/1.1\r\nHost: cen")
        # 10 that send their headers, then dribble the body a byte at a time.
        dribblers = [connect(centre.base_url) for _ in range(10)]
        for sock in dribblers:
            sock.sendall(b"POST /api/v1/heartbeats HTTP/1.1\r\nHost: centre\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 1000\r\n"
                         b"Authorization: " + KIOSK["Authorization"].encode() + b"\r\n\r\n{")
        stop = threading.Event()

        def dribble() -> None:
            while not stop.wait(0.2):
                for sock in dribblers:
                    try:
                        sock.send(b" ")
                    except OSError:
                        pass

        dribbling = threading.Thread(target=dribble, daemon=True)
        dribbling.start()
        started = time.monotonic()
        with Api(centre.base_url) as api:
            answer = api.post("/api/v1/heartbeats", data=BEAT, timeout=5,
                              headers={**KIOSK, "Content-Type": "application/json"})
        assert answer.status_code == 200
        assert time.monotonic() - started < 5

        deadline = started + LIMITS.header_timeout_s + 4
        said = [closed_by_centre(sock, deadline) for sock in stalled]
        assert None not in said, "a stalled client was still connected"
        assert all(s == b"" or s.startswith((b"HTTP/1.1 408", b"HTTP/1.1 503")) for s in said)
        deadline = started + LIMITS.body_timeout_s + 4
        for sock in dribblers:
            told = closed_by_centre(sock, deadline)
            assert told is not None, "a dribbling client was still connected"
            assert told.startswith(b"HTTP/1.1 408")
        stop.set()
        dribbling.join(2)
        for sock in stalled + dribblers:
            sock.close()
    finally:
        logging.getLogger(LOGGER_NAME).removeHandler(records)
    # 160 clients cut off, but the log says so a few times per kind, not 160 times.
    assert records.records
    by_kind: dict[str, int] = {}
    for record in records.records:
        by_kind[str(record.msg)] = by_kind.get(str(record.msg), 0) + 1
    assert max(by_kind.values()) <= LIMITS.log_burst


def test_a_kept_alive_connection_cannot_stall_its_next_request(centre: ServerThread) -> None:
    sock = connect(centre.base_url)
    request = (b"POST /api/v1/heartbeats HTTP/1.1\r\nHost: centre\r\nContent-Type: "
               b"application/json\r\nAuthorization: " + KIOSK["Authorization"].encode()
               + b"\r\nContent-Length: " + str(len(BEAT)).encode() + b"\r\n\r\n" + BEAT)
    sock.sendall(request)
    answer = b""
    while b"catalog_version" not in answer:
        answer += sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 200")
    sock.sendall(b"P")  # one byte cancels the keep-alive timer; the header timer takes over
    told = closed_by_centre(sock, time.monotonic() + LIMITS.header_timeout_s + 4)
    assert told is not None and told.startswith(b"HTTP/1.1 408")
    sock.close()


def test_a_connection_that_sends_nothing_is_closed_silently(centre: ServerThread) -> None:
    sock = connect(centre.base_url)
    assert closed_by_centre(sock, time.monotonic() + LIMITS.header_timeout_s + 4) == b""
    sock.close()


def test_connections_per_address_can_be_capped(sqlite_url: str) -> None:
    limits = ClientLimits(header_timeout_s=5.0, max_per_address=3)
    running = serve_in_thread(build_app(sqlite_url), limits=limits)
    try:
        held = [connect(running.base_url) for _ in range(3)]
        extra = connect(running.base_url)
        told = closed_by_centre(extra, time.monotonic() + 4)
        assert told is not None and told.startswith(b"HTTP/1.1 503")
        for sock in [*held, extra]:
            sock.close()
    finally:
        running.stop()
