"""Slow and idle clients: read timeouts, a connection cap, and a log that does not flood.

uvicorn (h11) bounds how long an idle keep-alive connection stays open, but not how long a
client may take to send its request: a connection that sends half a request line, or headers
and then a byte of body a minute, holds a file descriptor for ever, and the first byte after
a response even cancels the keep-alive timer. 150 of them starved the centre. ``guarded``
makes an ``H11Protocol`` subclass that adds, per connection (``ClientLimits``):

- ``header_timeout_s``: from the connection being made, or from the first byte of the next
  request on a keep-alive connection, to the end of the request's headers;
- ``body_timeout_s``: from the end of the headers to the end of the body;
- ``max_connections``: when that many are open, a new connection closes the one that has
  waited longest for a request (one not yet sent, or half sent); when every connection has a
  request in progress, the new one is answered 503 and closed. A slow client thus never
  keeps a prompt one out. ``max_per_address`` (off by default: behind a load balancer every
  connection comes from its address) answers 503 past that many from one address.

A client cut off while sending its request gets ``408 Request Timeout`` and the connection is
closed; the application, if it was waiting for the body, sees the client disconnect.
``keep_alive_s`` goes to uvicorn's ``timeout_keep_alive`` and ``max_header_bytes`` to its
``h11_max_incomplete_event_size`` (``uvicorn_options``).

The protocol logs through ``uvicorn.error.connections`` with ``RepeatLimit``: at most
``log_burst`` lines with the same template per ``log_interval_s``, then one line saying how
many were left out. Log lines name the peer's address only.

(uvicorn's ``limit_concurrency`` is not used: it counts open connections too, so slow clients
would make it refuse the prompt ones.)
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

LOGGER_NAME = "uvicorn.error.connections"

_TIMEOUT_ANSWER = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain\r\n"
                   b"content-length: 16\r\nconnection: close\r\n\r\nrequest too slow")
_BUSY_ANSWER = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\n"
                b"content-length: 19\r\nconnection: close\r\nretry-after: 1\r\n\r\n"
                b"too many connections")


@dataclass(frozen=True)
class ClientLimits:
    """How long a client may take to send a request, and how many may be connected."""

    header_timeout_s: float = 10.0
    body_timeout_s: float = 30.0
    keep_alive_s: float = 5.0
    max_connections: int = 4096
    max_per_address: int | None = None
    max_header_bytes: int = 16 * 1024
    log_interval_s: float = 60.0
    log_burst: int = 5

    def uvicorn_options(self) -> dict[str, Any]:
        """Keyword arguments for ``uvicorn.Config`` / ``uvicorn.run`` that apply these limits."""
        return {"http": guarded(self), "timeout_keep_alive": self.keep_alive_s,
                "h11_max_incomplete_event_size": self.max_header_bytes}


class RepeatLimit(logging.Filter):
    """Let through ``burst`` records per template per ``interval`` s; count the rest."""

    def __init__(self, interval: float, burst: int) -> None:
        super().__init__()
        self.interval, self.burst = interval, burst
        self._windows: dict[tuple[int, str], list[float]] = {}  # key → [start, passed, held]

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.levelno, str(record.msg))
        now = time.monotonic()
        window = self._windows.get(key)
        if window is None or now - window[0] >= self.interval:
            held = int(window[2]) if window is not None else 0
            self._windows[key] = [now, 1, 0]
            if held:
                record.msg = f"{record.msg} ({held} more like this in the last %.0f s)"
                record.args = (*_args(record.args), self.interval)
            return True
        if window[1] < self.burst:
            window[1] += 1
            return True
        window[2] += 1
        return False


def _args(args: Any) -> tuple[Any, ...]:
    if args is None:
        return ()
    return args if isinstance(args, tuple) else (args,)


def guarded(limits: ClientLimits) -> type[H11Protocol]:
    """Return an ``H11Protocol`` subclass that applies ``limits`` (give it as ``http=``)."""
    logger = logging.getLogger(LOGGER_NAME)
    for old in [f for f in logger.filters if isinstance(f, RepeatLimit)]:
        logger.removeFilter(old)
    logger.addFilter(RepeatLimit(limits.log_interval_s, limits.log_burst))

    class GuardedH11Protocol(_Guarded):
        pass

    GuardedH11Protocol.limits = limits
    return GuardedH11Protocol


class _Guarded(H11Protocol):
    limits: ClientLimits = ClientLimits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.logger = logging.getLogger(LOGGER_NAME)
        if self.logger.level == logging.NOTSET:
            self.logger.setLevel(logging.getLogger("uvicorn.error").getEffectiveLevel())
        self._timer: asyncio.TimerHandle | None = None
        self._timer_phase = ""
        # Since when it waits for a request; None while one is in progress.
        self._waiting_since: float | None = time.monotonic()
        self._got_bytes = False

    # --- connection life --------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if not self._admit():
            return
        self._waiting_since = time.monotonic()
        self._arm("header", self.limits.header_timeout_s)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._timer is None and self._between_requests():
            # The first byte of a request on a kept-alive connection: its headers are due.
            self._arm("header", self.limits.header_timeout_s)
        self._got_bytes = True
        super().data_received(data)
        self._follow_state()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow_state()

    # --- phases -----------------------------------------------------------------------

    def _between_requests(self) -> bool:
        return self.conn.their_state is h11.IDLE and (
            self.cycle is None or self.cycle.response_complete)

    def _follow_state(self) -> None:
        """Keep the timer that fits where the request is: headers, body, or none."""
        if self.transport.is_closing():
            self._disarm()
            return
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            self._waiting_since = None
            if self._timer_phase != "body":
                self._arm("body", self.limits.body_timeout_s)
        elif state is h11.IDLE and self._between_requests():
            if self._waiting_since is None:  # a response just finished: keep-alive wait
                self._waiting_since = time.monotonic()
                self._got_bytes = False
                self._disarm()  # uvicorn's keep-alive timer runs until the next byte
        else:
            self._waiting_since = None
            self._disarm()

    def _arm(self, phase: str, seconds: float) -> None:
        self._disarm()
        self._timer_phase = phase
        self._timer = self.loop.call_later(seconds, self._timed_out, phase)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer, self._timer_phase = None, ""

    def _timed_out(self, phase: str) -> None:
        self._timer, self._timer_phase = None, ""
        if self.transport.is_closing():
            return
        seconds = (self.limits.header_timeout_s if phase == "header"
                   else self.limits.body_timeout_s)
        self.logger.warning("%s: closed a connection whose request %s took over %s s",
                            self._peer(), "headers" if phase == "header" else "body", seconds)
        responding = (self.cycle is not None and self.cycle.response_started
                      and not self.cycle.response_complete)
        if self._got_bytes and not responding:
            self.transport.write(_TIMEOUT_ANSWER)
        self.transport.close()

    # --- admission --------------------------------------------------------------------

    def _admit(self) -> bool:
        limits = self.limits
        if limits.max_per_address is not None and self.client is not None:
            host = self.client[0]
            same = sum(1 for c in self.connections
                       if isinstance(c, H11Protocol) and c.client and c.client[0] == host)
            if same > limits.max_per_address:
                self.logger.warning("%s: refused a connection: over %d from this address",
                                    self._peer(), limits.max_per_address)
                self._refuse()
                return False
        if len(self.connections) <= limits.max_connections:
            return True
        idle = [c for c in self.connections
                if isinstance(c, _Guarded) and c is not self and c._waiting_since is not None
                and not c.transport.is_closing()]
        if idle:
            oldest = min(idle, key=lambda c: c._waiting_since or 0.0)
            self.logger.warning("%s: closed the connection that waited longest for a request "
                                "(%d open)", oldest._peer(), len(self.connections))
            oldest._disarm()
            if oldest._got_bytes:
                oldest.transport.write(_TIMEOUT_ANSWER)
            oldest.transport.close()
            self.connections.discard(oldest)
            return True
        self.logger.warning("%s: refused a connection: %d open, all busy",
                            self._peer(), len(self.connections))
        self._refuse()
        return False

    def _refuse(self) -> None:
        self.connections.discard(self)
        self.transport.write(_BUSY_ANSWER)
        self.transport.close()

    def _peer(self) -> str:
        return f"{self.client[0]}:{self.client[1]}" if self.client else "?"
