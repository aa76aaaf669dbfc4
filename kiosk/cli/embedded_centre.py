"""The embedded centre for development: ``[centre] url = "embedded"`` starts the reference
centre on loopback, in this process, when the terminal connects.

Only the command line (and tests standing in for it) uses this; the kiosk core sees a
``CentreConnector``. On a kiosk installed without the centre's extra it stops with a message
saying what to install.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config.settings import KioskConfig
from kiosk.delivery.endpoint import CentreConnector, CentreEndpoint, ConfiguredCentre
from kiosk.errors import ConfigError

if TYPE_CHECKING:
    from central.server import EmbeddedCentre

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


class EmbeddedCentreConnector:
    """Starts the reference centre on 127.0.0.1 with its database in the kiosk's data folder.

    The database (``central.sqlite3``, mode 0600) keeps the cases' personal data encrypted
    under a master key in ``central-data.key`` (0600) beside it, the centre's default for a
    SQLite file.
    """

    def __init__(self, data_dir: Path) -> None:
        self.database = (Path(data_dir) / "central.sqlite3").resolve()
        self.centre: EmbeddedCentre | None = None

    def open(self) -> CentreEndpoint:
        try:
            from central.server import start_embedded
        except ImportError as err:
            raise ConfigError(MISSING_EXTRA.format(missing=err.name or "central")) from err
        self.database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.centre = start_embedded(f"sqlite:///{self.database}")
        return CentreEndpoint(self.centre.base_url, self.centre.token, trust_published_keys=True)

    def close(self) -> None:
        if self.centre is not None:
            self.centre.stop()
            self.centre = None


def centre_connector(config: KioskConfig) -> CentreConnector:
    """The connector the configuration asks for."""
    if config.centre.embedded:
        return EmbeddedCentreConnector(config.data_dir)
    return ConfiguredCentre(config.centre)
