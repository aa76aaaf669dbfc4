"""Rate limits for the anonymous receipt lookup (``GET /api/v1/lookup/{case_number}``).

Two token buckets guard each lookup: one per lookup token (a receipt whose QR was copied
cannot be polled without end) and one per client address (nobody can try tokens at speed;
128 random bits are beyond guessing anyway). A refused lookup is answered ``429`` with
``Retry-After``: the whole seconds until the emptier bucket holds a request again.

The buckets live in this process's memory (bounded: the least recently used keys are
dropped beyond ``max_keys``). With several service processes each keeps its own, so the
effective limit is the per-process limit times the processes a client reaches; see
``central/SCALING.md``. The address is the TCP peer's: behind a reverse proxy, every lookup
shares the proxy's address unless the proxy enforces its own per-client limit.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    """``burst`` requests at once, refilled at ``per_minute`` a minute."""

    burst: int
    per_minute: float


DEFAULT_PER_TOKEN = Rate(burst=5, per_minute=10)
DEFAULT_PER_ADDRESS = Rate(burst=20, per_minute=60)


class Buckets:
    """Token buckets by key, in memory, safe across threads."""

    def __init__(self, rate: Rate, clock: Callable[[], float], max_keys: int) -> None:
        self.rate = rate
        self._clock = clock
        self._max_keys = max_keys
        self._lock = threading.Lock()
        self._held: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def take(self, key: str) -> float:
        """Take one request for ``key``; return 0 when allowed, else seconds until one is."""
        now = self._clock()
        per_second = self.rate.per_minute / 60
        with self._lock:
            tokens, at = self._held.pop(key, (float(self.rate.burst), now))
            tokens = min(float(self.rate.burst), tokens + (now - at) * per_second)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / per_second
            self._held[key] = (tokens, now)
            while len(self._held) > self._max_keys:
                self._held.popitem(last=False)
        return wait


class LookupLimits:
    """The per-token and per-address limits of anonymous lookups."""

    def __init__(
        self,
        per_token: Rate = DEFAULT_PER_TOKEN,
        per_address: Rate = DEFAULT_PER_ADDRESS,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.tokens = Buckets(per_token, clock, max_keys)
        self.addresses = Buckets(per_address, clock, max_keys)

    def retry_after(self, token: str, address: str) -> int:
        """Count a lookup; return 0 when it may go ahead, else whole seconds to wait."""
        by_address = self.addresses.take(address)
        if by_address:
            return max(1, math.ceil(by_address))  # a refused address spends no token's budget
        token_key = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
        by_token = self.tokens.take(token_key)
        return max(1, math.ceil(by_token)) if by_token else 0
