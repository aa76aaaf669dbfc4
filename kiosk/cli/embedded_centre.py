"""The embedded centre for development: ``[centre] url = "embedded"`` starts the reference
centre on loopback, in this process, when the terminal connects.

Only the command line (and tests standing in for it) uses this; the kiosk core sees a
``CentreConnector``. On a kiosk installed without the centre's extra it stops with a message
saying what to install.

The centre signs no login codes (an identity authority does), so development has its own
identity authority too: ``DevelopmentIdentityAuthority`` keeps a key in the kiosk's data
folder (``dev-identity-authority.key``, 32 raw bytes, mode 0600). The embedded connector
hands its public key to the kiosk, which trusts it for login codes while the embedded centre
runs and never otherwise, and hands the authority itself to the developer panel as the
``LoginCodeIssuer`` behind "扫登录码".

It serves each site profile's catalogue document (``development_catalogs``, as ``kiosk
catalog export`` writes them), so the kiosk's catalogue refresh runs as in the field.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from contract import qr_codes
from kiosk.config.settings import KioskConfig
from kiosk.delivery.endpoint import CentreConnector, CentreEndpoint, ConfiguredCentre
from kiosk.delivery.private_files import load_or_create_key
from kiosk.errors import ConfigError

if TYPE_CHECKING:
    from central.server import EmbeddedCentre

log = logging.getLogger(__name__)

SERVER_PACKAGES = ("fastapi", "uvicorn", "sqlalchemy", "alembic")
MISSING_EXTRA = (
    '[centre] url = "embedded" needs the centre, which this install lacks ({missing}): '
    "install it with pip install 'gov-kiosk[central]', or set [centre] url to the centre's https:// URL"
)


def require_centre_extra(config: KioskConfig) -> None:
    """Refuse, before anything is drawn, an embedded centre that this install cannot run."""
    if not config.centre.embedded:
        return
    missing = [name for name in SERVER_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError(f"{config.source}: " + MISSING_EXTRA.format(missing=", ".join(missing)))


IDENTITY_KEY_FILE = "dev-identity-authority.key"
LOGIN_CODE_VALID_FOR = timedelta(minutes=5)


class DevelopmentIdentityAuthority:
    """Signs login codes, as the e-government app's identity authority would, for development."""

    def __init__(self, key_file: Path, audience: str) -> None:
        self.key_file = Path(key_file)
        self.audience = audience
        self._key: Ed25519PrivateKey | None = None

    def public_key(self) -> Ed25519PublicKey:
        return self._signing_key().public_key()

    def login_code(self, name: str, id_number: str, phone: str = "") -> str:
        """A login code for this person (with the mobile number the app verified, if given),
        valid for five minutes at this kiosk's audience."""
        now = datetime.now(UTC)
        return qr_codes.issue_code(
            self._signing_key(), kind=qr_codes.KIND_LOGIN, code_id=os.urandom(16).hex(),
            audience=self.audience, issued_at=now, expires_at=now + LOGIN_CODE_VALID_FOR,
            data={"name": name, "id_number": id_number, **({"phone": phone} if phone else {})},
        )

    def staff_code(self, staff_no: str, valid_for: timedelta = LOGIN_CODE_VALID_FOR) -> str:
        """A member of staff's own code (assisted mode, 帮办), as their work app would show it."""
        now = datetime.now(UTC)
        return qr_codes.issue_code(
            self._signing_key(), kind=qr_codes.KIND_STAFF, code_id=os.urandom(16).hex(),
            audience=self.audience, issued_at=now, expires_at=now + valid_for, data={"staff_no": staff_no},
        )

    def _signing_key(self) -> Ed25519PrivateKey:
        if self._key is None:
            self._key = _load_or_create_key(self.key_file)
        return self._key


def _load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The key in ``path`` (32 raw bytes, the Ed25519 seed), created with mode 0600 (its folder 0700) if missing."""
    return Ed25519PrivateKey.from_private_bytes(load_or_create_key(path))


class EmbeddedCentreConnector:
    """Starts the reference centre on 127.0.0.1 with its database in the kiosk's data folder.

    The database (``central.sqlite3``, mode 0600) keeps the cases' personal data encrypted
    under a master key in ``central-data.key`` (0600) beside it, the centre's default for a
    SQLite file.
    """

    def __init__(self, data_dir: Path, *, terminal_id: str, terminal_number: int,
                 identity: DevelopmentIdentityAuthority | None = None,
                 catalogs: dict[str, dict[str, Any]] | None = None, site_id: str | None = None) -> None:
        self.database = (Path(data_dir) / "central.sqlite3").resolve()
        self.identity = identity  # the development identity authority, trusted for login codes
        self.terminal_id = terminal_id  # its token is this terminal's alone, as in the field
        self.terminal_number = terminal_number
        self.catalogs = catalogs  # site id -> the catalogue document the centre serves it
        self.site_id = site_id  # the kiosk's site: its token is bound to it, its counter has hours
        self.centre: EmbeddedCentre | None = None

    def open(self) -> CentreEndpoint:
        try:
            from central.server import start_embedded
        except ImportError as err:
            raise ConfigError(MISSING_EXTRA.format(missing=err.name or "central")) from err
        self.database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.centre = start_embedded(f"sqlite:///{self.database}", terminal_id=self.terminal_id,
                                     terminal_number=self.terminal_number, site_id=self.site_id,
                                     counter=DEVELOPMENT_COUNTER, catalog=self.catalogs)
        identity = self.identity
        return CentreEndpoint(
            self.centre.base_url, self.centre.token, trust_published_keys=True,
            identity_keys=(identity.public_key(),) if identity is not None else (),
            login_issuer=identity,
        )

    def close(self) -> None:
        if self.centre is not None:
            self.centre.stop()
            self.centre = None


# The development centre's counter: open every day, so a counter slot can be booked at any hour.
DEVELOPMENT_COUNTER = {"place": "一楼综合受理区 1-3号窗口",
                       "place_in": {"zh-Hant": "一樓綜合受理區 1-3號窗口",
                                    "en": "Service area, 1st floor, counters 1-3"},
                       "hours": {"mon-sun": ["08:00-12:00", "13:30-21:00"]}}


def centre_connector(config: KioskConfig) -> CentreConnector:
    """The connector the configuration asks for."""
    if config.centre.embedded:
        identity = DevelopmentIdentityAuthority(
            Path(config.data_dir) / IDENTITY_KEY_FILE, config.site.code_audience
        )
        return EmbeddedCentreConnector(config.data_dir, terminal_id=config.terminal_id,
                                       terminal_number=config.terminal_number, identity=identity,
                                       catalogs=development_catalogs(config), site_id=config.site.id)
    return ConfiguredCentre(config.centre)


def development_catalogs(config: KioskConfig) -> dict[str, dict[str, Any]]:
    """What ``kiosk catalog export`` writes for the profiles beside the kiosk's file
    (``sites/``), and always this kiosk's own site: the embedded centre serves them."""
    from kiosk.catalog.export import site_document
    from kiosk.cli.catalog_export import site_documents

    documents: dict[str, dict[str, Any]] = {}
    sites = config.source.parent / "sites"
    if sites.is_dir():
        try:
            documents = site_documents(config.catalog, sites)
        except ConfigError as err:
            log.warning("the development centre serves only this kiosk's catalogue: %s", err)
    site = config.site
    documents[site.id] = site_document(config.catalog, site.item_ids, site.bundle_ids)
    return documents
