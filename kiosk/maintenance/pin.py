"""The technician PIN: an Argon2id hash in a 0600 file, and a lockout that grows.

There is never a default PIN: until ``kiosk provision --pin`` sets one, PIN entry is refused.
A PIN is 6 to 12 digits and not trivial (one digit repeated, or a run such as ``123456`` or
``987654``). After ``FREE_TRIES`` wrong PINs in a row, entry is locked, and each further wrong one locks it
again, for a delay that doubles (30 s, 60 s, 120 s, … at most an hour). The count of failures and the
end of the lockout live in a file beside the hash, on the wall clock, so a restart does not
reset them; a right PIN resets them.

Files in ``data_dir``: ``technician-pin`` (the hash, as argon2-cffi encodes it) and
``technician-pin-lockout.json`` (``{"failures": n, "locked_until": unix seconds}``).
"""

from __future__ import annotations

import enum
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kiosk.delivery.private_files import fsync_dir
from kiosk.maintenance.state_file import read_state, write_state

PIN_FILE = "technician-pin"
LOCKOUT_FILE = "technician-pin-lockout.json"
MIN_DIGITS, MAX_DIGITS = 6, 12
FREE_TRIES = 3
FIRST_DELAY_S = 30.0
MAX_DELAY_S = 3600.0
NOT_SET = "未设置维护密码：请用 kiosk provision 设置"


class PinRefused(ValueError):
    """A new PIN that may not be used; ``str()`` says why, in the technician's words."""


class PinOutcome(enum.StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    NOT_SET = "not_set"
    REFUSED = "refused"  # not now: a resident is being served


@dataclass(frozen=True)
class PinResult:
    """What became of one PIN entry."""

    outcome: PinOutcome
    tries_left: int | None = None  # before the next lockout, after a wrong PIN
    locked_until: float | None = None  # Unix seconds, while locked
    wait_s: float = 0.0  # seconds until the PIN pad takes a PIN again

    @property
    def ok(self) -> bool:
        return self.outcome is PinOutcome.OK

    @property
    def message(self) -> str:
        """One line for the PIN pad."""
        match self.outcome:
            case PinOutcome.OK:
                return "密码正确"
            case PinOutcome.WRONG if self.tries_left:
                return f"密码错误：还可尝试 {self.tries_left} 次"
            case PinOutcome.WRONG | PinOutcome.LOCKED:
                return f"密码错误次数过多：请 {max(1, int(self.wait_s + 0.999))} 秒后再试"
            case PinOutcome.NOT_SET:
                return NOT_SET
            case PinOutcome.REFUSED:
                return "正在为居民服务：请在待机画面进入维护"
        return ""


def check_new_pin(pin: str) -> None:
    """Refuse a PIN that is not 6-12 digits or is trivial; raise ``PinRefused`` saying why."""
    if not (pin.isascii() and pin.isdigit()) or not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        raise PinRefused(f"维护密码须为 {MIN_DIGITS} 至 {MAX_DIGITS} 位数字")
    if len(set(pin)) == 1:
        raise PinRefused("维护密码不能全为同一数字")
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({1}, {9}):
        raise PinRefused("维护密码不能是连续数字（如 123456、987654）")


def lockout_delay(failures: int) -> float:
    """Seconds entry stays locked after ``failures`` wrong PINs in a row."""
    if failures < FREE_TRIES:
        return 0.0
    return min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** min(failures - FREE_TRIES, 20))


class PinStore:
    """The technician PIN of one kiosk. Safe to share between threads."""

    def __init__(self, data_dir: Path, clock: Callable[[], float] = time.time) -> None:
        self.pin_path = Path(data_dir) / PIN_FILE
        self.lockout_path = Path(data_dir) / LOCKOUT_FILE
        self.clock = clock  # wall-clock seconds: a lockout outlives a restart
        # Argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane): about 50 ms, where argon2-cffi's
        # default (64 MiB, 3 passes, 4 lanes) takes 0.5-1 s on a kiosk's two cores, on the UI
        # thread. A 6-12 digit PIN is not kept safe by the hash's cost but by the lockout and
        # the file's mode; each hash names its own parameters, so older ones still verify.
        self._hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
        self._lock = threading.Lock()

    @property
    def is_set(self) -> bool:
        return self.pin_path.is_file()

    def set_pin(self, pin: str) -> None:
        """Hash and store a new PIN (raises ``PinRefused``); the lockout starts afresh."""
        check_new_pin(pin)
        encoded = self._hasher.hash(pin)
        with self._lock:
            self.pin_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            draft = self.pin_path.with_name(f".{PIN_FILE}.{os.getpid()}.tmp")
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(encoded + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(draft, self.pin_path)
            fsync_dir(self.pin_path.parent)
            write_state(self.lockout_path, {"failures": 0, "locked_until": 0.0})

    def verify(self, pin: str) -> PinResult:
        """Check ``pin``; while locked, nothing is checked and nothing counts."""
        with self._lock:
            try:
                encoded = self.pin_path.read_text(encoding="ascii").strip()
            except FileNotFoundError:
                return PinResult(PinOutcome.NOT_SET)
            failures, locked_until = self._lockout()
            now = self.clock()
            if now < locked_until:
                return PinResult(PinOutcome.LOCKED, locked_until=locked_until, wait_s=locked_until - now)
            try:
                self._hasher.verify(encoded, pin)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                failures += 1
                delay = lockout_delay(failures)
                until = now + delay if delay else 0.0
                write_state(self.lockout_path, {"failures": failures, "locked_until": until})
                if delay:
                    return PinResult(PinOutcome.WRONG, tries_left=0, locked_until=until, wait_s=delay)
                return PinResult(PinOutcome.WRONG, tries_left=FREE_TRIES - failures)
            if failures:
                write_state(self.lockout_path, {"failures": 0, "locked_until": 0.0})
            return PinResult(PinOutcome.OK)

    def _lockout(self) -> tuple[int, float]:
        state = read_state(self.lockout_path) or {}
        failures, until = state.get("failures", 0), state.get("locked_until", 0.0)
        if not isinstance(failures, int) or not isinstance(until, int | float):
            return FREE_TRIES, 0.0  # a damaged count: no free tries left, but no lockout either
        return max(0, failures), float(until)
