"""Who is calling: kiosks and clerks, each with a bearer token (``Authorization: Bearer T``).

The centre keeps only SHA-256 digests of the tokens it accepts and finds a caller by the
digest of the presented token, in constant time however large the fleet. A kiosk token names
one terminal, which may then submit only its own cases and beats; the name ``*`` (used by the
embedded centre for local development) stands for any terminal.
A client certificate checked by a TLS-terminating proxy in front of the service maps onto the
same thing: the proxy forwards a token per certificate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import HTTPException, Request
from fastapi.security import HTTPBearer

ANY_TERMINAL = "*"

# Declared in the OpenAPI document; the token books below do the checking.
kiosk_bearer = HTTPBearer(auto_error=False, scheme_name="kioskToken",
                          description="A kiosk's token: one per terminal")
clerk_bearer = HTTPBearer(auto_error=False, scheme_name="clerkToken",
                          description="A back-office clerk's token")


@dataclass(frozen=True)
class Caller:
    """An authenticated kiosk or clerk."""

    name: str

    def may_act_for(self, terminal_id: str) -> bool:
        return self.name in (ANY_TERMINAL, terminal_id)


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


class TokenBook:
    """A set of accepted bearer tokens, each naming a caller."""

    def __init__(self, tokens: Mapping[str, str], *, realm: str) -> None:
        for token in tokens:
            if len(token) < 16:
                raise ValueError(f"{realm} tokens must be at least 16 characters")
        self._by_digest = {_digest(token): name for token, name in tokens.items()}
        self.realm = realm

    def identify(self, request: Request) -> Caller:
        """Return the caller named by the request's bearer token, or answer 401."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise self._unauthorised("missing bearer token")
        # Looked up by the SHA-256 of the presented token: a lookup's timing can tell only
        # about digests, which an attacker cannot steer towards a valid token.
        found = self._by_digest.get(_digest(token.strip()))
        if found is None:
            raise self._unauthorised("unknown token")
        return Caller(found)

    def _unauthorised(self, why: str) -> HTTPException:
        return HTTPException(
            status_code=401,
            detail=f"{self.realm} authentication failed: {why}",
            headers={"WWW-Authenticate": f'Bearer realm="{self.realm}"'},
        )
