"""Per-site catalogue documents: what ``site_document`` writes reads back as the site's offer,
``kiosk catalog export`` writes one per profile, and the development centre serves them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from central.catalog import load_catalogs
from kiosk.catalog.export import site_document
from kiosk.catalog.loading import catalog_from_document, load_catalog
from kiosk.catalog.model import Catalog
from kiosk.cli.catalog_export import site_documents
from kiosk.cli.embedded_centre import EmbeddedCentreConnector, development_catalogs
from kiosk.cli.main import main
from kiosk.config.settings import SOURCE_CONFIG, KioskConfig, load_site
from kiosk.delivery.centre_client import CentreClient
from kiosk.errors import ConfigError
from tests.kiosk.catalog_documents import NEWBORN_ITEMS, TEST_BUNDLE_ID, document_with_bundle

CONFIG_DIR = SOURCE_CONFIG.parent


def _without_sources(catalog: Catalog) -> Catalog:
    """The catalogue with where each thing was read from blanked (a file, or a document)."""
    return dataclasses.replace(
        catalog,
        items=tuple(dataclasses.replace(item, source="") for item in catalog.items),
        bundles=tuple(dataclasses.replace(bundle, source="") for bundle in catalog.bundles),
    )


def test_a_site_document_reads_back_as_the_sites_offer_with_bundles_and_in_its_order(
        shipped_config: KioskConfig) -> None:
    whole = catalog_from_document(document_with_bundle(shipped_config, "2026.12.9"), "whole")
    items = (*reversed(NEWBORN_ITEMS), "senior-citizen-card", "minimum-living-allowance")  # a group field
    document = site_document(whole, items, (TEST_BUNDLE_ID,))
    back = catalog_from_document(json.loads(json.dumps(document, ensure_ascii=False)), "centre")
    assert _without_sources(back) == _without_sources(whole.for_site(items, (TEST_BUNDLE_ID,)))
    assert [i.id for i in back.items] == list(items) and [b.id for b in back.bundles] == [TEST_BUNDLE_ID]
    assert [c.id for c in back.categories] == [c.id for c in whole.categories
                                               if c.id in {"birth", *(x for i in back.items for x in i.categories)}]


def test_every_shipped_item_round_trips(shipped_config: KioskConfig) -> None:
    catalog = shipped_config.catalog
    ids = tuple(reversed(catalog.ids()))
    back = catalog_from_document(site_document(catalog, ids), "centre")
    assert _without_sources(back) == _without_sources(catalog.for_site(ids))


def test_the_export_command_writes_each_profile_and_the_centre_serves_it(tmp_path: Path) -> None:
    out = tmp_path / "catalogs"
    assert main(["catalog", "export", "--out", str(out)]) == 0
    catalog = load_catalog(CONFIG_DIR / "catalog")
    profiles = {load_site(path, catalog) for path in (CONFIG_DIR / "sites").glob("*.toml")}
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{site.id}.json" for site in profiles)
    served = load_catalogs(out)
    for site in profiles:
        document = served[site.id].document
        assert document.version == catalog.version
        offer = catalog_from_document(document.catalog, site.id)
        assert offer.ids() == list(site.item_ids)
        assert served[site.id].department_of(site.item_ids[0]) == catalog.item(site.item_ids[0]).department


def test_the_export_refuses_a_profile_naming_an_unknown_item(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    text = (CONFIG_DIR / "sites" / "bank.toml").read_text(encoding="utf-8")
    (sites / "bank.toml").write_text(text.replace('"resident-medical-insurance"', '"no-such-item"'), encoding="utf-8")
    assert main(["catalog", "export", "--out", str(tmp_path / "out"), "--sites", str(sites)]) == 2
    assert "bank.toml: items: 'no-such-item' is not in the catalogue" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    with pytest.raises(ConfigError, match="no site profiles"):
        site_documents(load_catalog(CONFIG_DIR / "catalog"), tmp_path / "empty")


def test_the_development_centre_serves_each_sites_document(shipped_config: KioskConfig, tmp_path: Path) -> None:
    catalogs = development_catalogs(shipped_config)
    assert shipped_config.site.id in catalogs and len(catalogs) == len(list((CONFIG_DIR / "sites").glob("*.toml")))
    connector = EmbeddedCentreConnector(tmp_path, terminal_id="T1", terminal_number=1, catalogs=catalogs)
    endpoint = connector.open()
    client = CentreClient(endpoint.base_url, endpoint.token)
    try:
        reply = client.catalog(shipped_config.site.id)
        assert reply.document is not None
        served = catalog_from_document(reply.document.catalog, "centre")
        assert served.ids() == shipped_config.offer.ids()
        assert client.catalog(shipped_config.site.id, reply.etag).document is None  # 304: current
    finally:
        client.close()
        connector.close()
