"""Who is calling: kiosks and clerks, each with a bearer token (``Authorization: Bearer T``).

The centre keeps only SHA-256 digests of the tokens it accepts and finds a caller by the
digest of the presented token, in constant time however large the fleet.

A kiosk token names one terminal: its id and its number (the three digits 9-11 of every case
number it gives out). The terminal may then submit, rate and beat only as itself, and only
case numbers that carry its number. The name ``*`` stands for any terminal; only a centre
started for development (``serve(dev=True)``) or a test builds one, never a token file.
A token may also name the terminal's site (``site_id``): then it books counter appointments
there only, whatever its heartbeats say.

A clerk token names a member of staff: a name, a role (``clerk``, ``supervisor`` or
``technician``), a department and optionally the sites they serve. A clerk sees and claims
only their department's cases (at their sites); a supervisor sees every department's, and
the cases with none; a technician sees the fleet (at their sites) and no case at all.

Token files (``CENTRAL_KIOSK_TOKENS``, ``CENTRAL_CLERK_TOKENS``) are JSON objects of token to
identity::

    {"<kiosk token>": {"terminal_id": "JB-0001", "terminal_number": 1, "site_id": "community-1"}}
    {"<clerk token>": {"name": "wang", "role": "clerk", "department": "区医疗保障局",
                       "sites": ["community-1"]}}

The old plain-string form (token -> name) is refused with a message saying what to add: a
terminal's number or a clerk's department cannot be known from a name.
A client certificate checked by a TLS-terminating proxy in front of the service maps onto the
same thing: the proxy forwards a token per certificate.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from fastapi import HTTPException, Request
from fastapi.security import HTTPBearer

ANY_TERMINAL = "*"

# Declared in the OpenAPI document; the token books below do the checking.
kiosk_bearer = HTTPBearer(auto_error=False, scheme_name="kioskToken",
                          description="A kiosk's token: one per terminal")
clerk_bearer = HTTPBearer(auto_error=False, scheme_name="clerkToken",
                          description="A back-office clerk's token")


class TokenFileError(ValueError):
    """A token mapping cannot be used; the message says which entry and what it lacks."""


@dataclass(frozen=True)
class Caller:
    """An authenticated kiosk: its terminal id and number (``*`` and None: any terminal), and
    the site its token binds it to (None: the site of its heartbeats, ``central.routes_appointments``)."""

    name: str
    terminal_number: int | None = None
    site_id: str | None = None

    @property
    def any_terminal(self) -> bool:
        return self.name == ANY_TERMINAL

    def may_act_for(self, terminal_id: str) -> bool:
        return self.any_terminal or self.name == terminal_id

    def owns_case_number(self, case_number: str) -> bool:
        """Whether ``case_number``'s terminal segment (digits 9-11) is this terminal's."""
        if self.any_terminal:
            return True
        return self.terminal_number is not None and \
            case_number[8:11] == f"{self.terminal_number:03d}"


class Role(enum.StrEnum):
    CLERK = "clerk"  # their department's cases
    SUPERVISOR = "supervisor"  # every case, ratings follow-up, statistics
    TECHNICIAN = "technician"  # the fleet and its remote commands; no case data


@dataclass(frozen=True)
class Clerk:
    """An authenticated back-office clerk; ``sites`` empty: every site."""

    name: str
    role: Role = Role.CLERK
    department: str | None = None
    sites: frozenset[str] = field(default_factory=frozenset)

    @property
    def supervisor(self) -> bool:
        return self.role is Role.SUPERVISOR

    @property
    def technician(self) -> bool:
        return self.role is Role.TECHNICIAN

    def may_see(self, department: str | None, site_id: str) -> bool:
        """Whether this clerk may see (and claim) a case of ``department`` at ``site_id``."""
        if self.technician:
            return False  # a technician fixes kiosks and never reads a case
        if self.sites and site_id not in self.sites:
            return False
        if self.supervisor:
            return True
        return department is not None and department == self.department


def kiosk_identities(tokens: Mapping[str, object], *, source: str = "kiosk tokens"
                     ) -> dict[str, Caller]:
    """Read token -> terminal entries (``Caller``, ``{"terminal_id", "terminal_number"}``, or
    ``"*"``); two terminals may not share a number."""
    found: dict[str, Caller] = {}
    numbers: dict[int, str] = {}
    for token, value in tokens.items():
        where = f"{source}: the entry for token {token[:4]}…"
        caller = _kiosk(value, where)
        if caller.terminal_number is not None:
            held = numbers.setdefault(caller.terminal_number, caller.name)
            if held != caller.name:
                raise TokenFileError(f"{where}: terminal number {caller.terminal_number} is "
                                     f"already {held!r}'s; each terminal needs its own")
        found[token] = caller
    return found


def _kiosk(value: object, where: str) -> Caller:
    if isinstance(value, Caller):
        return value
    if value == ANY_TERMINAL:
        return Caller(ANY_TERMINAL)
    if isinstance(value, str):
        raise TokenFileError(
            f"{where} names terminal {value!r} but not its number: write "
            f'{{"terminal_id": {value!r}, "terminal_number": N}} (N: digits 9-11 of its '
            "case numbers, 1-999)")
    if not isinstance(value, Mapping) or not {"terminal_id", "terminal_number"} <= set(value) \
            <= {"terminal_id", "terminal_number", "site_id"}:
        raise TokenFileError(f'{where}: expected {{"terminal_id": "...", "terminal_number": N}} '
                             '(and optionally "site_id")')
    terminal_id, number = value["terminal_id"], value["terminal_number"]
    site_id = value.get("site_id")
    if site_id is not None and (not isinstance(site_id, str) or not 1 <= len(site_id) <= 64):
        raise TokenFileError(f"{where}: site_id must be a site's id (1-64 characters)")
    if not isinstance(terminal_id, str) or not terminal_id or terminal_id == ANY_TERMINAL \
            or len(terminal_id) > 64:
        raise TokenFileError(f"{where}: terminal_id must be a terminal's id (1-64 characters)")
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 999:
        raise TokenFileError(f"{where}: terminal_number must be a whole number from 1 to 999")
    return Caller(terminal_id, number, site_id)


def clerk_identities(tokens: Mapping[str, object], *, source: str = "clerk tokens"
                     ) -> dict[str, Clerk]:
    """Read token -> clerk entries (``Clerk`` or ``{"name", "role", "department", "sites"}``)."""
    return {token: _clerk(value, f"{source}: the entry for token {token[:4]}…")
            for token, value in tokens.items()}


def _clerk(value: object, where: str) -> Clerk:
    if isinstance(value, Clerk):
        return value
    if isinstance(value, str):
        raise TokenFileError(
            f"{where} names clerk {value!r} but not their department: write "
            f'{{"name": {value!r}, "role": "clerk", "department": "..."}}')
    if not isinstance(value, Mapping) or "name" not in value \
            or not set(value) <= {"name", "role", "department", "sites"}:
        raise TokenFileError(f'{where}: expected {{"name", "role", "department", "sites"}}')
    name, department = value["name"], value.get("department")
    sites = value.get("sites", [])
    try:
        role = Role(value.get("role", "clerk"))
    except ValueError:
        raise TokenFileError(f"{where}: role must be clerk, supervisor or technician") from None
    if not isinstance(name, str) or not 1 <= len(name) <= 64:
        raise TokenFileError(f"{where}: name must be 1-64 characters")
    if department is not None and (not isinstance(department, str) or not department
                                   or len(department) > 64):
        raise TokenFileError(f"{where}: department must be 1-64 characters")
    if department is None and role is Role.CLERK:
        raise TokenFileError(f"{where}: a clerk needs a department (only a supervisor or a "
                             "technician may have none)")
    if not isinstance(sites, list) or not all(isinstance(s, str) and s for s in sites):
        raise TokenFileError(f"{where}: sites must be a list of site ids")
    return Clerk(name, role, department, frozenset(sites))


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


Identity = TypeVar("Identity")


class TokenBook(Generic[Identity]):
    """A set of accepted bearer tokens, each naming a caller."""

    def __init__(self, tokens: Mapping[str, Identity], *, realm: str) -> None:
        for token in tokens:
            if len(token) < 16:
                raise ValueError(f"{realm} tokens must be at least 16 characters")
        self._by_digest = {_digest(token): who for token, who in tokens.items()}
        self.realm = realm

    def callers(self) -> list[Identity]:
        """Everyone this book accepts."""
        return list(self._by_digest.values())

    def identify(self, request: Request) -> Identity:
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
        return found

    def find(self, token: str) -> Identity | None:
        """The caller ``token`` names, or None (for the console's login form)."""
        return self._by_digest.get(_digest(token.strip())) if token.strip() else None

    def token_digest(self, token: str) -> str:
        """The hex SHA-256 a console session keeps in place of the token itself."""
        return _digest(token.strip()).hex()

    def find_by_digest(self, digest_hex: str) -> Identity | None:
        """The caller whose token has this hex SHA-256 (a console session), or None."""
        try:
            return self._by_digest.get(bytes.fromhex(digest_hex))
        except ValueError:
            return None

    def _unauthorised(self, why: str) -> HTTPException:
        return HTTPException(
            status_code=401,
            detail=f"{self.realm} authentication failed: {why}",
            headers={"WWW-Authenticate": f'Bearer realm="{self.realm}"'},
        )
