"""Each site's catalogue (事项清单) as the centre serves it: opaque data, versioned, with an ETag.

The centre does not interpret a catalogue; the kiosk side owns its format. A source is either
a mapping of site id to a JSON-able object, or a folder of ``<site id>.json`` (or ``.toml``)
files, read once when the app is built. The version is the document's own top-level
``version`` string when it has one, else a digest of its content; the ETag is always the
digest, so any change, even one that forgets to bump ``version``, gives a new ETag.

What the centre reads from a catalogue is each item's department (``items`` is a list of
tables with ``id`` and ``department``): it decides which clerks see a case of that item
(``ServedCatalog.department_of``). An item without one gives cases only supervisors see. It
also reads each bundle's name (``bundles``: tables with ``id`` and ``name``), which the
console shows beside a bundle's cases.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract.wire import CatalogDocument


@dataclass(frozen=True)
class ServedCatalog:
    document: CatalogDocument
    etag: str  # quoted, as it goes in the header
    body: bytes  # the JSON answer, serialised once
    departments: Mapping[str, str] = field(default_factory=dict)  # item id -> department
    bundle_names: Mapping[str, str] = field(default_factory=dict)  # bundle id -> its name

    def department_of(self, item_id: str) -> str | None:
        return self.departments.get(item_id)

    def bundle_name(self, bundle_id: str) -> str | None:
        return self.bundle_names.get(bundle_id)


class CatalogError(ValueError):
    """A catalogue source cannot be read; the message names the file."""


def load_catalogs(source: Mapping[str, Any] | Path | None) -> dict[str, ServedCatalog]:
    """Read every site's catalogue from ``source`` and version it."""
    if source is None:
        return {}
    if isinstance(source, Path):
        return {site: _serve(site, data) for site, data in _read_folder(source).items()}
    return {site: _serve(site, data) for site, data in source.items()}


def _read_folder(folder: Path) -> dict[str, Any]:
    if not folder.is_dir():
        raise CatalogError(f"catalogue folder {folder} does not exist")
    found: dict[str, Any] = {}
    for path in sorted(folder.iterdir()):
        try:
            if path.suffix == ".json":
                found[path.stem] = json.loads(path.read_text(encoding="utf-8"))
            elif path.suffix == ".toml":
                found[path.stem] = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise CatalogError(f"{path}: {err}") from err
    return found


def _serve(site_id: str, data: Any) -> ServedCatalog:
    if not isinstance(data, dict):
        raise CatalogError(f"the catalogue of site {site_id!r} must be a JSON object")
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                           default=str)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
    own = data.get("version")
    version = own if isinstance(own, str) and own else digest
    document = CatalogDocument(site_id=site_id, version=version,
                               catalog=json.loads(canonical))
    return ServedCatalog(document, f'"{digest}"', document.model_dump_json().encode("utf-8"),
                         _departments(data), _named(data.get("bundles"), "name"))


def _departments(data: Mapping[str, Any]) -> dict[str, str]:
    return _named(data.get("items"), "department")


def _named(tables: Any, key: str) -> dict[str, str]:
    """``id`` -> ``key`` of each table in the list ``tables`` that has both as strings."""
    found: dict[str, str] = {}
    for table in tables if isinstance(tables, list) else []:
        if isinstance(table, Mapping):
            table_id, value = table.get("id"), table.get(key)
            if isinstance(table_id, str) and isinstance(value, str) and value:
                found[table_id] = value[:64]
    return found


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (or ``*``); weak tags compare too."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == etag:
            return True
    return False
