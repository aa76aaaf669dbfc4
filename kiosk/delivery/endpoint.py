"""Where the centre is: the endpoint the link talks to, and who provides it.

The kiosk core never starts a centre. The command line (the composition root) hands the
terminal a ``CentreConnector``: ``ConfiguredCentre`` for the ``https://`` centre named in the
configuration, or, in development, one that starts an embedded centre on loopback
(``kiosk.cli.embedded_centre``). ``open`` runs on the terminal's background thread, after the
first frame, so a heavy centre never delays the attract screen.

In development the embedded connector also hands over a development identity authority: its
public key (trusted for login codes by this kiosk only while the embedded centre runs) and a
``LoginCodeIssuer`` for the developer panel. A configured centre never does: in production
login codes come from the real identity authority, trusted through the site profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.config.settings import Centre
from kiosk.errors import ConfigError


class LoginCodeIssuer(Protocol):
    """Signs login codes as an identity authority would (development only)."""

    def login_code(self, name: str, id_number: str, phone: str = "") -> str: ...

    def staff_code(self, staff_no: str) -> str: ...  # a member of staff's own code (assisted mode)


@dataclass(frozen=True)
class CentreEndpoint:
    """How to reach the centre: its base URL and this kiosk's token."""

    base_url: str
    token: str
    trust_published_keys: bool = False  # verify codes with the keys the centre serves (development)
    identity_keys: tuple[Ed25519PublicKey, ...] = ()  # also trusted for login codes (development)
    login_issuer: LoginCodeIssuer | None = None  # the developer panel's login codes (development)


class CentreConnector(Protocol):
    """Provides the centre's endpoint when the link opens, and releases it when it closes."""

    def open(self) -> CentreEndpoint: ...

    def close(self) -> None: ...


class ConfiguredCentre:
    """The centre the configuration names by URL."""

    def __init__(self, centre: Centre) -> None:
        self.centre = centre

    def open(self) -> CentreEndpoint:
        if self.centre.embedded:
            raise ConfigError('[centre] url = "embedded": only the kiosk command line starts an embedded centre')
        return CentreEndpoint(self.centre.url, self.centre.token)

    def close(self) -> None:
        """Nothing to release: the centre runs elsewhere."""
