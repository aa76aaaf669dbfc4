"""Console sessions: a signed cookie naming a staff token by its SHA-256, with an expiry.

The cookie is ``<payload>.<mac>``: the payload is base64url JSON ``{"d": token digest,
"e": expiry (unix seconds), "n": a random nonce}``, the MAC is HMAC-SHA256 under the
console key. Nothing is stored server-side: a session ends when the cookie expires, when the
staff member logs out (the cookie is dropped), or when their token is taken out of the token
file (the digest then names nobody). The CSRF token of a session is an HMAC of its nonce, so
a form posted from another site cannot carry it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass

COOKIE_NAME = "console_session"
DEFAULT_MAX_AGE_S = 8 * 3600  # one working shift


@dataclass(frozen=True)
class StaffSession:
    token_digest: str
    expires_at: float
    nonce: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Issues and checks session cookies and CSRF tokens under one 32-byte key."""

    def __init__(self, key: bytes, max_age_s: float = DEFAULT_MAX_AGE_S) -> None:
        if len(key) < 32:
            raise ValueError("the console session key must be at least 32 bytes")
        self._key = key
        self.max_age_s = max_age_s

    def issue(self, token_digest: str, *, now: float | None = None) -> str:
        """A cookie value for a fresh session of the staff token with this digest."""
        expires = int((now if now is not None else time.time()) + self.max_age_s)
        payload = _b64(json.dumps({"d": token_digest, "e": expires, "n": _b64(os.urandom(16))},
                                  separators=(",", ":")).encode("utf-8"))
        return f"{payload}.{self._mac(payload)}"

    def read(self, cookie: str | None, *, now: float | None = None) -> StaffSession | None:
        """The session a cookie carries, or None when it is missing, forged or expired."""
        if not cookie or cookie.count(".") != 1 or len(cookie) > 512:
            return None
        payload, mac = cookie.split(".")
        if not hmac.compare_digest(mac, self._mac(payload)):
            return None
        try:
            fields = json.loads(_unb64(payload))
            session = StaffSession(str(fields["d"]), float(fields["e"]), str(fields["n"]))
        except (ValueError, KeyError, TypeError):
            return None
        if session.expires_at <= (now if now is not None else time.time()):
            return None
        return session

    def csrf_token(self, session: StaffSession) -> str:
        """The token every form of this session carries."""
        return self._mac(f"csrf:{session.nonce}")

    def csrf_ok(self, session: StaffSession, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(presented or "", self.csrf_token(session))

    def _mac(self, text: str) -> str:
        return _b64(hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).digest())
