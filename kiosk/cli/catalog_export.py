"""``kiosk catalog export --out DIR``: one ``<site id>.json`` per site profile, for the centre.

The catalogue (``config/catalog/``) and every profile in ``config/sites/`` are validated as
the kiosk reads them; each site's document is ``kiosk.catalog.export.site_document``. The
centre serves the folder as it is (``CENTRAL_CATALOG_DIR``); the embedded development centre
serves the same documents (``site_documents``). Files are written whole (temp file, rename).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config.settings import default_config_path

if TYPE_CHECKING:
    from kiosk.catalog.model import Catalog


def register(catalog_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export`` under the ``kiosk catalog`` group."""
    config_dir = default_config_path().parent
    export = catalog_commands.add_parser("export", help="write each site's catalogue document for the centre")
    export.add_argument("--out", type=Path, required=True, help="folder for the <site id>.json files")
    export.add_argument("--catalog", type=Path, default=config_dir / "catalog",
                        help="catalogue folder (default: config/catalog)")
    export.add_argument("--sites", type=Path, default=config_dir / "sites",
                        help="site profiles folder (default: config/sites)")
    export.set_defaults(handler=_export)


def site_documents(catalog: Catalog, sites_dir: Path) -> dict[str, dict[str, Any]]:
    """Every site profile's catalogue document, by site id (raises ``ConfigError`` naming the file)."""
    from kiosk.catalog.export import site_document
    from kiosk.config.settings import load_site
    from kiosk.errors import ConfigError

    documents: dict[str, dict[str, Any]] = {}
    profiles = sorted(sites_dir.glob("*.toml"))
    if not profiles:
        raise ConfigError(f"{sites_dir}: no site profiles (*.toml)")
    for path in profiles:
        site = load_site(path, catalog)
        if site.id in documents:
            raise ConfigError(f"{path}: id: {site.id!r} is also the id of another profile")
        documents[site.id] = site_document(catalog, site.item_ids, site.bundle_ids)
    return documents


def write_documents(documents: dict[str, dict[str, Any]], out: Path) -> list[Path]:
    """Write ``<site id>.json`` for each document into ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for site_id, document in documents.items():
        target = out / f"{site_id}.json"
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, target)
        written.append(target)
    return written


def _export(args: argparse.Namespace) -> int:
    from kiosk.catalog.loading import load_catalog
    from kiosk.errors import ConfigError

    try:
        documents = site_documents(load_catalog(args.catalog), args.sites)
        written = write_documents(documents, args.out)
    except ConfigError as err:
        print(f"kiosk catalog export: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"kiosk catalog export: {args.out}: cannot write ({err.strerror})", file=sys.stderr)
        return 2
    for path in written:
        print(f"{path} ({len(documents[path.stem]['items'])} items)")
    return 0
