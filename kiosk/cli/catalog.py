"""``kiosk catalog check`` and ``kiosk catalog search``: a technician's look at a catalogue.

``check [PATH] [--json]`` validates a catalogue folder (or one TOML file) and the site
profiles against it, then says what it holds: items, bundles, categories, items per channel
and per department, and what each site offers. A bad catalogue or profile exits 2 with the
loader's words (file, item, field) on stderr. ``search TEXT [--site S] [--json]`` shows what a
resident typing TEXT would find at a site (exit 1 when nothing). PATH defaults to the
catalogue ``config/kiosk.toml`` names, S to its site.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config.settings import default_config_path

if TYPE_CHECKING:
    from kiosk.catalog.model import Catalog
    from kiosk.config.settings import Site


def register(catalog_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``check`` and ``search`` under the ``kiosk catalog`` group."""
    sites_dir = default_config_path().parent / "sites"
    check = catalog_commands.add_parser("check", help="validate a catalogue and show what it and each site hold")
    check.add_argument("path", type=Path, nargs="?", default=None,
                       help="catalogue folder or TOML file (default: the one config/kiosk.toml names)")
    check.add_argument("--sites", type=Path, default=sites_dir, help="site profiles folder (default: config/sites)")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(handler=_check)

    search = catalog_commands.add_parser("search", help="what a resident typing TEXT finds at a site")
    search.add_argument("text", help="words, pinyin or initials, as typed on the kiosk")
    search.add_argument("--site", default=None, help="site profile id (default: the configured site)")
    search.add_argument("--catalog", type=Path, default=None, help="catalogue (default: the configured one)")
    search.add_argument("--sites", type=Path, default=sites_dir, help="site profiles folder (default: config/sites)")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true", help="print a JSON list")
    search.set_defaults(handler=_search)


def summary(catalog: Catalog, sites: list[Site]) -> dict[str, Any]:
    """What a catalogue holds and what each site offers of it (the ``--json`` object)."""
    return {
        "version": catalog.version,
        "items": len(catalog.items),
        "bundles": len(catalog.bundles),
        "categories": len(catalog.categories),
        "channels": dict(Counter(item.channel.value for item in catalog.items)),
        "departments": dict(Counter(item.department for item in catalog.items)),
        "sites": {site.id: list(site.item_ids) for site in sites},
        "site_bundles": {site.id: list(site.bundle_ids) for site in sites},
    }


def _check(args: argparse.Namespace) -> int:
    from kiosk.catalog.loading import load_catalog
    from kiosk.errors import ConfigError

    try:
        path = args.path or _configured("catalog")
        catalog = load_catalog(path)
        sites = _sites(args.sites, catalog)
    except ConfigError as err:
        print(f"kiosk catalog check: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"kiosk catalog check: {err.filename}: cannot read ({err.strerror})", file=sys.stderr)
        return 2
    held = summary(catalog, sites)
    if args.json:
        print(json.dumps(held, ensure_ascii=False, indent=1))
        return 0
    print(f"{path}: version {catalog.version}, valid")
    print(f"{held['items']} items, {held['bundles']} bundles, {held['categories']} categories")
    print("items per channel: " + ", ".join(f"{k} {v}" for k, v in held["channels"].items()))
    print("items per department:")
    for department, count in held["departments"].items():
        print(f"  {count:3d}  {department}")
    for site in sites:
        print(f"site {site.id} ({site.name}): {len(site.item_ids)} items, {len(site.bundle_ids)} bundles")
        for offer in catalog.for_site(site.item_ids, site.bundle_ids).offers():
            print(f"  {offer.id:40s} {offer.name}")
    return 0


def _search(args: argparse.Namespace) -> int:
    from kiosk.catalog.loading import load_catalog
    from kiosk.catalog.search import CatalogSearch
    from kiosk.errors import ConfigError

    try:
        catalog = load_catalog(args.catalog or _configured("catalog"))
        site = _site(args.site, args.sites, catalog)
    except ConfigError as err:
        print(f"kiosk catalog search: {err}", file=sys.stderr)
        return 2
    offer = catalog.for_site(site.item_ids, site.bundle_ids)
    found = CatalogSearch(offer).search(args.text, limit=max(args.limit, 0))
    if args.json:
        print(json.dumps([{"id": m.id, "name": m.name, "kind": m.kind, "score": m.score, "matched": m.matched}
                          for m in found], ensure_ascii=False, indent=1))
    elif not found:
        print(f"nothing at {site.id} matches {args.text!r}")
    for rank, match in enumerate([] if args.json else found, start=1):
        kind = "一件事 " if match.kind == "bundle" else ""
        print(f"{rank:2d}. {kind}{match.name}  [{match.id}]  score {match.score:g}, matched {match.matched!r}")
    return 0 if found else 1


def _configured(key: str) -> Path:
    """The file or folder ``config/kiosk.toml`` names under ``key`` (``catalog``, ``site``)."""
    from kiosk.config.reader import Reader, read_toml
    from kiosk.errors import ConfigError

    config = default_config_path()
    name = Reader(config, read_toml(config)).text(key)
    path = (config.parent / name).resolve()
    if not path.exists():
        raise ConfigError(f"{config}: {key}: {name!r}: no such file or folder ({path})")
    return path


def _sites(sites_dir: Path, catalog: Catalog) -> list[Site]:
    """Every site profile, validated against ``catalog``."""
    from kiosk.config.settings import load_site

    return [load_site(path, catalog) for path in sorted(sites_dir.glob("*.toml"))]


def _site(site_id: str | None, sites_dir: Path, catalog: Catalog) -> Site:
    from kiosk.config.settings import load_site
    from kiosk.errors import ConfigError

    if site_id is None:
        return load_site(_configured("site"), catalog)
    sites = {site.id: site for site in _sites(sites_dir, catalog)}
    if site_id not in sites:
        raise ConfigError(f"{sites_dir}: no site profile has id {site_id!r} (known: {', '.join(sorted(sites))})")
    return sites[site_id]
