"""Fetching an update the centre offers: download, check, install beside, stage.

A heartbeat's reply may carry an ``UpdateOffer`` (``contract.update_bundles``). ``UpdateFetcher``
then, on a worker thread of its own (an install runs pip for up to minutes; the heartbeat
thread must keep beating and the UI thread never waits), downloads the bundle into
``<data_dir>/updates/``, checks its size and sha256 against the offer, and applies it the way
``kiosk update apply`` does (``install.apply_bundle``: the signature against ``[updates]
public_keys``, then the install and the stage). ``AppUpdates`` switches at the next quiet
moment, as for a bundle a technician applied.

Each step's outcome goes to the audit log (``update.fetch``; the stage and a refusal are also
reported by ``trial``). A version that failed is not fetched again until the kiosk restarts:
the centre keeps offering it, and a broken bundle must not be downloaded every 30 seconds.
"""

from __future__ import annotations

import threading
from pathlib import Path

from contract.update_bundles import UpdateOffer
from kiosk.config.settings import Updates
from kiosk.delivery.centre_client import CentreClient
from kiosk.errors import CentreError
from kiosk.maintenance.audit import AuditLog
from kiosk.updates import state
from kiosk.updates.errors import UpdateError
from kiosk.updates.install import apply_bundle
from kiosk.updates.slots import Slots
from kiosk.updates.trial import Now

ACTOR = "centre"
ACTION = "update.fetch"


class UpdateFetcher:
    """Takes the centre's offers; fetches and stages each new version once, one at a time."""

    def __init__(self, settings: Updates, data_dir: Path, client: CentreClient, audit: AuditLog,
                 now: Now) -> None:
        self.settings = settings
        self.folder = Path(data_dir) / "updates"
        self.client = client
        self.audit = audit
        self.now = now
        self._tried: set[str] = set()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def offered(self, offer: UpdateOffer | None) -> None:
        """A beat's reply offered ``offer``: start fetching it unless it is here or was tried."""
        if offer is None or not self.settings.public_keys:
            return
        with self._lock:
            if offer.version in self._tried or (self._worker is not None and self._worker.is_alive()):
                return
            if self._have(offer.version):
                return
            worker = threading.Thread(target=self.fetch, args=(offer,), name="update-fetch", daemon=True)
            worker.start()
            self._worker = worker
            self._tried.add(offer.version)

    def tried(self, version: str) -> bool:
        """True once a fetch of ``version`` began (in this process)."""
        with self._lock:
            return version in self._tried

    def wait(self, timeout: float) -> None:
        """Wait for the fetch under way, if any (tests, and a clean stop)."""
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def fetch(self, offer: UpdateOffer) -> bool:
        """Download, check and stage ``offer``'s version; True when it is staged."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        bundle = self.folder / f"{offer.version}.bundle"
        bundle.unlink(missing_ok=True)
        try:
            digest = self.client.download(offer.path, bundle, offer.size)
            if digest != offer.sha256:
                raise UpdateError(f"{offer.version}: the download's sha256 is not the one the centre offered")
            apply_bundle(bundle, self.settings, self.now)
        except CentreError as err:
            self.audit.append(ACTOR, ACTION, "failed", f"{offer.version}: download failed: {err.detail}"[:200])
            return False
        except UpdateError as err:
            self.audit.append(ACTOR, ACTION, "failed", str(err)[:200])
            return False
        finally:
            bundle.unlink(missing_ok=True)
        self.audit.append(ACTOR, ACTION, "ok", f"{offer.version} downloaded, checked and staged")
        return True

    def _have(self, version: str) -> bool:
        """True when ``version`` is installed or staged already."""
        try:
            staged = (state.read(self.settings.root).staged or {}).get("version")
            return staged == version or Slots(self.settings.root).ready(version)
        except (UpdateError, OSError):
            return False
