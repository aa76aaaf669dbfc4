"""Keeping the site's catalogue current: fetch what the centre serves, check it, cache it.

At start-up (``start``) the cached catalogue comes first, so a kiosk restarted without the
network offers what the centre last served; then the centre is asked, with the ETag held.
After each heartbeat (``check``) the ack names the site's current version; when it is not the
one held, the catalogue is fetched again (a 304 keeps the current one). A document is accepted
only when ``catalog_from_document`` reads it, it is this site's and it offers at least one
item with sane ids; it is then written to ``catalog-cache.json`` in the data folder (0600,
temp file + fsync + rename) and handed on through ``on_accepted``. A bad one is refused:
the old catalogue stays, nothing is cached, and ``on_refused`` gets the loader's message
(it names the document, item and field; a catalogue holds no personal data). A version once
refused is not fetched again until the centre names another.

Delivery knows nothing of the session: the terminal turns the callbacks into events and
switches the session's catalogue between residents (``PendingCatalog``).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.catalog.loading import catalog_from_document
from kiosk.catalog.model import Catalog
from kiosk.delivery.private_files import fsync_dir
from kiosk.errors import CentreError, CentreUnavailable, ConfigError

if TYPE_CHECKING:
    from contract.wire import CatalogDocument
    from kiosk.delivery.centre_client import CentreClient

log = logging.getLogger(__name__)

CACHE_FILE = "catalog-cache.json"


@dataclass(frozen=True)
class CachedCatalog:
    catalog: Catalog
    etag: str


class CatalogRefresh:
    """Fetches, checks and caches one site's catalogue; safe to call from the link's threads."""

    def __init__(self, client: CentreClient, site_id: str, data_dir: Path, in_use_version: str, *,
                 on_accepted: Callable[[Catalog], None], on_refused: Callable[[str], None]) -> None:
        self.client = client
        self.site_id = site_id
        self.cache_path = Path(data_dir) / CACHE_FILE
        self.version = in_use_version  # the newest accepted: in use, or waiting for the session
        self.etag: str | None = None
        self.refused_version: str | None = None
        self.on_accepted = on_accepted
        self.on_refused = on_refused
        self._lock = threading.Lock()

    def start(self) -> None:
        """Offer the cached catalogue (if any), then ask the centre for a newer one."""
        cached = read_cache(self.cache_path, self.site_id)
        if cached is not None:
            with self._lock:
                self.version, self.etag = cached.catalog.version, cached.etag
            log.info("catalogue %s read from the cache", cached.catalog.version)
            self.on_accepted(cached.catalog)
        self.fetch()

    def check(self, centre_version: str | None) -> None:
        """After a beat: fetch when the centre's current version is neither held nor refused."""
        if centre_version is None or centre_version in (self.version, self.refused_version):
            return
        self.fetch()

    def fetch(self) -> bool:
        """Ask the centre (with the ETag held); True when a new catalogue was accepted."""
        with self._lock:
            outcome = self._fetch()
        if isinstance(outcome, Catalog):
            self.on_accepted(outcome)
            return True
        if outcome:
            self.on_refused(outcome)
        return False

    def _fetch(self) -> Catalog | str:
        """The accepted catalogue, why the served one is refused, or "" when there is nothing new."""
        try:
            reply = self.client.catalog(self.site_id, self.etag)
        except CentreUnavailable as err:
            if (err.detail or "").startswith("HTTP 2"):  # it answered, but not with a catalogue document
                return self._refuse(None, f"centre catalogue of {self.site_id}: unreadable ({err.detail})")
            log.info("catalogue not fetched: %s", err.detail or type(err).__name__)
            return ""
        except CentreError as err:
            log.info("catalogue not fetched: %s", err.detail or type(err).__name__)
            return ""
        document = reply.document
        if document is None:
            return ""  # 304: the catalogue held is current
        problem, catalog = self._checked(document)
        if catalog is None:
            return self._refuse(document.version, problem)
        self._cache(document, reply.etag)
        self.version, self.etag, self.refused_version = catalog.version, reply.etag, None
        log.info("catalogue %s accepted", catalog.version)
        return catalog

    def _refuse(self, version: str | None, problem: str) -> str:
        self.refused_version = version
        log.warning("a catalogue from the centre was refused; %s kept: %s", self.version, problem)
        return problem

    def _checked(self, document: CatalogDocument) -> tuple[str, Catalog | None]:
        """The catalogue in ``document``, or what is wrong with it."""
        origin = f"centre catalogue {document.version[:64]} of {self.site_id}"
        if document.site_id != self.site_id:
            return f"{origin}: it is the catalogue of site {document.site_id[:64]!r}", None
        try:
            catalog = catalog_from_document(document.catalog, origin)
        except ConfigError as err:  # the loader checks ids, references and that items are offered
            return str(err), None
        return "", catalog

    def _cache(self, document: CatalogDocument, etag: str) -> None:
        data = {"site_id": self.site_id, "etag": etag, "document": document.catalog}
        try:
            write_private_json(self.cache_path, data)
        except OSError as err:  # still used now; a restart falls back to the shipped one
            log.warning("catalogue cache %s not written: %s", self.cache_path.name, err.strerror)


def read_cache(path: Path, site_id: str) -> CachedCatalog | None:
    """The catalogue cached in ``path`` for ``site_id``; None (with a warning) when it cannot be used."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        log.warning("catalogue cache %s ignored: unreadable (%s)", path.name, type(err).__name__)
        return None
    if not isinstance(data, dict) or data.get("site_id") != site_id or not isinstance(data.get("etag"), str):
        log.warning("catalogue cache %s ignored: not this site's cache", path.name)
        return None
    try:
        document: Any = data.get("document")
        catalog = catalog_from_document(document, f"cached catalogue of {site_id}")
    except ConfigError as err:
        log.warning("catalogue cache %s ignored: %s", path.name, err)
        return None
    return CachedCatalog(catalog, data["etag"])


def write_private_json(path: Path, data: dict[str, Any]) -> None:
    """Replace ``path`` with ``data`` as JSON, whole and durably (temp file, fsync, rename; 0600)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(draft, path)
    except BaseException:
        draft.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


class PendingCatalog:
    """A newer catalogue waiting for the session to be between residents.

    ``switch`` is the session's ``switch_catalog``: it refuses during a session, so ``apply``
    is simply called again (at every tick and session change) until it takes."""

    def __init__(self, switch: Callable[[Catalog], bool]) -> None:
        self._switch = switch
        self.waiting: Catalog | None = None

    def offer(self, catalog: Catalog) -> bool:
        self.waiting = catalog
        return self.apply()

    def apply(self) -> bool:
        """Switch to the waiting catalogue if the session allows it now; True when it did."""
        waiting = self.waiting
        if waiting is None or not self._switch(waiting):
            return False
        self.waiting = None
        log.info("catalogue %s in use", waiting.version)
        return True
